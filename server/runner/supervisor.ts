// The leader of a run's process group: `node supervisor.ts <workspace> npm start`. It runs the
// command in its own group and ties the group's life to the site server's: the server holds
// our stdin open, so when the server goes away by any means (even SIGKILL), stdin ends and we
// stop the whole group and remove the workspace. Without this, a killed server would leave the
// stage's processes running.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { constants } from 'node:os';

const [workspace, command, ...args] = process.argv.slice(2);
if (!workspace || !command) {
  console.error('usage: node supervisor.ts <workspace> <command> [args...]');
  process.exit(2);
}

const killGroup = (signal: NodeJS.Signals) => {
  try {
    process.kill(-process.pid, signal);
  } catch {
    // the group is gone already
  }
};

// The server signals the whole group; the command gets the signal too, so we only wait for it
// to end and report its exit code.
process.on('SIGTERM', () => {});
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});

let orphaned = false;
let commandEnded: () => void = () => {};
const ended = new Promise<void>((resolve) => (commandEnded = resolve));

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' });
child.on('error', (error) => {
  console.error(`Could not run "${[command, ...args].join(' ')}": ${error.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  commandEnded();
  if (!orphaned) process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
});

const onParentGone = async () => {
  if (orphaned) return;
  orphaned = true;
  killGroup('SIGTERM');
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  try {
    rmSync(workspace, { recursive: true, force: true });
  } catch {
    // best effort: the temp folder is the OS's to clean then
  }
  killGroup('SIGKILL');
};
process.stdin.on('end', onParentGone);
process.stdin.on('close', onParentGone);
process.stdin.on('error', onParentGone);
process.stdin.resume();
