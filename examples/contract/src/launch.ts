// Starts a stage the way a reader does (what `npm start` runs, in its folder) and stops it the
// way a supervisor does (SIGTERM, then SIGKILL). Tests, exercise checks and benchmarks share it,
// so every stage is judged from the outside only.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type StopResult = {
  // true when every process of the stage was gone within the grace period after SIGTERM
  exitedInTime: boolean;
  // milliseconds from SIGTERM until the last process was gone (or until we gave up)
  ms: number;
};

export type Stage = {
  url: string;
  port: number;
  // everything the stage printed so far, stdout and stderr interleaved as they arrived
  output(): string;
  // the command lines of the stage's Node processes (npm, which started them, aside);
  // undefined where the system does not list processes in /proc
  nodeProcesses(): string[][] | undefined;
  stop(): Promise<StopResult>;
};

export type StartOptions = {
  env?: Record<string, string>;
  timeoutMs?: number;
  stopGraceMs?: number;
};

// A stage listens on PORT and on PORT+100, +200, ... for its other processes, so a free PORT
// is not enough: every port of the stage must be free. The candidates lie below the ports
// operating systems hand out to outgoing connections (32768 and up on Linux, 49152 and up on
// macOS and Windows), so no client socket of a stage running next to it can take one of them.
// A port can still be taken between this check and the stage's listen; fine for tests.
// Stage 10 reaches furthest: its replicas listen from PORT+1000 and its workers from PORT+2000
// (up to PORT+2900 with ten of each), so the run is 30 ports and ends below 32768.
const portSpan = 30;
const lowestPort = 10_000;
const highestPort = 32_768 - portSpan * 100 - 100;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = lowestPort + Math.floor(Math.random() * (highestPort - lowestPort));
    const all = await Promise.all(Array.from({ length: portSpan }, (_, i) => canListen(port + i * 100)));
    if (all.every(Boolean)) return port;
  }
  throw new Error(`no free run of ${portSpan} ports (step 100) between ${lowestPort} and ${highestPort + portSpan * 100}`);
}

