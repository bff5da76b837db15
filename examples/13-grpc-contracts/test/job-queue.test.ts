// The job queue's rules, on PGlite in this process: enqueue with the change that causes it,
// claims that never hand one job to two workers, a lease that runs out, a completion guarded
// by the claim, backoff, the dead-letter state, and a polite hand-back.
//
// Effects here go into a table WITHOUT a unique key (test_effects), so a job done twice
// would show as two rows: these tests check the claims themselves, not the backstop.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Database } from '../src/shared/ports.ts';
import { enqueueNotification, notificationQueue, sendNotification } from '../src/modules/notifications/index.ts';
import type { Effect, Job } from '../src/shared/job-queue.ts';
import { JobQueue, retryDelayMs } from '../src/shared/job-queue.ts';
import { JobWorker } from '../src/shared/job-worker.ts';
import { eventually, news, openTestDatabase, sleep } from './support.ts';

let db: Database;
before(async () => {
  db = await openTestDatabase();
  await db.exec('CREATE TABLE notifications.test_effects (job_id text NOT NULL, worker text NOT NULL, attempt integer NOT NULL)');
});
after(() => db.close());
beforeEach(async () => {
  await db.exec('DELETE FROM notifications.test_effects; DELETE FROM notifications.sent_messages; DELETE FROM notifications.jobs');
});

const effect =
  (job: Job): Effect =>
  async (tx) => {
    await tx.query('INSERT INTO notifications.test_effects (job_id, worker, attempt) VALUES ($1, $2, $3)', [job.id, job.lockedBy, job.attempts]);
  };
const effects = async () =>
  (await db.query<{ job_id: string; worker: string; attempt: number }>('SELECT * FROM notifications.test_effects ORDER BY job_id')).rows;
const row = async (id: string) =>
  (await db.query<{ attempts: number; done_by: string | null; dead_at: Date | null; last_error: string | null; locked_by: string | null }>(
    'SELECT attempts, done_by, dead_at, last_error, locked_by FROM notifications.jobs WHERE id = $1',
    [id],
  )).rows[0];

async function enqueue(queue: JobQueue, key: string, maxAttempts?: number): Promise<void> {
  await db.transaction((tx) => queue.enqueue(tx, { kind: 'test', key, payload: { key }, ...(maxAttempts ? { maxAttempts } : {}) }));
}

describe('enqueue', () => {
  it('a job exists only if the transaction that added it committed, and once per key', async () => {
    const queue = notificationQueue(db);
    await db.transaction(async (tx) => {
      await enqueueNotification(queue, tx, news('ord_rolled_back'));
      await tx.rollback();
    });
    assert.equal(await queue.claim('w-1'), undefined, 'a rolled-back enqueue left a job');
    const first = await db.transaction((tx) => enqueueNotification(queue, tx, news('ord_1')));
    const again = await db.transaction((tx) => enqueueNotification(queue, tx, news('ord_1')));
    assert.deepEqual([first, again], [true, false]);
    const report = await queue.report();
    assert.equal(report.depth.ready, 1);
    assert.equal(report.recent[0]?.key, 'ord_1:order_confirmed');
  });
});

describe('claim', () => {
  it('hands each job to one worker, oldest first, and nothing when none is due', async () => {
    const queue = new JobQueue(db, { table: 'notifications.jobs' });
    await enqueue(queue, 'a');
    await enqueue(queue, 'b');
    const one = await queue.claim('w-1');
    const two = await queue.claim('w-2');
    assert.deepEqual([one?.key, one?.lockedBy, one?.attempts], ['a', 'w-1', 1]);
    assert.deepEqual([two?.key, two?.lockedBy, two?.attempts], ['b', 'w-2', 1]);
    assert.equal(await queue.claim('w-3'), undefined, 'a job under a live lease was handed out again');
    assert.equal((await queue.report()).depth.running, 2);
  });
});

