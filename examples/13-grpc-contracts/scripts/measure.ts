// What the stage costs to start and to keep running, as the chapter reports it:
//
//   node scripts/measure.ts --record             on PGlite and aedes (the stage's own processes)
//   DATABASE_URL=postgres://... BROKER_URL=mqtt://... node scripts/measure.ts --record
//
// Starts `npm start` three times (as the tests do: ../contract/src/launch.ts), and prints the
// median time to the ready line, then the Node processes of the last run and their memory
// (RSS from /proc, so Linux only) after one GET /products. On a real PostgreSQL and Mosquitto
// it adds what they cost: the server's processes that serve this stage (the postmaster, its
// helpers and the backends of this stage's own connections) as their proportional share (PSS,
// since they share most of their pages), and Mosquitto's RSS.
//
// With --record it writes the figures to the project's measurements.json (section
// `measure-12-pglite` or `measure-12-real`), which chapter 12 renders with <Measured>.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { recorderIfAsked, type Figure } from './record.ts';
import { request, startStage } from '../../contract/src/launch.ts';

const repeats = Number(process.env.REPEATS) || 3;
const real = Boolean(process.env.DATABASE_URL && process.env.BROKER_URL);
const record = await recorderIfAsked();

type Proc = { pid: number; ppid: number; pgid: number; command: string; rssKiB: number };

function processes(): Proc[] {
  const found: Proc[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${name}/status`, 'utf8'));
      found.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]), command, rssKiB: Number(rss?.[1] ?? 0) });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

// 0 for a process gone since it was listed (a PostgreSQL backend of another client, say)
function pssKiB(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
const mb = (kib: number) => Math.round(kib / 1024);
const bytes = (kib: number): Figure => ({ value: kib * 1024, unit: 'bytes' });

// The local TCP ports of the sockets a set of processes holds open: a PostgreSQL backend names
// its client's port, so this tells this stage's connections from anyone else's.
function clientPorts(pids: number[]): Set<number> {
  const inodes = new Set<string>();
  for (const pid of pids) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' });
        const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
        if (inode) inodes.add(inode);
      }
    } catch {
      // gone meanwhile
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns.length > 9 && inodes.has(columns[9]!)) ports.add(parseInt(columns[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

const times: number[] = [];
const figures: Record<string, Figure> = {};
for (let i = 1; i <= repeats; i++) {
  const started = performance.now();
  const stage = await startStage(new URL('..', import.meta.url), { timeoutMs: 120_000 });
  times.push(performance.now() - started);
  if (i === repeats) {
    await request(stage.url, 'GET', '/products');
    const all = processes();
    const pgid = findGroup(stage.port, all);
    const nodes = all.filter((p) => p.pgid === pgid && /\/src\/([\w-]+-)?main\.ts$/.test(p.command));
    for (const p of nodes) console.log(`  ${String(mb(p.rssKiB)).padStart(4)} MB  ${p.command.replace(/^.*\/(src\/[\w-]+\.ts)$/, '$1')}`);
    const total = nodes.reduce((sum, p) => sum + p.rssKiB, 0);
    console.log(`${nodes.length} service processes (and the supervisor), ${mb(total)} MB RSS together`);
    console.log(stage.output().split('\n').find((line) => /\bready\b/.test(line)));
    figures['node-processes'] = { value: nodes.length, unit: 'count' };
    figures.rss = bytes(total);
    const database = nodes.find((p) => p.command.endsWith('src/database-main.ts'));
    if (database) figures['database-rss'] = bytes(database.rssKiB);
    // the services: every process but the stand-ins for the database and the broker
    const services = nodes.filter((p) => !/src\/(database|broker)-main\.ts$/.test(p.command)).map((p) => p.rssKiB);
    figures['service-rss-least'] = bytes(Math.min(...services));
    figures['service-rss-most'] = bytes(Math.max(...services));
    if (real) Object.assign(figures, serversCost(all, nodes.map((p) => p.pid)));
  }
  await stage.stop();
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`Run -> Ready: median ${(sorted[Math.floor(sorted.length / 2)]! / 1000).toFixed(1)} s of ${times.map((t) => (t / 1000).toFixed(1)).join(', ')} s`);
figures['ready-median'] = { value: Math.round(sorted[Math.floor(sorted.length / 2)]!), unit: 'ms' };
figures['ready-fastest'] = { value: Math.round(sorted[0]!), unit: 'ms' };
figures['ready-slowest'] = { value: Math.round(sorted.at(-1)!), unit: 'ms' };
for (const [run, ms] of times.entries()) figures[`ready-run-${run + 1}`] = { value: Math.round(ms), unit: 'ms' };

if (record) {
  const name = real ? 'measure-12-real' : 'measure-12-pglite';
  const command = real
    ? 'cd examples/13-grpc-contracts && DATABASE_URL=$TEST_DATABASE_URL BROKER_URL=$TEST_BROKER_URL node scripts/measure.ts --record'
    : 'cd examples/13-grpc-contracts && node scripts/measure.ts --record';
  record(name, command, figures);
}

// What the real PostgreSQL and Mosquitto cost while they serve this stage.
function serversCost(all: Proc[], stagePids: number[]): Record<string, Figure> {
  const ports = clientPorts(stagePids);
  const postmasters = all.filter((p) => /(^|\/)postgres\b.*\s-D\s/.test(p.command));
  const children = all.filter((p) => postmasters.some((m) => m.pid === p.ppid));
  const backend = (p: Proc) => /\((\d+)\)/.exec(p.command);
  const ours = children.filter((p) => !backend(p) || ports.has(Number(backend(p)![1])));
  const connections = ours.filter((p) => backend(p)).length;
  const server = [...postmasters, ...ours];
  const pss = server.reduce((sum, p) => sum + pssKiB(p.pid), 0);
  // the Mosquitto at BROKER_URL when its command line names the port, else every Mosquitto here
  const brokerPort = new URL(process.env.BROKER_URL!).port || '1883';
  const mosquittos = all.filter((p) => /(^|\/)mosquitto\b/.test(p.command));
  const onPort = mosquittos.filter((p) => new RegExp(`-p ${brokerPort}\\b`).test(p.command));
  const mosquitto = onPort.length > 0 ? onPort : mosquittos;
  console.log(`PostgreSQL: ${server.length} processes (${connections} connections of this stage), ${mb(pss)} MB PSS; Mosquitto: ${mb(mosquitto.reduce((s, p) => s + p.rssKiB, 0))} MB RSS`);
  return {
    'postgres-processes': { value: server.length, unit: 'count' },
    'postgres-connections': { value: connections, unit: 'count' },
    'postgres-pss': bytes(pss),
    'mosquitto-rss': bytes(mosquitto.reduce((s, p) => s + p.rssKiB, 0)),
  };
}

// The process group of the stage listening on `port`: the group of its supervisor.
function findGroup(port: number, all: Proc[]): number {
  for (const p of all.filter((p) => p.command.includes('src/start.ts'))) {
    try {
      if (readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').includes(`PORT=${port}`)) return p.pgid;
    } catch {
      // gone, or not ours
    }
  }
  throw new Error(`no supervisor (src/start.ts) with PORT=${port}`);
}
