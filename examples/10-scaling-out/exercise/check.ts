// Checks the chapter's exercise: a job may take longer than its lease. Today a worker must
// finish a job within its lease (5 s), or another worker takes the job over, and the first
// one's work is thrown away; a job that always takes longer is never done, and ends dead.
// The queue can already renew a lease (JobQueue.renew, src/shared/job-queue.ts). Make the
// worker (src/shared/job-worker.ts) renew the lease of the job in hand while it works: a
// heartbeat, every third of the lease or so, that stops when the job is over.
//
// Run it with `npm run check:exercise`. It runs two real workers on a PGlite database in
// this process (no services), with a lease of 600 ms, and says what it saw.

import { openDatabase } from '../src/adapters/database.ts';
import { migrate } from '../src/adapters/migrations.ts';
import { JobQueue } from '../src/shared/job-queue.ts';
import type { Job } from '../src/shared/job-queue.ts';
import { JobWorker } from '../src/shared/job-worker.ts';

const LEASE_MS = 600;
const SLOW_MS = 1_800; // a job that takes three leases

const { db } = await openDatabase();
await migrate(db, new URL('../migrations/notifications/', import.meta.url));
const queue = new JobQueue(db, { table: 'notifications.jobs', leaseMs: LEASE_MS, retryDelayMs: () => 50 });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const started: string[] = [];
const handlers = {
  slow: async (job: Job) => {
    started.push(`${job.lockedBy}#${job.attempts}`);
    await sleep(SLOW_MS);
    return undefined;
  },
};
const workers = ['worker-1', 'worker-2'].map((id) => new JobWorker({ id, queue, handlers, pollMs: 50, log: () => {} }));
type Row = { key: string; attempts: number; done_by: string | null; dead: boolean; last_error: string | null };
const jobs = async () =>
  (await db.query<Row>('SELECT key, attempts, done_by, dead_at IS NOT NULL AS dead, last_error FROM notifications.jobs ORDER BY position')).rows;
const over = (rows: Row[]) => rows.every((r) => r.done_by !== null || r.dead);
const problems: string[] = [];

// 1. A slow job, with a second worker waiting for work: done once, on its first attempt.
await db.transaction((tx) => queue.enqueue(tx, { kind: 'slow', key: 'slow-1', payload: {}, maxAttempts: 3 }));
for (const worker of workers) worker.start();
for (let waited = 0; waited < 10_000 && !over(await jobs()); waited += 100) await sleep(100);
const [slow] = await jobs();
const seen = slow ? (slow.done_by ? `done by ${slow.done_by} on attempt ${slow.attempts}` : slow.dead ? `dead after ${slow.attempts} attempts (${slow.last_error})` : `not done after 10 s (attempt ${slow.attempts})`) : 'no job';
if (!slow?.done_by || slow.attempts !== 1) problems.push(`a job that takes ${SLOW_MS} ms under a ${LEASE_MS} ms lease: expected it done on attempt 1, got ${seen}`);
if (started.length !== 1) problems.push(`it should be started once, by one worker; it was started ${started.length} times: ${started.join(', ')}`);
const lost = workers.reduce((n, w) => n + w.snapshot().leaseLost, 0);
if (lost > 0) problems.push(`no worker should lose its lease; ${lost} did (their work was thrown away)`);

// 2. A worker that dies holding a job renews nothing: its lease still runs out.
for (const worker of workers) await worker.stop(0);
await db.transaction((tx) => queue.enqueue(tx, { kind: 'quick', key: 'orphan-1', payload: {} }));
const quick = { quick: async () => undefined };
const orphan = await queue.claim('worker-gone'); // claimed, then its process "died"
const rescuer = new JobWorker({ id: 'worker-3', queue, handlers: quick, pollMs: 50, log: () => {} });
rescuer.start();
for (let waited = 0; waited < 3_000 && !over(await jobs()); waited += 100) await sleep(100);
const rescued = (await jobs()).find((r) => r.key === 'orphan-1');
if (!orphan || rescued?.done_by !== 'worker-3' || rescued.attempts !== 2) {
  problems.push(`a job whose worker died should be taken over once its lease runs out: got ${JSON.stringify(rescued)}`);
}
await rescuer.stop(0);
await db.close();

if (problems.length > 0) {
  console.error('✘ exercise not solved yet:');
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log('✔ exercise solved: the worker renews its lease while it works; a slow job is done once, and a dead worker\'s job is still taken over.');
