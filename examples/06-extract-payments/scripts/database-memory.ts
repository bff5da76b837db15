// The measurement behind chapter 6's choice: one PGlite inside every service, or one database
// process that every service reaches over the Postgres wire protocol?
//
//   npm run bench:databases            (from examples/06-extract-payments; takes ~1 min)
//
// For 2 and 4 services, each way in turn: starts the processes, lets every service open its
// database (or its one connection), create its own table and run a few hundred queries, and
// adds up the memory (RSS) of all the processes 20 times a second. Prints the peak of that
// total while they start and the total once they have settled. Every process reports its own
// RSS (scripts/report-rss.ts), so this runs wherever Node runs.
//
//   npm run bench:databases -- --record   also writes the figures to the project's
//                                          measurements.json (section databases-06), which
//                                          chapter 6 renders with <Measured>

import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recorderIfAsked, type Figure } from './record.ts';
import { freePort } from '../../contract/src/launch.ts';
import { connectDatabase, openDatabase } from '../src/adapters/database.ts';
import type { Queryable } from '../src/shared/ports.ts';
import { healthy } from '../src/supervisor.ts';

const reporter = new URL('./report-rss.ts', import.meta.url).pathname;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

// What each service does with its database: a table of its own, writes, reads.
async function work(db: Queryable, name: string): Promise<void> {
  await db.exec(`CREATE TABLE ${name}_rows (id int PRIMARY KEY, note text NOT NULL)`);
  for (let i = 0; i < 200; i++) await db.query(`INSERT INTO ${name}_rows VALUES ($1, $2)`, [i, `row ${i} of ${name}`]);
  for (let i = 0; i < 200; i++) await db.query(`SELECT note FROM ${name}_rows WHERE id = $1`, [i]);
}

// A child process: `own <name>` opens a PGlite of its own; `client <name> <port>` holds one
// connection to the database process. Either says "done" when its work is finished.
async function child(role: string, name: string, port: number): Promise<void> {
  if (role === 'own') {
    const { db } = await openDatabase();
    await work(db, name);
  } else {
    await work(connectDatabase({ port, name, log: () => {} }), name);
  }
  process.send?.({ done: true });
}

type Sample = { rss?: number; done?: boolean };

// Starts the processes of one way, follows their total RSS, stops them. Returns peak and settled.
// `perService`: the settled RSS of one service process (the mean of them), without the database process.
async function measure(way: 'own' | 'shared', services: number): Promise<{ peak: number; settled: number; processes: number; perService: number }> {
  const rss = new Map<ChildProcess, number>();
  const total = () => [...rss.values()].reduce((a, b) => a + b, 0);
  let peak = 0;
  let done = 0;
  let exited: string | undefined;
  const start = (script: string, args: string[], env: Record<string, string> = {}) => {
    const proc = fork(script, args, { execArgv: ['--import', reporter], env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    proc.on('message', (message: Sample) => {
      if (message.done) done++;
      if (message.rss === undefined) return;
      rss.set(proc, message.rss);
      peak = Math.max(peak, total());
    });
    proc.once('exit', (code, signal) => (exited ??= `${script} ${args.join(' ')} exited (${signal ?? `code ${code}`})`));
    return proc;
  };
  // Waits for a condition, and gives up with the reason if one of the processes died.
  const until = async (condition: () => boolean | Promise<boolean>) => {
    while (!(await condition())) {
      if (exited) throw new Error(exited);
      await sleep(50);
    }
  };

  const procs: ChildProcess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-db-memory-'));
  try {
    let port = 0;
    if (way === 'shared') {
      port = await freePort();
      procs.push(start(new URL('../src/database-main.ts', import.meta.url).pathname, [], { PORT: String(port), DATA_DIR: dataDir }));
      await until(() => healthy({ tcp: port }));
    }
    for (let i = 1; i <= services; i++) procs.push(start(new URL(import.meta.url).pathname, [way === 'own' ? 'own' : 'client', `service${i}`, String(port)]));
    await until(() => done === services);
    await sleep(1_000);
    const settled = total();
    const serviceProcs = way === 'shared' ? procs.slice(1) : procs;
    const perService = serviceProcs.reduce((sum, proc) => sum + (rss.get(proc) ?? 0), 0) / serviceProcs.length;
    return { peak, settled, processes: procs.length, perService };
  } finally {
    for (const proc of procs) proc.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const [role, name, port] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
if (role) {
  await child(role, name!, Number(port));
  setInterval(() => {}, 60_000); // stay, so the settled memory is measured; the parent kills it
} else {
  const record = await recorderIfAsked();
  const figures: Record<string, Figure> = {};
  const bytes = (value: number): Figure => ({ value: Math.round(value), unit: 'bytes' });
  console.log('memory of all processes (RSS): peak while starting, and once settled');
  for (const services of [2, 4]) {
    for (const way of ['own', 'shared'] as const) {
      const { peak, settled, processes, perService } = await measure(way, services);
      const label = way === 'own' ? `${services} services, a PGlite in each` : `${services} services + 1 database process`;
      console.log(`  ${label.padEnd(38)} ${String(processes).padStart(2)} processes   peak ${mb(peak).padStart(8)}   settled ${mb(settled).padStart(8)}   ${mb(perService)} per service`);
      figures[`${services}-${way}/peak`] = bytes(peak);
      figures[`${services}-${way}/settled`] = bytes(settled);
      figures[`${services}-${way}/per-service`] = bytes(perService);
    }
  }
  record?.('databases-06', 'cd examples/06-extract-payments && npm run bench:databases -- --record', figures);
  process.exit(0);
}
