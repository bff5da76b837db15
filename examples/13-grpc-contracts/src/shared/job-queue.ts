// A durable job queue in a Postgres table (stage 10). Work that can happen later (sending a
// notification) is written down as a row, in the same transaction as the change that causes
// it, and a pool of workers, each its own process, competes for the rows:
//
// - claim: a short transaction picks the oldest due job with FOR UPDATE SKIP LOCKED and
//   gives it a LEASE (locked_by, locked_until), then commits. No transaction stays open
//   while the job runs: a slow job must not hold a lock, or a connection, for seconds.
// - complete: the job's effect and its done mark commit together, and only if this worker
//   still holds the claim it made (same worker, same attempt). A worker that lost its lease
//   (it was too slow, and another worker took the job over) writes nothing.
// - a worker that dies mid-job simply never completes: its lease runs out and the next
//   claim takes the job again, as attempt 2. Lost: never. Done twice: never, because only
//   one claim at a time can complete, and the effect has a unique key of its own as well.
// - fail: the job waits (exponential backoff) and is tried again; after max_attempts it is
//   dead (the dead-letter state) and waits for a person.
//
// An honest note on PGlite. In stages 06-09 the database is one PGlite served over the
// Postgres wire protocol (pglite-socket), and PGlite runs one transaction at a time: two
// claims never overlap, so SKIP LOCKED never actually has a locked row to skip there. What
// keeps two workers off the same job on PGlite is the lease in the WHERE clause. Under a
// real PostgreSQL (stage 12), claims do overlap, and SKIP LOCKED is what lets them pass each
// other instead of queueing on the same row; stage 12's test/real-postgres.test.ts shows it when a
// PostgreSQL server can be started.

import { randomBytes } from 'node:crypto';
import type { Database, Queryable, Transaction } from './ports.ts';
import { carrierOf } from '../observability/tracing.ts';

// #region job-types
export type Job<P = unknown> = {
  id: string;
  kind: string;
  key: string;
  payload: P;
  // this claim's number: 1 the first time, 2 after a crash or a failure, ...
  attempts: number;
  maxAttempts: number;
  lockedBy: string;
  // stage 11: the trace context of the work that enqueued it (W3C traceparent, baggage)
  trace?: Record<string, string>;
};

// What a job writes when it is done. It runs inside the completing transaction, together
// with the done mark, so the two commit together or not at all.
export type Effect = (tx: Transaction) => Promise<void>;

export type QueueOptions = {
  // a schema-qualified table made like migrations/notifications/012-notification-jobs.sql
  table: string;
  // how long a claim lasts: longer than a job takes, or a slow job is taken over
  leaseMs?: number;
  // wait before attempt n+1 after attempt n failed
  retryDelayMs?: (attempts: number) => number;
};
// #endregion job-types