describe('complete', () => {
  it('writes the effect with the done mark, once, and only for the worker holding the claim', async () => {
    const queue = new JobQueue(db, { table: 'notifications.jobs' });
    await enqueue(queue, 'a');
    const job = (await queue.claim('w-1'))!;
    assert.equal(await queue.complete({ ...job, lockedBy: 'w-2' }, effect({ ...job, lockedBy: 'w-2' })), false, 'another worker completed w-1\'s job');
    assert.equal(await queue.complete(job, effect(job)), true);
    assert.equal(await queue.complete(job, effect(job)), false, 'completed twice');
    assert.deepEqual(await effects(), [{ job_id: job.id, worker: 'w-1', attempt: 1 }]);
    assert.equal((await row(job.id))?.done_by, 'w-1');
    assert.equal(await queue.claim('w-2'), undefined, 'a done job was handed out again');
  });

  it('an effect that throws leaves no done mark, and the job is still the worker\'s to fail', async () => {
    const queue = new JobQueue(db, { table: 'notifications.jobs', retryDelayMs: () => 0 });
    await enqueue(queue, 'a');
    const job = (await queue.claim('w-1'))!;
    await assert.rejects(
      queue.complete(job, async (tx) => {
        await effect(job)(tx);
        throw new Error('provider said no');
      }),
      /provider said no/,
    );
    assert.deepEqual(await effects(), [], 'half an effect was committed');
    assert.equal(await queue.fail(job, 'provider said no'), 'retry');
    assert.equal((await queue.claim('w-2'))?.attempts, 2);
  });
});

describe('a worker that dies mid-job', () => {
  it('loses its lease: the job is claimed again as attempt 2, and the dead worker can no longer complete it', async () => {
    // A lease long enough that a stalled test process cannot outlive it between two claims.
    const queue = new JobQueue(db, { table: 'notifications.jobs', leaseMs: 500 });
    await enqueue(queue, 'a');
    const first = (await queue.claim('w-1'))!;
    assert.equal(await queue.claim('w-2'), undefined, 'taken while the lease was live');
    await sleep(650);
    const second = (await queue.claim('w-2'))!;
    assert.deepEqual([second.id, second.attempts, second.lockedBy], [first.id, 2, 'w-2']);
    assert.equal((await row(first.id))?.last_error, 'lease of w-1 expired on attempt 1');
    // w-1 was only slow, not dead: its late result must not count
    assert.equal(await queue.complete(first, effect(first)), false, 'the worker that lost its lease completed the job');
    assert.equal(await queue.complete(second, effect(second)), true);
    assert.deepEqual(await effects(), [{ job_id: first.id, worker: 'w-2', attempt: 2 }]);
  });

  it('a worker restarted under the same id takes the job over as a new claim; the old claim stays void', async () => {
    const queue = new JobQueue(db, { table: 'notifications.jobs', leaseMs: 100 });
    await enqueue(queue, 'a');
    const before = (await queue.claim('worker-2'))!;
    await sleep(150);
    const after = (await queue.claim('worker-2'))!; // the supervisor restarted worker-2
    assert.deepEqual([after.id, after.attempts], [before.id, 2]);
    assert.equal(await queue.complete(before, effect(before)), false, 'the dead process\'s claim completed the job');
    assert.equal(await queue.complete(after, effect(after)), true);
    assert.deepEqual(await effects(), [{ job_id: before.id, worker: 'worker-2', attempt: 2 }]);
  });

  it('a job that kills its worker every time is dead after max_attempts, not handed out forever', async () => {
    const queue = new JobQueue(db, { table: 'notifications.jobs', leaseMs: 100 });
    await enqueue(queue, 'poison', 2);
    await queue.claim('w-1');
    await sleep(150);
    assert.equal((await queue.claim('w-2'))?.attempts, 2);
    await sleep(150);
    assert.equal(await queue.claim('w-3'), undefined, 'handed out a third time');
    const report = await queue.report();
    assert.equal(report.depth.dead, 1);
    assert.equal(report.recent[0]?.lastError, 'lease of w-2 expired on attempt 2 of 2');
  });
});

describe('renew', () => {
  it('extends the lease of the claim in hand, and only of that claim', async () => {
    // Renewed every 200 ms, a 600 ms lease is still held after 800 ms; the margins are wide
    // because a busy machine can stall this process for a few hundred ms.
    const queue = new JobQueue(db, { table: 'notifications.jobs', leaseMs: 600 });
    await enqueue(queue, 'long');
    const job = (await queue.claim('w-1'))!;
    for (let i = 0; i < 4; i++) {
      await sleep(200);
      assert.equal(await queue.renew(job), true);
    }
    assert.equal(await queue.claim('w-2'), undefined, 'taken over although renewed');
    await sleep(700);
    const taken = (await queue.claim('w-2'))!;
    assert.equal(taken.attempts, 2, 'a lease nobody renews runs out');
    assert.equal(await queue.renew(job), false, 'the lost claim was renewed');
    assert.equal(await queue.complete(taken, effect(taken)), true);
    assert.equal(await queue.renew(taken), false, 'a done job was renewed');
  });
});

