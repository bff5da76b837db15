// A small process supervisor, the part of `npm start` that a container runtime or Docker
// Compose would do later on: it starts each service as its own Node process, waits until
// each one is healthy, prints ONE line containing "ready", restarts a service that dies
// (waiting longer after each quick failure, like a container restart policy), and on
// SIGTERM or Ctrl+C stops them all and leaves nothing behind. Killed outright, it still leaves
// nothing: each service stops when its input from the supervisor closes (exitWithSupervisor).
//
// src/start.ts says which services this stage has; this file knows nothing about the shop.
// Later stages copy it as it is.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type Service = {
  name: string;
  // the script to run with node, relative to the stage folder, and its environment
  script: string;
  env: Record<string, string>;
  // healthy when GET url answers 200, or when the TCP port takes a connection
  health: { http: string } | { tcp: number };
};

// Where this Node cannot strip types itself (process.features.typescript is false), the stage
// was started with the hook that does (`node --import ../contract/strip-types.mjs src/start.ts`),
// and every service needs it too.
const nodeArgs = process.features.typescript ? [] : ['--import', fileURLToPath(new URL('../../contract/strip-types.mjs', import.meta.url))];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const say = (line: string) => console.log(`supervisor: ${line}`);

// #region restart-policy
// After a crash: wait 250 ms, then 0.5 s, 1 s, 2 s ... up to 8 s while the service keeps
// dying soon after it starts; once it has stayed up for 10 s, the next crash starts again
// at 250 ms.
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 8_000;
const STABLE_AFTER_MS = 10_000;
const STOP_GRACE_MS = 4_000;

export function restartDelay(quickFailures: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** quickFailures, MAX_DELAY_MS);
}
// #endregion restart-policy

export async function healthy(check: Service['health']): Promise<boolean> {
  if ('http' in check) {
    try {
      const res = await fetch(check.http, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      return res.status === 200;
    } catch {
      return false;
    }
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: check.tcp });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

type Running = { service: Service; child?: ChildProcess; startedAt: number; quickFailures: number; restarts: number };

// #region supervise
// `waves` start one after another: every service of a wave is healthy before the next wave
// starts (the database before the services that use it). `onReady` prints the ready line.
export async function supervise(waves: Service[][], onReady: () => void): Promise<void> {
  const all: Running[] = [];
  let stopping = false;
  let ready = false;

  function launch(run: Running): void {
    const child = spawn(process.execPath, [...nodeArgs, run.service.script], {
      env: { ...process.env, ...run.service.env, SUPERVISED: '1' },
      // stdin a pipe that nothing writes to: it closes when the supervisor ends, however it ends.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    run.child = child;
    run.startedAt = Date.now();
    // Every line a service prints, with its name in front, as `docker compose up` does.
    const label = run.service.name.padEnd(13);
    createInterface({ input: child.stdout! }).on('line', (line) => console.log(`${label} | ${line}`));
    createInterface({ input: child.stderr! }).on('line', (line) => console.error(`${label} | ${line}`));
    child.once('exit', (code, signal) => onExit(run, child, code, signal));
  }

  function onExit(run: Running, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (run.child !== child || stopping) return;
    run.child = undefined;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!ready) {
      // Broken from the start (a failed check, a port in use): restarting would not help.
      say(`${run.service.name} exited (${how}) before the stage was ready; stopping everything`);
      void stopAll(1);
      return;
    }
    run.quickFailures = Date.now() - run.startedAt > STABLE_AFTER_MS ? 0 : run.quickFailures + 1;
    // (a crash after a stable run, or the first quick one, waits FIRST_DELAY_MS)
    const delay = restartDelay(Math.max(0, run.quickFailures - 1));
    run.restarts += 1;
    say(`${run.service.name} exited (${how}); restarting it in ${delay} ms (restart ${run.restarts})`);
    setTimeout(() => {
      if (stopping) return;
      const began = Date.now();
      launch(run);
      void waitHealthy(run, 60_000).then((ok) => {
        if (ok && !stopping) say(`${run.service.name} is back, healthy after ${Date.now() - began} ms (pid ${run.child?.pid})`);
      });
    }, delay);
  }

  async function waitHealthy(run: Running, timeoutMs: number): Promise<boolean> {
    const child = run.child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (stopping || run.child !== child) return false;
      if (await healthy(run.service.health)) return true;
      await sleep(50);
    }
    return false;
  }

  // SIGTERM to every service, the database last; SIGKILL whatever is left after the grace.
  async function stopAll(exitCode: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    const alive = (run: Running) => run.child && run.child.exitCode === null && run.child.signalCode === null;
    for (const wave of [...waves].reverse()) {
      const runs = all.filter((run) => wave.includes(run.service) && alive(run));
      for (const run of runs) run.child?.kill('SIGTERM');
      const deadline = Date.now() + STOP_GRACE_MS;
      while (runs.some(alive) && Date.now() < deadline) await sleep(20);
      for (const run of runs.filter(alive)) run.child?.kill('SIGKILL');
    }
    process.exit(exitCode);
  }

  process.once('SIGTERM', () => void stopAll(0));
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGHUP', () => void stopAll(0));

  for (const wave of waves) {
    const runs = wave.map((service) => ({ service, startedAt: 0, quickFailures: 0, restarts: 0 }));
    all.push(...runs);
    runs.forEach(launch);
    const results = await Promise.all(runs.map((run) => waitHealthy(run, 60_000)));
    if (stopping) return;
    const sick = runs.filter((_, i) => !results[i]);
    if (sick.length > 0) {
      say(`${sick.map((run) => run.service.name).join(', ')} did not become healthy within 60 s; stopping everything`);
      await stopAll(1);
      return;
    }
  }
  ready = true;
  onReady();
}
// #endregion supervise

// #region exit-with-supervisor
// For the services: if the supervisor is killed outright (SIGKILL, or a runtime whose kill()
// sends no signal at all, like WebContainer's), it has no chance to stop anyone. The one thing
// every runtime does when a process ends is close what it held open, so each service watches
// its input, a pipe from the supervisor, and stops when it closes. No orphans, and no signal,
// process list or parent pid needed (a container may offer none of them).
// Each service calls it first, before it awaits anything: one still starting (a restart the
// supervisor had just made, a slow database) must stop too, or it outlives a Stop that sends no signal.
export function exitWithSupervisor(): void {
  if (process.env.SUPERVISED !== '1') return;
  process.stdin.once('end', () => process.exit(0));
  process.stdin.resume();
  // Watching must not keep a service alive that is stopping by itself.
  (process.stdin as { unref?: () => void }).unref?.();
}
// #endregion exit-with-supervisor