// #region backoff
// 0.5 s, 1 s, 2 s, 4 s ... up to a minute, with up to 20% jitter so that jobs which failed
// together (a provider down for a moment) do not all come back in the same instant.
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 60_000;
export function retryDelayMs(attempts: number): number {
  const base = Math.min(RETRY_FIRST_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
  return Math.round(base * (1 + Math.random() * 0.2));
}
// #endregion backoff

type JobRow = {
  id: string;
  kind: string;
  key: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  locked_by: string;
  trace: Record<string, string> | null;
};

const toJob = (row: JobRow): Job => ({
  id: row.id,
  kind: row.kind,
  key: row.key,
  payload: row.payload,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  lockedBy: row.locked_by,
  ...(row.trace ? { trace: row.trace } : {}),
});

export type JobState = 'ready' | 'waiting' | 'running' | 'lease-expired' | 'done' | 'dead';

export type QueueReport = {
  depth: Record<JobState, number>;
  byWorker: { worker: string; done: number; running: number }[];
  recent: {
    id: string;
    kind: string;
    key: string;
    state: JobState;
    attempts: number;
    maxAttempts: number;
    lockedBy: string | null;
    doneBy: string | null;
    lastError: string | null;
  }[];
};

export class JobQueue {
  private db: Database;
  private table: string;
  readonly leaseMs: number;
  private delay: (attempts: number) => number;
  // NOTIFY channel of this queue, e.g. notifications_jobs: what an idle worker may LISTEN on
  readonly channel: string;

  constructor(db: Database, options: QueueOptions) {
    if (!/^[a-z_]+\.[a-z_]+$/.test(options.table)) throw new Error(`not a schema-qualified table name: ${options.table}`);
    this.db = db;
    this.table = options.table;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.delay = options.retryDelayMs ?? retryDelayMs;
    this.channel = options.table.replace('.', '_');
  }

  // #region enqueue
  // Inside the caller's transaction: the job exists if and only if the change that needs it
  // was committed. False when a job with this key is there already (an event heard twice).
  // Stage 11: with the active trace context, so the worker that runs it joins that trace.
  async enqueue(tx: Queryable, job: { kind: string; key: string; payload: unknown; maxAttempts?: number }): Promise<boolean> {
    const trace = carrierOf();
    const added = await tx.query(
      `INSERT INTO ${this.table} (id, kind, key, payload, max_attempts, trace) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key) DO NOTHING`,
      [`job_${randomBytes(5).toString('hex')}`, job.kind, job.key, JSON.stringify(job.payload), job.maxAttempts ?? 5, trace.traceparent ? JSON.stringify(trace) : null],
    );
    if ((added.affectedRows ?? 0) === 0) return false;
    // Sent when (and only if) the transaction commits: a wake-up for idle workers that listen.
    await tx.query('SELECT pg_notify($1, $2)', [this.channel, job.kind]);
    return true;
  }
  // #endregion enqueue

  // #region claim
  // One short transaction. First, a job whose lease ran out on its last allowed attempt is
  // dead: a worker died on it every time (a poison job), so it is not handed out again.
  // Then the oldest due job that nobody holds a live lease on is leased to `worker`.
  // SKIP LOCKED: a job another claim is taking at this very moment is passed over, not
  // waited for. If the job's last lease ran out, the claim says so in last_error.
  async claim(worker: string): Promise<Job | undefined> {
    const t = this.table;
    return this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE ${t} SET dead_at = now(), locked_by = NULL, locked_until = NULL,
           last_error = 'lease of ' || locked_by || ' expired on attempt ' || attempts || ' of ' || max_attempts
         WHERE id IN (SELECT id FROM ${t}
                      WHERE done_at IS NULL AND dead_at IS NULL AND locked_until < now() AND attempts >= max_attempts
                      FOR UPDATE SKIP LOCKED)`,
      );
      const { rows } = await tx.query<JobRow>(
        `WITH next AS (
           SELECT id FROM ${t}
           WHERE done_at IS NULL AND dead_at IS NULL AND run_after <= now() AND attempts < max_attempts
             AND (locked_until IS NULL OR locked_until < now())
           ORDER BY run_after, position
           LIMIT 1
           FOR UPDATE SKIP LOCKED
         )
         UPDATE ${t} AS j
         SET attempts = j.attempts + 1, locked_by = $1,
             locked_until = now() + $2 * interval '1 millisecond',
             last_error = CASE WHEN j.locked_by IS NULL THEN j.last_error
                               ELSE 'lease of ' || j.locked_by || ' expired on attempt ' || j.attempts END
         FROM next WHERE j.id = next.id
         RETURNING j.id, j.kind, j.key, j.payload, j.attempts, j.max_attempts, j.locked_by, j.trace`,
        [worker, this.leaseMs],
      );
      return rows[0] ? toJob(rows[0]) : undefined;
    });
  }
  // #endregion claim

  // #region complete
  // The done mark and the effect in one transaction, guarded by the claim: only the worker
  // that made THIS claim (same attempt) may complete it. False, and nothing written, when
  // the lease was lost to another worker or the job was released.
  async complete(job: Job, effect?: Effect): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const marked = await tx.query(
        `UPDATE ${this.table} SET done_at = now(), done_by = locked_by, locked_by = NULL, locked_until = NULL
         WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND done_at IS NULL AND dead_at IS NULL`,
        [job.id, job.lockedBy, job.attempts],
      );
      if ((marked.affectedRows ?? 0) === 0) {
        await tx.rollback();
        return false;
      }
      await effect?.(tx);
      return true;
    });
  }
  // #endregion complete

  // #region renew
  // Extends the lease of the job in hand by another leaseMs, guarded by the claim like
  // complete(): false when the job is no longer this claim's. Nothing calls it yet: a job
  // must finish within its lease (LEASE_MS > SEND_MS is checked at start). Making the worker
  // renew while it works is the chapter's exercise (exercise/check.ts).
  async renew(job: Job): Promise<boolean> {
    const renewed = await this.db.transaction((tx) =>
      tx.query(
        `UPDATE ${this.table} SET locked_until = now() + $4 * interval '1 millisecond'
         WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND done_at IS NULL AND dead_at IS NULL`,
        [job.id, job.lockedBy, job.attempts, this.leaseMs],
      ),
    );
    return (renewed.affectedRows ?? 0) > 0;
  }
  // #endregion renew

  // #region fail
  // The job threw: try again after the backoff, or, after its last attempt, leave it dead.
  // 'lease-lost' when the claim was not this worker's any more (then nothing changes).
  async fail(job: Job, error: string): Promise<'retry' | 'dead' | 'lease-lost'> {
    const { rows } = await this.db.transaction((tx) =>
      tx.query<{ dead: boolean }>(
        `UPDATE ${this.table}
         SET locked_by = NULL, locked_until = NULL, last_error = $4,
             run_after = now() + $5 * interval '1 millisecond',
             dead_at = CASE WHEN attempts >= max_attempts THEN now() END
         WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND done_at IS NULL AND dead_at IS NULL
         RETURNING dead_at IS NOT NULL AS dead`,
        [job.id, job.lockedBy, job.attempts, error.slice(0, 500), this.delay(job.attempts)],
      ),
    );
    if (!rows[0]) return 'lease-lost';
    return rows[0].dead ? 'dead' : 'retry';
  }
  // #endregion fail

  // #region release
  // A worker stopping politely hands its job back at once, and the attempt does not count:
  // nothing went wrong with the job. (A worker that is killed cannot; its lease runs out.)
  async release(job: Job): Promise<boolean> {
    const released = await this.db.transaction((tx) =>
      tx.query(
        `UPDATE ${this.table} SET locked_by = NULL, locked_until = NULL, attempts = attempts - 1, run_after = now()
         WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND done_at IS NULL AND dead_at IS NULL`,
        [job.id, job.lockedBy, job.attempts],
      ),
    );
    return (released.affectedRows ?? 0) > 0;
  }
  // #endregion release

  // A dead job back in the queue, with its attempts reset (after a person fixed the cause).
  async retryDead(id: string): Promise<boolean> {
    const revived = await this.db.transaction((tx) =>
      tx.query(`UPDATE ${this.table} SET dead_at = NULL, attempts = 0, run_after = now() WHERE id = $1 AND dead_at IS NOT NULL`, [id]),
    );
    return (revived.affectedRows ?? 0) > 0;
  }

  // #region report
  // The ops view: how many jobs are in each state, who did how many, and the latest jobs.
  // (Reads run in a transaction too: stage 08 found that pglite-socket keeps a connection's
  // messages together only inside one.)
  async report(recent = 20): Promise<QueueReport> {
    const t = this.table;
    const state = `CASE WHEN done_at IS NOT NULL THEN 'done' WHEN dead_at IS NOT NULL THEN 'dead'
                        WHEN locked_until > now() THEN 'running' WHEN locked_by IS NOT NULL THEN 'lease-expired'
                        WHEN run_after > now() THEN 'waiting' ELSE 'ready' END`;
    return this.db.transaction(async (tx) => {
      const counts = await tx.query<{ state: JobState; n: number }>(`SELECT ${state} AS state, count(*)::int AS n FROM ${t} GROUP BY 1`);
      const workers = await tx.query<{ worker: string; done: number; running: number }>(
        `SELECT coalesce(done_by, locked_by) AS worker,
                count(*) FILTER (WHERE done_at IS NOT NULL)::int AS done,
                count(*) FILTER (WHERE done_at IS NULL AND locked_until > now())::int AS running
         FROM ${t} WHERE done_by IS NOT NULL OR locked_by IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
      const latest = await tx.query<{
        id: string;
        kind: string;
        key: string;
        state: JobState;
        attempts: number;
        max_attempts: number;
        locked_by: string | null;
        done_by: string | null;
        last_error: string | null;
      }>(
        `SELECT id, kind, key, ${state} AS state, attempts, max_attempts, locked_by, done_by, last_error
         FROM ${t} ORDER BY position DESC LIMIT $1`,
        [recent],
      );
      const depth: Record<JobState, number> = { ready: 0, waiting: 0, running: 0, 'lease-expired': 0, done: 0, dead: 0 };
      for (const row of counts.rows) depth[row.state] = row.n;
      return {
        depth,
        byWorker: workers.rows,
        recent: latest.rows.map((row) => ({
          id: row.id,
          kind: row.kind,
          key: row.key,
          state: row.state,
          attempts: row.attempts,
          maxAttempts: row.max_attempts,
          lockedBy: row.locked_by,
          doneBy: row.done_by,
          lastError: row.last_error,
        })),
      };
    });
  }
  // #endregion report
}
