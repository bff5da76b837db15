// Private to the orders module: its tables (orders, order lines, idempotency keys), read and
// written with SQL. Only this module touches the orders schema.

import type { Database } from '../../shared/ports.ts';
import type { Envelope, Outcome } from '../../shared/events.ts';
import { addToOutbox, claimInInbox } from '../../shared/outbox.ts';
import type { Order, OrderLine, OrderStatus, RejectReason } from './model.ts';

export type IdempotencyKey = { key: string; fingerprint: string };

// Postgres error code for "unique constraint violated".
const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === UNIQUE_VIOLATION;

type OrderRow = {
  id: string;
  customer_id: string;
  status: OrderStatus;
  reason: RejectReason | null;
  created_at: Date;
  cancel_requested_at: Date | null;
  items: OrderLine[];
};

const toOrder = (row: OrderRow): Order => ({
  id: row.id,
  customerId: row.customer_id,
  items: row.items,
  status: row.status,
  ...(row.reason ? { reason: row.reason } : {}),
  createdAt: row.created_at.toISOString(),
  ...(row.cancel_requested_at ? { cancelRequestedAt: row.cancel_requested_at.toISOString() } : {}),
});

// An order with its lines, which live in a table of their own.
const SELECT_ORDER = `
  SELECT o.id, o.customer_id, o.status, o.reason, o.created_at, o.cancel_requested_at,
         (SELECT json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity, 'unitPriceCents', l.unit_price_cents)
                          ORDER BY l.line_no)
          FROM orders.order_lines l WHERE l.order_id = o.id) AS items
  FROM orders.orders o`;

export class PostgresOrders {
  private db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  // How many orders are still on their way to a final status (backpressure, backlog.ts).
  async unfinished(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>("SELECT count(*)::int AS n FROM orders.orders WHERE status = 'pending'");
    return rows[0]?.n ?? 0;
  }

  // The order, its lines and its idempotency key go in together or not at all. The key's
  // primary key decides a race between two requests with the same key: the second INSERT
  // fails, its transaction rolls back, and it answers with the first one's order. The
  // OrderPlaced event goes into the outbox in the same transaction.
  async add(order: Order, placed: Envelope, idempotency?: IdempotencyKey) {
    try {
      await this.db.transaction(async (tx) => {
        await tx.query(
          'INSERT INTO orders.orders (id, customer_id, status, reason, created_at) VALUES ($1, $2, $3, $4, $5)',
          [order.id, order.customerId, order.status, order.reason ?? null, order.createdAt],
        );
        for (const [i, line] of order.items.entries()) {
          await tx.query(
            'INSERT INTO orders.order_lines (order_id, line_no, sku, quantity, unit_price_cents) VALUES ($1, $2, $3, $4, $5)',
            [order.id, i, line.sku, line.quantity, line.unitPriceCents],
          );
        }
        if (idempotency) {
          await tx.query('INSERT INTO orders.idempotency_keys (key, fingerprint, order_id) VALUES ($1, $2, $3)', [
            idempotency.key,
            idempotency.fingerprint,
            order.id,
          ]);
        }
        await addToOutbox(tx, 'orders', placed);
      });
      return undefined;
    } catch (error) {
      if (!idempotency || !isUniqueViolation(error)) throw error;
    }
    const { rows } = await this.db.query<{ fingerprint: string; order_id: string }>(
      'SELECT fingerprint, order_id FROM orders.idempotency_keys WHERE key = $1',
      [idempotency.key],
    );
    const earlier = rows[0] && (await this.get(rows[0].order_id));
    if (!rows[0] || !earlier) throw new Error(`idempotency key ${idempotency.key} points at no order`);
    return { fingerprint: rows[0].fingerprint, order: earlier };
  }

  async get(id: string): Promise<Order | undefined> {
    const { rows } = await this.db.query<OrderRow>(`${SELECT_ORDER} WHERE o.id = $1`, [id]);
    return rows[0] && toOrder(rows[0]);
  }

  async listByCustomer(customerId: string, offset: number, limit: number): Promise<Order[]> {
    const { rows } = await this.db.query<OrderRow>(
      `${SELECT_ORDER} WHERE o.customer_id = $1 ORDER BY o.position DESC OFFSET $2 LIMIT $3`,
      [customerId, offset, limit],
    );
    return rows.map(toOrder);
  }

  // #region order-steps
  // One step of an order, in ONE transaction: claim the event being handled in the inbox
  // (a second delivery stops here and changes nothing), change the order only if it is
  // still where the step expects it (a conditional UPDATE: of two racing callers one wins),
  // and if it changed, put the event that announces it in the outbox.
  private async step(handling: string | undefined, update: string, params: unknown[], event?: Envelope): Promise<{ outcome: Outcome; changed: boolean }> {
    return this.db.transaction(async (tx) => {
      if (handling && !(await claimInInbox(tx, 'orders', handling))) return { outcome: 'duplicate', changed: false };
      const { affectedRows } = await tx.query(update, params);
      if (affectedRows === 1 && event) await addToOutbox(tx, 'orders', event);
      return { outcome: 'processed', changed: affectedRows === 1 };
    });
  }

  confirm(id: string, handling: string, event: Envelope) {
    return this.step(handling, `UPDATE orders.orders SET status = 'confirmed'
      WHERE id = $1 AND status = 'pending' AND reason IS NULL AND cancel_requested_at IS NULL`, [id], event);
  }

  reject(id: string, reason: RejectReason, handling: string, event: Envelope) {
    return this.step(handling, `UPDATE orders.orders SET status = 'rejected', reason = $2
      WHERE id = $1 AND status = 'pending' AND cancel_requested_at IS NULL`, [id, reason], event);
  }

  // The card was declined: the order stays pending until inventory has put the stock back.
  declined(id: string, handling: string, event: Envelope) {
    return this.step(handling, `UPDATE orders.orders SET reason = 'payment_declined'
      WHERE id = $1 AND status = 'pending' AND reason IS NULL AND cancel_requested_at IS NULL`, [id], event);
  }

  rejectDeclined(id: string, handling: string, event: Envelope) {
    return this.step(handling, `UPDATE orders.orders SET status = 'rejected'
      WHERE id = $1 AND status = 'pending' AND reason = 'payment_declined' AND cancel_requested_at IS NULL`, [id], event);
  }

  requestCancel(id: string, note: string, event: Envelope) {
    return this.step(undefined, `UPDATE orders.orders SET cancel_requested_at = now(), cancel_note = $2
      WHERE id = $1 AND status IN ('pending', 'confirmed') AND cancel_requested_at IS NULL`, [id, note], event);
  }

  finishCancel(id: string, handling: string, event: Envelope) {
    return this.step(handling, `UPDATE orders.orders SET status = 'cancelled'
      WHERE id = $1 AND status IN ('pending', 'confirmed') AND cancel_requested_at IS NOT NULL`, [id], event);
  }

  // An event that needs no change (it came too late, the order moved on): claimed, so it
  // counts as handled once.
  async handled(handling: string): Promise<Outcome> {
    return (await this.step(handling, 'SELECT 1', [])).outcome;
  }

  async seen(eventId: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM orders.processed_events WHERE event_id = $1', [eventId]);
    return rows.length > 0;
  }

  async cancelNote(id: string): Promise<string> {
    const { rows } = await this.db.query<{ cancel_note: string | null }>('SELECT cancel_note FROM orders.orders WHERE id = $1', [id]);
    return rows[0]?.cancel_note ?? '';
  }
  // #endregion order-steps
}
