// The chapter's experiment as a test, with real processes: the stage's database process
// (PGlite over the Postgres wire protocol), 30 notification jobs, and three worker processes
// competing for them. One worker is killed with SIGKILL in the middle of a job. Every job is
// still done, exactly once, and the killed worker's job by another worker, as attempt 2.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { connectDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/adapters/database.ts';
import { enqueueNotification, notificationQueue } from '../src/modules/notifications/index.ts';
import type { WorkerSnapshot } from '../src/shared/job-worker.ts';
import { eventually, freePort, migrateNotifications, news } from './support.ts';

const DATABASE_MAIN = fileURLToPath(new URL('../src/database-main.ts', import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL('../src/worker-main.ts', import.meta.url));
const JOBS = 30;

const children: ChildProcess[] = [];
const output: string[] = [];
function start(script: string, name: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => output.push(...chunk.toString().trim().split('\n').map((line) => `${name} | ${line}`)));
  children.push(child);
  return child;
}
const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

let db: Database;
let dataDir: string;
const workers: { id: string; port: number; child: ChildProcess }[] = [];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stage-10-workers-'));
  const databasePort = await freePort();
  start(DATABASE_MAIN, 'database', { PORT: String(databasePort), DATA_DIR: dataDir });
  db = connectDatabase({ port: databasePort, name: 'test', waitMs: 30_000, log: () => {} });
  await migrateNotifications(db);
  const queue = notificationQueue(db);
  await db.transaction(async (tx) => {
    for (let i = 1; i <= JOBS; i++) await enqueueNotification(queue, tx, news(`ord_${String(i).padStart(2, '0')}`, `customer-${i % 4}`));
  });
  for (const id of ['worker-1', 'worker-2', 'worker-3']) {
    const port = await freePort();
    const env = { WORKER_ID: id, PORT: String(port), DATABASE_PORT: String(databasePort), SEND_MS: '250', LEASE_MS: '1500', POLL_MS: '100' };
    workers.push({ id, port, child: start(WORKER_MAIN, id, env) });
  }
});

after(async () => {
  for (const child of children.slice(1)) child.kill('SIGTERM');
  await Promise.all(children.slice(1).map(exited));
  await db?.close();
  children[0]?.kill('SIGTERM'); // the database last
  if (children[0]) await exited(children[0]);
  rmSync(dataDir, { recursive: true, force: true });
});

// Reads in a transaction: over pglite-socket, a connection's messages stay together only in one.
const read = <T>(sql: string, params?: unknown[]) => db.transaction(async (tx) => (await tx.query<T>(sql, params)).rows);
const snapshot = async (port: number): Promise<WorkerSnapshot | undefined> => {
  try {
    return (await (await fetch(`http://127.0.0.1:${port}/ops/worker`)).json()) as WorkerSnapshot;
  } catch {
    return undefined; // not listening yet
  }
};

