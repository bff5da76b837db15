// One run of a stage in its slot: spawn its start command, pass its output on, report ready
// by the shared definition (../readiness.ts) once its PORT is open too, and on Stop wait
// until every port the run opened has closed, so the next Run finds them free.
import { HEALTH_PATH, notReadyInTime, readyLineDetector, waitUntilReady } from '../readiness.ts';
import { RuntimeError, type RunListener, type RunningStage } from '../port.ts';
import type { WebContainerLike } from './api.ts';
import { describe } from './errors.ts';
import { request } from './requests.ts';
import type { StartCommand } from './spawn.ts';
import { waitForPorts, type BootState, type SlotState } from './state.ts';
import { sleep, withTimeout } from './time.ts';

export interface RunSettings {
  state: BootState;
  instance: WebContainerLike;
  slot: string;
  current: SlotState;
  cwd: string;
  start: StartCommand;
  /** Added to the stage's environment (the device's profile, ../profile.ts). */
  env: Record<string, string>;
  listener: RunListener;
  startTimeoutMs: number;
  /** After Stop, how long to wait for the run's ports to close before giving up on them. */
  portCloseTimeoutMs: number;
}

/**
 * Whether an open port belongs to this run rather than to another slot's. A port event names
 * no process, but stages derive their internal ports from PORT in steps of 100 (PORT+100,
 * PORT+200, …) and each slot has its own PORT (3000, 3001, …): a port that fits another
 * slot's PORT and not ours is theirs.
 */
export function portOfRun(port: number, ours: number, others: number[]): boolean {
  const fits = (base: number) => port >= base && (port - base) % 100 === 0;
  return fits(ours) || !others.some(fits);
}

export async function startRun(settings: RunSettings): Promise<RunningStage> {
  const { state, instance, slot, current, listener, start } = settings;
  const { port } = current;
  state.ports.delete(port);
  listener.status('starting', `${start.text} (PORT=${port})`);

  // Every port that opens while this run lives, for the wait after Stop.
  const used = new Set<number>();
  const otherPorts = () => [...state.slots.values()].filter((other) => other !== current).map((other) => other.port);
  const notePort = (opened: number, open: boolean) => {
    if (open && portOfRun(opened, port, otherPorts())) used.add(opened);
  };
  state.portChanged.add(notePort);

  const process = await instance.spawn(start.command, start.args, { cwd: settings.cwd, env: { ...settings.env, ...start.env, PORT: port } });

  let stopping = false;
  let sawReadyLine = false;
  const readyLine = readyLineDetector();
  void process.output
    .pipeTo(
      new WritableStream({
        write(chunk) {
          listener.output(chunk);
          if (!sawReadyLine) sawReadyLine = readyLine(chunk);
        },
      }),
    )
    .catch(() => {});

  let hasExited = false;
  const exited: Promise<number | null> = process.exit.then(
    (code) => code,
    () => null,
  );
  void exited.then(() => (hasExited = true));

  const ready = (async () => {
    const exitedEarly = exited.then((code) => {
      throw new RuntimeError(
        stopping ? 'The stage was stopped before it was ready.' : `${start.text} exited (code ${code}) before the stage was ready.`,
        stopping ? 'Press Run to start it again.' : 'The Output shows what went wrong; fix it and press Run again.',
      );
    });
    exitedEarly.catch(() => {}); // also rejects after a normal stop, when nobody waits any more
    const tooSlow = () => new RuntimeError(`${notReadyInTime(settings.startTimeoutMs)} (PORT ${port})`, 'The Output shows how far it got; fix it and press Run again.');
    const outcome = await withTimeout(
      Promise.race([
        waitUntilReady({
          // The port event comes first: asking /health costs a process in the container.
          printedReadyLine: () => sawReadyLine && state.ports.has(port),
          health: async () => (await request(state, instance, port, { method: 'GET', path: HEALTH_PATH })).status,
          stopped: () => stopping || hasExited,
          deadline: Date.now() + settings.startTimeoutMs,
          pauseMs: 200,
        }),
        exitedEarly,
      ]),
      settings.startTimeoutMs + 1_000,
      tooSlow,
    );
    if (outcome === 'timed-out') throw tooSlow();
    if (outcome === 'stopped') {
      if (!stopping) await exitedEarly; // throws with the exit code
      throw new RuntimeError('The stage was stopped before it was ready.', 'Press Run to start it again.');
    }
    const url = state.ports.get(port) ?? `http://127.0.0.1:${port}`;
    listener.status('ready', url);
    return url;
  })();
  ready.catch((error: unknown) => {
    if (!stopping) listener.status('error', describe(error));
  });

  void exited.then((code) => {
    if (stopping) listener.status('stopped');
    else if (sawReadyLine) listener.status('stopped', `The stage exited (code ${code}).`);
  });

  /** Waits for the run's ports to close; says so when some stay open. */
  async function portsClosed(): Promise<void> {
    const open = [...new Set([...used, port])].filter((p) => state.ports.has(p));
    if (open.length === 0) return;
    if (await waitForPorts(state, open, false, settings.portCloseTimeoutMs)) return;
    const left = open.filter((p) => state.ports.has(p));
    listener.output(`Port${left.length > 1 ? 's' : ''} ${left.join(', ')} still open ${settings.portCloseTimeoutMs / 1000} s after Stop; the next Run may find ${left.length > 1 ? 'them' : 'it'} in use.\n`);
  }

  let stopped: Promise<void> | undefined;
  const run: RunningStage = {
    ready,
    exited,
    request: async (req) => {
      await ready;
      return request(state, instance, port, req);
    },
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        process.kill();
        await Promise.race([exited, sleep(5_000)]);
        // Ports close a moment after the processes are gone; the next run needs them free.
        await portsClosed();
        state.portChanged.delete(notePort);
        if (current.run === run) {
          current.run = undefined;
          state.reportError.delete(slot);
        }
      })()),
  };
  current.run = run;
  return run;
}
