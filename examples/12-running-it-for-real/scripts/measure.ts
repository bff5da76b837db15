// What the stage costs to start and to keep running, as the chapter reports it:
//
//   node scripts/measure.ts                      on PGlite and aedes (the stage's own processes)
//   DATABASE_URL=postgres://... BROKER_URL=mqtt://... node scripts/measure.ts
//
// Starts `npm start` three times (as the tests do: ../contract/src/launch.ts), and prints the
// median time to the ready line, then the Node processes of the last run and their memory
// (RSS from /proc, so Linux only) after one GET /products. A real PostgreSQL's and
// Mosquitto's own memory is not in it: they are not this stage's processes.
import { readdirSync, readFileSync } from 'node:fs';
import { request, startStage } from '../../contract/src/launch.ts';

const repeats = Number(process.env.REPEATS) || 3;

// The processes of a process group, with their command lines and resident memory.
function group(pgid: number): { pid: number; command: string; rssKiB: number }[] {
  const found = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${name}/status`, 'utf8'));
      found.push({ pid: Number(name), command, rssKiB: Number(rss?.[1] ?? 0) });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const times: number[] = [];
for (let i = 1; i <= repeats; i++) {
  const started = performance.now();
  const stage = await startStage(new URL('..', import.meta.url), { timeoutMs: 120_000 });
  times.push(performance.now() - started);
  if (i === repeats) {
    await request(stage.url, 'GET', '/products');
    const pgid = findGroup(stage.port);
    const nodes = group(pgid).filter((p) => /\/src\/([\w-]+-)?main\.ts$/.test(p.command));
    for (const p of nodes) console.log(`  ${String(Math.round(p.rssKiB / 1024)).padStart(4)} MB  ${p.command.replace(/^.*\/(src\/[\w-]+\.ts)$/, '$1')}`);
    const total = nodes.reduce((sum, p) => sum + p.rssKiB, 0);
    console.log(`${nodes.length} service processes (and the supervisor), ${Math.round(total / 1024)} MB RSS together`);
    console.log(stage.output().split('\n').find((line) => /\bready\b/.test(line)));
  }
  await stage.stop();
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`Run -> Ready: median ${(sorted[Math.floor(sorted.length / 2)]! / 1000).toFixed(1)} s of ${times.map((t) => (t / 1000).toFixed(1)).join(', ')} s`);

// The process group of the stage listening on `port`: the group of its supervisor.
function findGroup(port: number): number {
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('src/start.ts')) continue;
      if (!readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(`PORT=${port}`)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    } catch {
      // gone, or not ours
    }
  }
  throw new Error(`no supervisor (src/start.ts) with PORT=${port}`);
}