describe('three worker processes', () => {
  it('share 30 jobs; one killed mid-job loses nothing, and nothing is done twice', { timeout: 90_000 }, async () => {
    try {
      // every worker takes part before the kill
      await eventually(async () => (await Promise.all(workers.map((w) => snapshot(w.port)))).every((s) => (s?.done ?? 0) >= 1), 30_000, 'each worker to finish a job');

      // kill -9 worker-2 while it holds a job it has only just started
      const victim = workers[1]!;
      let inHand: WorkerSnapshot['current'];
      await eventually(async () => {
        const s = await snapshot(victim.port);
        inHand = s?.state === 'working' && s.current && s.current.forMs < 120 ? s.current : undefined;
        return inHand !== undefined;
      }, 10_000, 'worker-2 to start a job');
      victim.child.kill('SIGKILL');
      await exited(victim.child);
      const killedJob = inHand!.jobId;

      await eventually(async () => (await read<{ n: number }>('SELECT count(*)::int AS n FROM notifications.jobs WHERE done_at IS NOT NULL'))[0]?.n === JOBS, 30_000, 'all 30 jobs done');

      const jobs = await read<{ id: string; key: string; attempts: number; done_by: string; dead_at: Date | null; last_error: string | null }>(
        'SELECT id, key, attempts, done_by, dead_at, last_error FROM notifications.jobs ORDER BY position',
      );
      const sent = await read<{ order_id: string; job_id: string; attempt: number; sent_by: string }>('SELECT order_id, job_id, attempt, sent_by FROM notifications.sent_messages');
      assert.equal(jobs.length, JOBS);
      assert.equal(sent.length, JOBS, 'a notification was lost or sent twice');
      assert.equal(new Set(sent.map((s) => s.job_id)).size, JOBS);
      // the effect was committed by the very claim that marked the job done
      const byJob = new Map(jobs.map((job) => [job.id, job]));
      for (const message of sent) {
        const job = byJob.get(message.job_id)!;
        assert.deepEqual([message.sent_by, message.attempt], [job.done_by, job.attempts], `${job.key}: sent by one claim, marked done by another`);
      }

      // the killed worker's job: taken over after its lease ran out, done by someone else
      const retried = byJob.get(killedJob)!;
      assert.equal(retried.attempts, 2, `the killed job: ${JSON.stringify(retried)}`);
      assert.notEqual(retried.done_by, 'worker-2');
      assert.equal(retried.last_error, 'lease of worker-2 expired on attempt 1');
      // every other job went through on its first attempt
      assert.deepEqual(jobs.filter((job) => job.attempts !== 1).map((job) => job.id), [killedJob]);

      // each worker did some; the survivors' own counts agree with the table
      const doneBy = new Map<string, number>();
      for (const job of jobs) doneBy.set(job.done_by, (doneBy.get(job.done_by) ?? 0) + 1);
      assert.deepEqual([...doneBy.keys()].sort(), ['worker-1', 'worker-2', 'worker-3']);
      for (const w of [workers[0]!, workers[2]!]) assert.equal((await snapshot(w.port))?.done, doneBy.get(w.id), `${w.id}'s own count`);
      const report = (await (await fetch(`http://127.0.0.1:${workers[0]!.port}/ops/jobs`)).json()) as { depth: Record<string, number> };
      assert.equal(report.depth.done, JOBS);
    } catch (error) {
      console.log(output.join('\n'));
      throw error;
    }
  });

  it('POST /ops/crash kills a worker in the middle of its next job; that job is done by another, once', { timeout: 60_000 }, async () => {
    try {
      const queue = notificationQueue(db);
      await db.transaction(async (tx) => {
        for (let i = 31; i <= 36; i++) await enqueueNotification(queue, tx, news(`ord_${i}`));
      });
      const victim = workers[2]!;
      const res = await fetch(`http://127.0.0.1:${victim.port}/ops/crash`, { method: 'POST' });
      assert.equal(res.status, 202);
      await exited(victim.child);
      assert.equal(victim.child.signalCode, 'SIGKILL');
      const line = output.find((l) => l.startsWith('worker-3 | worker-3: crashing now, in the middle of '));
      const key = line?.split('in the middle of ')[1]?.split(' ')[0];
      assert.ok(key, `no crash line in:\n${output.slice(-10).join('\n')}`);
      await eventually(async () => (await read<{ n: number }>('SELECT count(*)::int AS n FROM notifications.jobs WHERE done_at IS NULL'))[0]?.n === 0, 30_000, 'all jobs done');
      const [job] = await read<{ attempts: number; done_by: string; last_error: string }>('SELECT attempts, done_by, last_error FROM notifications.jobs WHERE key = $1', [key]);
      assert.deepEqual([job?.attempts, job?.done_by, job?.last_error], [2, 'worker-1', 'lease of worker-3 expired on attempt 1']);
      const [sent] = await read<{ n: number }>('SELECT count(*)::int AS n FROM notifications.sent_messages');
      assert.equal(sent?.n, 36);
    } catch (error) {
      console.log(output.join('\n'));
      throw error;
    }
  });
});

