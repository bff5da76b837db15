// Private to the orders module: the saga's state in Postgres (orders.sagas and its log,
// orders.saga_log). Every method is one short transaction or one query: none is held open
// while another service is called.

import type { Database, Queryable } from '../../../shared/ports.ts';
import { carrierOf } from '../../../observability/tracing.ts';
import type { RejectReason } from '../model.ts';
import type { Outcome, Saga, SagaLogEntry, SagaStatus, Step, StockLine } from './model.ts';

type SagaRow = {
  id: string;
  customer_id: string;
  lines: StockLine[];
  total_cents: number;
  status: SagaStatus;
  todo: Step[];
  reason: RejectReason | null;
  cancel_requested: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
  trace: Record<string, string> | null;
  deadline: Date | null;
  log: { step: Step; outcome: Outcome; at: string }[] | null;
};

const SELECT_SAGA = `
  SELECT s.id, s.customer_id, s.lines, s.total_cents, s.status, s.todo, s.reason, s.cancel_requested,
         s.version, s.created_at, s.updated_at, s.trace, s.deadline,
         (SELECT json_agg(json_build_object('step', l.step, 'outcome', l.outcome, 'at', l.at) ORDER BY l.seq)
          FROM orders.saga_log l WHERE l.saga_id = s.id) AS log
  FROM orders.sagas s`;

const toSaga = (row: SagaRow): Saga => ({
  id: row.id,
  customerId: row.customer_id,
  lines: row.lines,
  totalCents: row.total_cents,
  status: row.status,
  todo: row.todo,
  log: (row.log ?? []).map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() })),
  ...(row.reason ? { reason: row.reason } : {}),
  cancelRequested: row.cancel_requested,
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  ...(row.trace ? { trace: row.trace } : {}),
  ...(row.deadline ? { deadline: row.deadline.toISOString() } : {}),
});

async function insertLog(tx: Queryable, sagaId: string, from: number, entries: SagaLogEntry[]): Promise<void> {
  for (const [i, entry] of entries.entries()) {
    await tx.query('INSERT INTO orders.saga_log (saga_id, seq, step, outcome, at) VALUES ($1, $2, $3, $4, $5)', [
      sagaId,
      from + i,
      entry.step,
      entry.outcome,
      entry.at,
    ]);
  }
}

export class PostgresSagas {
  private db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  // A new saga, written inside the caller's transaction: the shop stores the order and its
  // saga together, so there is never an accepted order that no saga will finish. Stage 11:
  // with the trace context of the request, which the orchestrator's steps continue.
  static async insert(tx: Queryable, saga: Saga): Promise<void> {
    const trace = saga.trace ?? carrierOf();
    await tx.query(
      `INSERT INTO orders.sagas (id, customer_id, lines, total_cents, status, todo, reason, cancel_requested, version, created_at, updated_at, trace, deadline)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        saga.id,
        saga.customerId,
        JSON.stringify(saga.lines),
        saga.totalCents,
        saga.status,
        JSON.stringify(saga.todo),
        saga.reason ?? null,
        saga.cancelRequested,
        saga.version,
        saga.createdAt,
        saga.updatedAt,
        trace.traceparent ? JSON.stringify(trace) : null,
        saga.deadline ?? null,
      ],
    );
    await insertLog(tx, saga.id, 0, saga.log);
  }

  async add(saga: Saga): Promise<void> {
    await this.db.transaction((tx) => PostgresSagas.insert(tx, saga));
  }

  async get(id: string): Promise<Saga | undefined> {
    const { rows } = await this.db.query<SagaRow>(`${SELECT_SAGA} WHERE s.id = $1`, [id]);
    return rows[0] && toSaga(rows[0]);
  }

  // #region save-transition
  // Saves one transition: `next` replaces `previous` only if nobody saved another transition
  // of this saga meanwhile (the version is a compare-and-set), and the new log entries go in
  // with it, in the same statement. The runner awaits this before its next call to another
  // service, so what the database says is always what the saga has done. Answers the saga as
  // saved (undefined: another runner moved it on), with the cancel flag as the database has
  // it now: the runner goes on from that without reading the saga again, which was a third of
  // the orchestrator's round trips to the database (issue 29).
  async save(previous: Saga, next: Saga): Promise<Saga | undefined> {
    const added = next.log.slice(previous.log.length);
    // a transaction, not db.query: a statement that starts with WITH would be taken for a read
    const { rows } = await this.db.transaction((tx) =>
      tx.query<{ cancel_requested: boolean }>(
        `WITH moved AS (
         UPDATE orders.sagas SET status = $3, todo = $4, reason = $5, version = $2 + 1, updated_at = $6
         WHERE id = $1 AND version = $2
         RETURNING id, cancel_requested
       ), logged AS (
         INSERT INTO orders.saga_log (saga_id, seq, step, outcome, at)
         SELECT moved.id, $7 + entry.n - 1, entry.step, entry.outcome, entry.at
         FROM moved, unnest($8::text[], $9::text[], $10::timestamptz[]) WITH ORDINALITY AS entry (step, outcome, at, n)
       )
       SELECT cancel_requested FROM moved`,
        [previous.id, previous.version, next.status, JSON.stringify(next.todo), next.reason ?? null, next.updatedAt, previous.log.length,
          // the new log entries, column by column
          added.map((entry) => entry.step), added.map((entry) => entry.outcome), added.map((entry) => entry.at)],
      ),
    );
    if (rows.length !== 1) return undefined;
    return { ...next, version: previous.version + 1, cancelRequested: rows[0]!.cancel_requested };
  }
  // #endregion save-transition

  // The shop's side of a cancel: one flag, which the runner reads between two steps. Answers
  // the saga as it is now (undefined: no saga for that order).
  async requestCancel(id: string): Promise<Saga | undefined> {
    await this.db.query('UPDATE orders.sagas SET cancel_requested = true WHERE id = $1', [id]);
    return this.get(id);
  }

  // The sagas with work left, oldest first: what the runner resumes after a restart.
  async withWork(limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM orders.sagas
       WHERE status IN ('running', 'compensating') OR (status = 'confirmed' AND cancel_requested)
       ORDER BY position LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  // How many sagas have work left: the backlog POST /orders checks (the same condition as
  // withWork, so the partial index sagas_with_work answers it without reading the table).
  async countWithWork(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders.sagas
       WHERE status IN ('running', 'compensating') OR (status = 'confirmed' AND cancel_requested)`,
    );
    return rows[0]?.n ?? 0;
  }

  // The newest sagas first, with their logs: what GET /ops/sagas shows.
  async latest(limit: number): Promise<Saga[]> {
    const { rows } = await this.db.query<SagaRow>(`${SELECT_SAGA} ORDER BY s.position DESC LIMIT $1`, [limit]);
    return rows.map(toSaga);
  }
}
