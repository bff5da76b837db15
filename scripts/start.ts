// `npm start` for a newcomer: install what is missing, build the site when its sources differ
// from the last build's (./lib/rebuild.ts), then serve it with the isolation headers. It prints a few lines a
// person can follow; what npm and the build print goes to .start.log, shown only on a failure.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, openSync, readFileSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { entryUrl, startSiteServer, stopOnSignals } from '../server/main.ts';
import { savedToken } from '../server/runner/saved-token.ts';
import { needsRebuild, recordBuild } from './lib/rebuild.ts';

const root = new URL('..', import.meta.url).pathname;
const logFile = join(root, '.start.log');

/** Runs one step with its output in the log; on failure prints the end of the log and exits. */
async function step(label: string, command: string, args: string[]): Promise<void> {
  const started = Date.now();
  process.stdout.write(`${label}…`);
  appendFileSync(logFile, `\n=== ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  const log = openSync(logFile, 'a');
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', log, log], shell: process.platform === 'win32' });
    child.once('error', (error) => {
      appendFileSync(logFile, `${error.message}\n`);
      resolve(null);
    });
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  closeSync(log);
  if (code === 0) {
    console.log(` done (${Math.round((Date.now() - started) / 1000)} s)`);
    return;
  }
  const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-40).join('\n');
  console.log(' failed.\n');
  console.error(tail);
  console.error(`\n${label} failed (exit code ${code}). The whole output is in ${logFile}`);
  process.exit(code ?? 1);
}

writeFileSync(logFile, `npm start, ${new Date().toISOString()}\n`);

if (!existsSync(join(root, 'node_modules', '.bin', 'astro'))) {
  await step('Installing dependencies (first run, about a minute)', 'npm', ['install', '--no-audit', '--no-fund']);
}

const build = needsRebuild(root);
if (build.rebuild) {
  const first = !existsSync(join(root, 'dist', 'index.html'));
  await step(first ? 'Building the site (about two minutes the first time)' : `Rebuilding the site (${build.reason})`, 'npm', ['run', 'build', '--silent']);
  recordBuild(root, build.sources);
}

const port = Number(process.env.PORT ?? 4321);
// The token only reaches a browser through the address printed below (server/runner/page-token.ts).
const token = process.env.RUNNER_TOKEN || savedToken(join(root, 'node_modules', '.cache', 'monolith-to-distributed', 'runner-token'));
const server = await startSiteServer({ port, runner: { token } }).catch((error: Error & { code?: string }) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is in use: set PORT to another one, e.g. PORT=4400 npm start` : error.message);
  process.exit(1);
});
console.log(`\nReady: open ${entryUrl(port, token)}\n(that address lets this browser run the stages on this machine; stop with Ctrl+C)\n`);
// Stops every stage the Local runtime started, then the server.
stopOnSignals(server);
