// One run of a stage: its workspace, its process group, its readiness, and the log of events
// the page reads. A run ends exactly once (stop), and ending always removes its processes and
// its workspace.
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { freePort, sleep, startGroup, type ProcessGroup } from './processes.ts';
import { RunnerError } from './errors.ts';
import { FolderRedactor } from './redact.ts';
import { folderBytes, megabytes } from './disk-usage.ts';
import { limits } from './security.ts';
import { writeInside, type Workspace } from './workspace.ts';
import { HEALTH_PATH, notReadyInTime, readyLineDetector, waitUntilReady } from '../../site/runtime/readiness.ts';
import type { RunEvent, StopReason } from '../../site/runtime/wire.ts';

export type { RunEvent, StopReason } from '../../site/runtime/wire.ts';

export interface RunTimings {
  /** Stop a run nobody has called or heard from for this long. */
  idleMs: number;
  /** Stop a run this long after its last events stream closed (a closed tab). */
  disconnectGraceMs: number;
  /** SIGTERM first; SIGKILL whatever is left after this long. */
  killGraceMs: number;
  /** Give up when the ready line and /health did not both happen within this long. */
  readyTimeoutMs: number;
  /** Cap on what a run may print; the rest is dropped after one notice. */
  outputBytes: number;
  /** Cap on what a run may keep on disk (workspace and data folder); over it, the run is stopped. */
  diskBytes: number;
  /** How often the disk use is measured. */
  diskCheckMs: number;
}

type State = 'mounting' | 'starting' | 'ready' | 'stopping' | 'stopped';

export class Run {
  readonly id = randomUUID();
  readonly slotKey: string;
  readonly stage: string;
  state: State = 'mounting';
  port: number | undefined;
  /** The exit code of `npm start`, known once the run has stopped. */
  exitCode: number | null = null;
  readonly finished: Promise<void>;

  private readonly timings: RunTimings;
  private readonly events: RunEvent[] = [];
  private readonly subscribers = new Set<(event: RunEvent) => void>();
  private workspace: Workspace | undefined;
  private group: ProcessGroup | undefined;
  private outputBytes = 0;
  private truncated = false;
  private sawReadyLine = false;
  private readonly readyLine = readyLineDetector();
  private idleTimer: NodeJS.Timeout | undefined;
  private disconnectTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private markFinished: () => void = () => {};
  /** Folders of this machine as the page is shown them: stack traces read ./examples/... */
  private folders: [string, string][] = [];
  // one per pipe: each is cut into chunks of its own, and a folder may be split between two
  private redactors = new Map<string, FolderRedactor>();

  constructor(slotKey: string, stage: string, timings: RunTimings) {
    this.slotKey = slotKey;
    this.stage = stage;
    this.timings = timings;
    this.finished = new Promise((resolve) => (this.markFinished = resolve));
    this.emit({ type: 'status', step: 'mounting' });
  }

  get active(): boolean {
    return this.state !== 'stopped';
  }

  /** The supervisor's pid, which leads the run's process group; undefined until launched. */
  get pid(): number | undefined {
    return this.group?.pid;
  }

  /** Starts `npm start` in the mounted workspace; readiness and exit are reported as events. */
  async launch(workspace: Workspace, env: NodeJS.ProcessEnv & { DATA_DIR: string }): Promise<void> {
    this.workspace = workspace;
    // the home folder last (the others may lie inside it): it names the reader's account, and
    // npm and Node print paths in it (caches, logs, a global install)
    const home = homedir();
    this.folders = [[env.DATA_DIR, '$DATA_DIR'], [workspace.root, '.'], ...(home.length > 1 ? [[home, '~'] as [string, string]] : [])];
    if (this.stopping) {
      // Stopped while mounting (a replaced slot, the server closing): nothing may be left behind.
      await this.stopping;
      await workspace.remove();
      return;
    }
    this.state = 'starting';
    this.emit({ type: 'status', step: 'starting' });
    this.port = await freePort();
    if (this.stopping) return;
    this.group = startGroup({
      command: ['npm', 'start'],
      cwd: workspace.stageDir,
      env: { ...env, PORT: String(this.port) },
      workspace: workspace.root,
      output: (text, stream) => this.output(this.redactorOf(stream).push(text)),
    });
    void this.group.exited.then((code) => {
      if (this.stopping) return;
      if (this.state !== 'ready') this.fail(`The stage exited with code ${code} before it was ready; the output above says why.`);
      else void this.stop('exited');
    });
    void this.watchReadiness();
    void this.watchDisk([workspace.root, env.DATA_DIR]);
  }

  /** Writes one file into the running stage's folder (for stages that watch their files). */
  async writeFile(path: string, text: string): Promise<void> {
    if (this.stopping || !this.workspace) throw new RunnerError(409, 'run_stopped', 'This run has stopped; start the stage again to change its files.');
    if (Buffer.byteLength(text) > limits.fileBytes) throw new RunnerError(413, 'file_too_large', `"${path}" is larger than 1 MB, the most a file may be.`);
    await writeInside(this.workspace.stageDir, path, text);
  }

