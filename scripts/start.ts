// `npm start` for a newcomer: install what is missing, build the site when its sources are
// newer than the last build, then serve it with the isolation headers.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startSiteServer, stopOnSignals } from '../server/main.ts';

const root = new URL('..', import.meta.url).pathname;

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function newestChange(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestChange(join(path, name)));
  }
  return newest;
}

if (!existsSync(join(root, 'node_modules', '.bin', 'astro'))) {
  console.log('Installing dependencies (first run only)…');
  run('npm', ['install', '--no-audit', '--no-fund']);
}

const builtAt = existsSync(join(root, 'dist', 'index.html')) ? statSync(join(root, 'dist', 'index.html')).mtimeMs : 0;
const sources = ['site', 'chapters', 'examples', 'public', 'astro.config.mjs'].map((p) => join(root, p)).filter(existsSync);
if (Math.max(...sources.map(newestChange)) > builtAt) {
  console.log('Building the site…');
  run('npm', ['run', 'build', '--silent']);
}

const port = Number(process.env.PORT ?? 4321);
const server = await startSiteServer({ port }).catch((error: Error & { code?: string }) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is in use: set PORT to another one, e.g. PORT=4400 npm start` : error.message);
  process.exit(1);
});
console.log(`\n  The tutorial is at http://localhost:${port}/  (stop with Ctrl+C)\n`);
// Stops every stage the Local runtime started, then the server.
stopOnSignals(server);