/** A port that was free a moment ago: connections to it are refused, as to a service that is down. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function toPath(dir: URL | string): string {
  return typeof dir === 'string' ? dir : fileURLToPath(dir);
}

// Process groups we started and have not yet seen gone: if this process ends without
// stopping them (a crash, process.exit in a test), they are killed rather than orphaned.
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

// The pids of the live members of a process group, from /proc (Linux); undefined where there
// is no /proc. A process that has exited but was not yet reaped by its parent (a zombie) is
// not live.
function groupMembers(pgid: number): number[] | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const members: number[] = [];
  for (const name of names) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after "(command)": state, ppid, pgrp, ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(name));
    } catch {
      // gone between listing and reading
    }
  }
  return members;
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return []; // gone since it was listed
  }
}

// Is any process of the group still running? kill(0) also counts zombies, so on Linux /proc
// is asked which members are really alive.
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  return (groupMembers(pgid)?.length ?? 1) > 0;
}

// What `npm start` runs, without npm: the start script's `node <entry>` on this very Node, and
// where this Node does not strip types itself (a container's may not), with the hook of
// strip-types.mjs. npm would add a shell and itself between us and the stage, and where
// process groups cannot be signalled (inside WebContainer, or the container double that models
// it), stop() reaches only its direct child: npm ends and leaves the stage running. The
// stage's supervisor passes the hook on to every process it starts. A start script of any
// other form still goes through `npm start` where Node strips types.
const stripTypesHook = fileURLToPath(new URL('../strip-types.mjs', import.meta.url));
export function startCommand(stageDir: string, features: { typescript: string | false } = process.features): [string, string[]] {
  const start: unknown = JSON.parse(readFileSync(join(stageDir, 'package.json'), 'utf8')).scripts?.start;
  const entry = typeof start === 'string' ? /^node ([^\s]+\.ts)$/.exec(start)?.[1] : undefined;
  if (entry) return [process.execPath, features.typescript ? [entry] : ['--import', stripTypesHook, entry]];
  if (features.typescript) return ['npm', ['start']];
  throw new Error(`${stageDir}: its start script must be "node <file>.ts" to run without type stripping, got ${JSON.stringify(start)}`);
}

export async function startStage(stageDir: URL | string, options: StartOptions = {}): Promise<Stage> {
  // SHOP_STAGE_LAUNCHER: a module whose startStage() starts the stage some other way (the
  // site's container double, site/runtime/testing/container-launcher.ts); the checks stay the same.
  const launcher = process.env.SHOP_STAGE_LAUNCHER;
  if (launcher) return ((await import(pathToFileURL(launcher).href)) as { startStage: typeof startStage }).startStage(stageDir, options);
  const cwd = toPath(stageDir);
  // Generous: the split stages start six or more processes, and a busy two-core machine can take
  // a minute; how fast a stage starts is measured by `npm run bench`, not asserted here.
  const timeoutMs = options.timeoutMs ?? 60_000;
  const graceMs = options.stopGraceMs ?? 5_000;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  // detached: the stage gets its own process group, so stop() reaches npm, the shell and
  // every process the stage itself starts, not just the npm we spawned.
  const [command, args] = startCommand(cwd);
  const shown = command === 'npm' ? 'npm start' : ['node', ...args].join(' ');
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...options.env, PORT: String(port) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pgid = child.pid;

  let output = '';
  // The same output with each line's arrival time since the spawn, for the message of a stage
  // that does not start: which service went quiet, and when, is most of the diagnosis.
  let timed = '';
  const spawnedAt = Date.now();
  const collect = (text: string) => {
    const stamp = `[+${((Date.now() - spawnedAt) / 1000).toFixed(1)} s] `;
    timed += (timed === '' || timed.endsWith('\n') ? stamp : '') + text.replace(/\n(?=.)/g, `\n${stamp}`);
    output += text;
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  let exited = false;
  let exitText = '';
  let spawnError: Error | undefined;
  child.once('exit', (code, signal) => {
    exited = true;
    exitText = signal ? `signal ${signal}` : `code ${code}`;
  });
  child.once('error', (error) => {
    spawnError = error;
    exited = true;
  });
  if (pgid !== undefined) liveGroups.add(pgid);

  const signal = (name: NodeJS.Signals) => {
    if (pgid === undefined) return;
    try {
      process.kill(-pgid, name);
    } catch {
      // No group to signal (already gone, or a platform without process groups):
      // fall back to the child itself.
      try {
        child.kill(name);
      } catch {
        // already gone
      }
    }
  };
  const allGone = () => exited && (pgid === undefined || !groupAlive(pgid));

  let stopping: Promise<StopResult> | undefined;
  const stop = (): Promise<StopResult> => {
    stopping ??= (async () => {
      const started = Date.now();
      signal('SIGTERM');
      let exitedInTime = false;
      while (Date.now() - started < graceMs) {
        if (allGone()) {
          exitedInTime = true;
          break;
        }
        await sleep(25);
      }
      const ms = Date.now() - started;
      if (!exitedInTime) {
        signal('SIGKILL');
        const killedAt = Date.now();
        while (!allGone() && Date.now() - killedAt < 2_000) await sleep(25);
      }
      child.stdout.destroy();
      child.stderr.destroy();
      if (pgid !== undefined) liveGroups.delete(pgid);
      return { exitedInTime, ms };
    })();
    return stopping;
  };

  const deadline = Date.now() + timeoutMs;
  const fail = async (why: string): Promise<never> => {
    await stop();
    throw new Error(`${why}\n--- output of ${shown} in ${cwd} (seconds since it was started) ---\n${timed}--- end of output ---`);
  };

  for (;;) {
    if (spawnError) await fail(`could not run ${shown}: ${spawnError.message}`);
    if (exited) await fail(`the stage exited (${exitText}) before it was ready`);
    if (Date.now() > deadline) {
      await fail(`the stage did not print a "ready" line and answer GET /health within ${timeoutMs / 1000} s`);
    }
    if (output.split('\n').some((line) => /\bready\b/.test(line))) {
      try {
        const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
        await res.arrayBuffer();
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
    }
    await sleep(50);
  }

  const nodeProcesses = () =>
    pgid === undefined
      ? undefined
      : groupMembers(pgid)
          ?.map(commandLine)
          .filter((argv) => /(^|[\\/])node(\.exe)?$/.test(argv[0] ?? '') && !argv.some((arg) => /npm-cli|[\\/]npm$/.test(arg)));
  return { url, port, output: () => output, nodeProcesses, stop };
}

export type JsonResponse<T> = {
  status: number;
  headers: Headers;
  // the parsed body, or undefined when it is empty or not JSON
  json: T;
  text: string;
};

// A small JSON client. A string body is sent as it is (for malformed or oversized bodies);
// anything else is sent as JSON.
export async function request<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const init: RequestInit = { method, headers: { ...headers }, signal: AbortSignal.timeout(15_000) };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json', ...headers };
  }
  const res = await fetch(new URL(path, baseUrl), init);
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json: json as T, text };
}