  /** Every event so far, then each new one; returns the unsubscribe function. */
  subscribe(listener: (event: RunEvent) => void): () => void {
    for (const event of this.events) listener(event);
    if (this.state === 'stopped') return () => {};
    this.subscribers.add(listener);
    clearTimeout(this.disconnectTimer);
    return () => {
      if (!this.subscribers.delete(listener) || this.subscribers.size > 0 || this.stopping) return;
      this.disconnectTimer = setTimeout(() => void this.stop('disconnected'), this.timings.disconnectGraceMs);
    };
  }

  /** Any call for this run counts as activity. */
  touch(): void {
    if (this.stopping) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.stop('idle'), this.timings.idleMs);
    this.idleTimer.unref();
  }

  fail(message: string): void {
    if (this.stopping) return;
    this.emit({ type: 'status', step: 'error', message: this.withoutFolders(message) });
    void this.stop('failed');
  }

  stop(reason: StopReason): Promise<void> {
    this.stopping ??= (async () => {
      this.state = 'stopping';
      clearTimeout(this.idleTimer);
      clearTimeout(this.disconnectTimer);
      let code: number | null = null;
      if (this.group) {
        await this.group.stop(this.timings.killGraceMs);
        code = await this.group.exited;
      }
      // the streams have ended (or been given up on): what was held back is shown as it is
      for (const redactor of this.redactors.values()) this.output(redactor.end());
      this.redactors.clear();
      this.exitCode = code;
      await this.workspace?.remove().catch((error: unknown) => console.error(`Could not remove ${this.workspace?.root}:`, error));
      this.state = 'stopped';
      this.emit({ type: 'status', step: 'stopped', code, reason });
      this.subscribers.clear();
      this.markFinished();
    })();
    return this.stopping;
  }

  private redactorOf(stream: string): FolderRedactor {
    let redactor = this.redactors.get(stream);
    if (!redactor) this.redactors.set(stream, (redactor = new FolderRedactor(this.folders)));
    return redactor;
  }

  private withoutFolders(text: string): string {
    for (const [folder, shown] of this.folders) text = text.replaceAll(folder, shown);
    return text;
  }

  private emit(event: RunEvent): void {
    this.events.push(event);
    for (const listener of this.subscribers) listener(event);
    if (this.state !== 'stopped' && this.state !== 'stopping' && this.idleTimer) this.touch();
  }

  /** text: output with the machine's folders already taken out (see redactorOf). */
  private output(text: string): void {
    if (!text) return;
    if (!this.sawReadyLine) this.sawReadyLine = this.readyLine(text);
    if (this.truncated) return;
    const bytes = Buffer.byteLength(text);
    if (this.outputBytes + bytes <= this.timings.outputBytes) {
      this.outputBytes += bytes;
      this.emit({ type: 'output', text });
      return;
    }
    const room = this.timings.outputBytes - this.outputBytes;
    const kept = Buffer.from(text).subarray(0, room).toString('utf8');
    this.outputBytes = this.timings.outputBytes;
    this.truncated = true;
    if (kept) this.emit({ type: 'output', text: kept });
    const mb = (this.timings.outputBytes / 1024 / 1024).toFixed(this.timings.outputBytes < 1024 * 1024 ? 2 : 0);
    this.emit({ type: 'output', text: `\n[output truncated: this run printed more than ${mb} MB; the rest is not shown]\n` });
  }

  /** A stage that fills the disk (a runaway log, a loop of inserts) is stopped, not the machine. */
  private async watchDisk(folders: string[]): Promise<void> {
    while (!this.stopping) {
      await sleep(this.timings.diskCheckMs);
      if (this.stopping) return;
      let used = 0;
      for (const folder of folders) used += await folderBytes(folder);
      if (used > this.timings.diskBytes && !this.stopping) {
        this.fail(
          `The stage wrote more than ${megabytes(this.timings.diskBytes)} to disk (its files and its data folder hold ${megabytes(used)}), the most the local runner allows a run; it was stopped. Look for a loop that writes; reloading the page starts with an empty data folder.`,
        );
        return;
      }
    }
  }

  private async watchReadiness(): Promise<void> {
    const url = `http://127.0.0.1:${this.port}`;
    const outcome = await waitUntilReady({
      printedReadyLine: () => this.sawReadyLine,
      health: async () => {
        const res = await fetch(`${url}${HEALTH_PATH}`, { signal: AbortSignal.timeout(1_000) });
        await res.arrayBuffer();
        return res.status;
      },
      stopped: () => this.stopping !== undefined,
      deadline: Date.now() + this.timings.readyTimeoutMs,
      pauseMs: 50,
    });
    if (outcome === 'timed-out') this.fail(notReadyInTime(this.timings.readyTimeoutMs));
    else if (outcome === 'ready') {
      this.state = 'ready';
      this.emit({ type: 'status', step: 'ready', url });
    }
  }
}
