// A stage's processes as one unit: `npm start` runs under a small supervisor that leads its own
// process group, so stopping reaches npm, the shell and everything the stage starts itself.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRunning, parseStat } from './proc.ts';

const supervisor = fileURLToPath(new URL('./supervisor.ts', import.meta.url));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// A stage needs a run of free ports (PORT, PORT+100, ...): the stages' own launcher knows how
// to find one, and the site's runner starts stages the same way the tests do.
export { freePort } from '../../examples/contract/src/launch.ts';

/**
 * Is any process of the group still running? A zombie (exited, not yet reaped) still counts
 * for kill(0), and in a container nothing may reap it, so on Linux /proc is asked instead.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const name of names) {
    if (!/^[0-9]+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const info = parseStat(stat);
    if (info.pgrp === pgid && isRunning(info)) return true;
  }
  return false;
}

export interface ProcessGroup {
  readonly pid: number | undefined;
  /** Resolves with the command's exit code once the supervisor has ended. */
  readonly exited: Promise<number | null>;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when every process is gone. */
  stop(graceMs: number): Promise<void>;
}

// Groups started by this server and not yet seen gone: if the server ends without stopping
// them (process.exit, a crash), they are killed on the way out.
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

export interface GroupOptions {
  command: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Removed by the supervisor if this server dies without stopping the group. */
  workspace: string;
  /** stream: which pipe the text came from (each is cut into chunks of its own); 'runner' for our own lines. */
  output(text: string, stream: 'stdout' | 'stderr' | 'runner'): void;
}

export function startGroup({ command, cwd, env, workspace, output }: GroupOptions): ProcessGroup {
  // The stage runs on the same Node as this server, whatever `node` the PATH names first.
  const path = [dirname(process.execPath), env.PATH ?? process.env.PATH ?? ''].join(delimiter);
  const child = spawn(process.execPath, [supervisor, workspace, ...command], {
    cwd,
    env: { ...env, PATH: path },
    detached: true,
    // stdin stays an open pipe: its end tells the supervisor that this server is gone.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const pgid = child.pid;
  if (pgid !== undefined) liveGroups.add(pgid);
  child.stdin.on('error', () => {});
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (text: string) => output(text, 'stdout'));
  child.stderr.on('data', (text: string) => output(text, 'stderr'));

  let supervisorDone = false;
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      supervisorDone = true;
      resolve(code);
    });
    child.once('error', (error) => {
      supervisorDone = true;
      output(`Could not start the stage: ${error.message}\n`, 'runner');
      resolve(null);
    });
  });

  const signal = (name: NodeJS.Signals) => {
    if (pgid === undefined) return;
    try {
      process.kill(-pgid, name);
    } catch {
      // no such group any more
    }
  };
  const allGone = () => supervisorDone && (pgid === undefined || !groupAlive(pgid));

  let stopping: Promise<void> | undefined;
  const stop = (graceMs: number) => {
    stopping ??= (async () => {
      if (!allGone()) {
        signal('SIGTERM');
        const deadline = Date.now() + graceMs;
        while (!allGone() && Date.now() < deadline) await sleep(20);
        if (!allGone()) {
          signal('SIGKILL');
          const killDeadline = Date.now() + 2_000;
          while (!allGone() && Date.now() < killDeadline) await sleep(20);
        }
      }
      child.stdin.destroy();
      // Let the last output arrive before the caller reports the run as stopped.
      await Promise.race([closed, sleep(500)]);
      if (pgid !== undefined) liveGroups.delete(pgid);
    })();
    return stopping;
  };

  return { pid: pgid, exited, stop };
}