describe('fail', () => {
  it('waits the backoff before the next attempt, and after the last one the job is dead until revived', async () => {
    const queue = new JobQueue(db, { table: 'notifications.jobs', retryDelayMs: () => 600 });
    await enqueue(queue, 'flaky', 2);
    const first = (await queue.claim('w-1'))!;
    assert.equal(await queue.fail(first, 'timeout'), 'retry');
    assert.equal(await queue.claim('w-1'), undefined, 'claimed again before the backoff');
    assert.equal((await queue.report()).depth.waiting, 1);
    await sleep(700);
    const second = (await queue.claim('w-2'))!;
    assert.equal(second.attempts, 2);
    assert.equal(await queue.fail(first, 'late'), 'lease-lost', 'an old claim failed the new one');
    assert.equal(await queue.fail(second, 'timeout again'), 'dead');
    await sleep(700);
    assert.equal(await queue.claim('w-1'), undefined, 'a dead job was handed out');
    const dead = await row(first.id);
    assert.equal(dead?.last_error, 'timeout again');
    assert.ok(dead?.dead_at);
    assert.equal(await queue.retryDead(first.id), true);
    assert.equal((await queue.claim('w-3'))?.attempts, 1);
  });

  it('backs off exponentially, capped, with a little jitter', () => {
    for (const [attempts, base] of [[1, 500], [2, 1000], [3, 2000], [12, 60_000]] as const) {
      const delay = retryDelayMs(attempts);
      assert.ok(delay >= base && delay <= base * 1.2, `attempt ${attempts}: ${delay} ms`);
    }
  });
});

describe('release', () => {
  it('hands a job back at once without using up an attempt; the releasing worker cannot complete it after', async () => {
    const queue = new JobQueue(db, { table: 'notifications.jobs' });
    await enqueue(queue, 'a');
    const job = (await queue.claim('w-1'))!;
    assert.equal(await queue.release(job), true);
    const again = (await queue.claim('w-2'))!;
    assert.deepEqual([again.id, again.attempts], [job.id, 1]);
    assert.equal(await queue.complete(job, effect(job)), false);
  });
});

describe('workers', () => {
  it('two workers share the jobs; every notification is sent once, and the report says who sent what', async () => {
    const queue = notificationQueue(db);
    for (let i = 1; i <= 8; i++) await db.transaction((tx) => enqueueNotification(queue, tx, news(`ord_${i}`)));
    const quiet = () => {};
    const workers = ['w-1', 'w-2'].map((id) => new JobWorker({ id, queue, handlers: { 'send-notification': sendNotification({ sendMs: 20 }) }, pollMs: 20, log: quiet }));
    workers.forEach((w) => w.start());
    await eventually(async () => (await queue.report()).depth.done === 8, 10_000, 'eight jobs done');
    await Promise.all(workers.map((w) => w.stop(1000)));
    const sent = await db.query<{ order_id: string; sent_by: string; attempt: number }>('SELECT order_id, sent_by, attempt FROM notifications.sent_messages ORDER BY order_id');
    assert.equal(sent.rows.length, 8);
    const report = await queue.report();
    assert.equal(report.byWorker.reduce((sum, w) => sum + w.done, 0), 8);
    for (const w of workers) assert.equal(w.snapshot().done, report.byWorker.find((b) => b.worker === w.id)?.done ?? 0, `${w.id}'s count`);
    assert.ok(workers.every((w) => w.snapshot().done > 0), `one worker did everything: ${JSON.stringify(report.byWorker)}`);
  });

  it('a worker asked to stop mid-job hands the job back, and its late result writes nothing', async () => {
    const queue = notificationQueue(db);
    await db.transaction((tx) => enqueueNotification(queue, tx, news('ord_slow')));
    const worker = new JobWorker({ id: 'w-slow', queue, handlers: { 'send-notification': sendNotification({ sendMs: 5_000 }) }, pollMs: 20, log: () => {} });
    worker.start();
    await eventually(() => worker.snapshot().state === 'working', 5_000, 'the worker to take the job');
    const began = Date.now();
    await worker.stop(100);
    assert.ok(Date.now() - began < 2_000, 'stop waited for the whole job');
    assert.equal(worker.snapshot().history[0]?.outcome, 'released');
    const next = (await queue.claim('w-next'))!;
    assert.deepEqual([next.key, next.attempts], ['ord_slow:order_confirmed', 1]);
    assert.equal((await db.query('SELECT 1 FROM notifications.sent_messages')).rows.length, 0);
  });
});
