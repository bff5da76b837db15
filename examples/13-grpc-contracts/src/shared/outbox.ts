// The outbox and the inbox, the two tables that make at-least-once delivery safe. Each
// module that publishes or consumes has its own pair, in its own schema; the SQL is the
// same, so it is written once here and given the schema's name.

import type { Database, Queryable } from './ports.ts';
import type { Envelope, EventType, Outbox } from './events.ts';
import { carrierOf } from '../observability/tracing.ts';

// Stage 11: `trace` is the trace context the event was written in (envelope.trace on the wire)
type Row = { id: string; type: EventType; payload: Envelope['data']; occurred_at: Date; trace: Record<string, string> | null };
const toEvent = (row: Row) =>
  ({ id: row.id, type: row.type, data: row.payload, occurredAt: row.occurred_at.toISOString(), ...(row.trace ? { trace: row.trace } : {}) }) as Envelope;
const COLUMNS = 'id, type, payload, occurred_at, trace';

// #region outbox-write
// Inside the transaction that makes the change: the event goes into the outbox with it.
// Stage 11: with the active trace context, so the relay publishes it as part of this trace.
export async function addToOutbox(tx: Queryable, schema: string, event: Envelope): Promise<void> {
  const trace = carrierOf();
  await tx.query(`INSERT INTO ${schema}.outbox (id, type, payload, occurred_at, trace) VALUES ($1, $2, $3, $4, $5)`, [
    event.id,
    event.type,
    JSON.stringify(event.data),
    event.occurredAt,
    trace.traceparent ? JSON.stringify(trace) : null,
  ]);
}
// #endregion outbox-write

// #region inbox
// Inside the transaction that handles an event: claim its id in the inbox first. False
// means the id is there already (a second delivery): the caller changes nothing. The
// claim commits with the change, or rolls back with it, so it cannot be lost or half-done.
export async function claimInInbox(tx: Queryable, schema: string, eventId: string): Promise<boolean> {
  const { affectedRows } = await tx.query(
    `INSERT INTO ${schema}.processed_events (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING`,
    [eventId],
  );
  return affectedRows === 1;
}
// #endregion inbox

export class PostgresOutbox implements Outbox {
  private db: Database;
  private schema: string;
  constructor(db: Database, schema: string) {
    this.db = db;
    this.schema = schema;
  }

  async unpublished(limit: number): Promise<Envelope[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM ${this.schema}.outbox WHERE published_at IS NULL ORDER BY position LIMIT $1`,
      [limit],
    );
    return rows.map(toEvent);
  }

  async markPublished(eventId: string): Promise<void> {
    await this.db.query(`UPDATE ${this.schema}.outbox SET published_at = now() WHERE id = $1`, [eventId]);
  }

  async republishSince(seconds: number): Promise<number> {
    const { affectedRows } = await this.db.query(
      `UPDATE ${this.schema}.outbox SET published_at = NULL WHERE published_at > now() - make_interval(secs => $1)`,
      [seconds],
    );
    return affectedRows ?? 0;
  }

  async find(eventId: string): Promise<Envelope | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM ${this.schema}.outbox WHERE id = $1`, [eventId]);
    return rows[0] && toEvent(rows[0]);
  }

  async latest(type: EventType): Promise<Envelope | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM ${this.schema}.outbox WHERE type = $1 AND published_at IS NOT NULL ORDER BY position DESC LIMIT 1`,
      [type],
    );
    return rows[0] && toEvent(rows[0]);
  }
}
