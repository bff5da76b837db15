// Private to the orders module: its tables (orders, order lines, idempotency keys), read and
// written with SQL. Only this module touches the orders schema.

import type { Database } from '../../shared/ports.ts';
import type { Envelope } from '../../shared/events.ts';
import { addToOutbox } from '../../shared/outbox.ts';
import type { Order, OrderLine, OrderStatus, RejectReason } from './model.ts';
import type { Saga } from './saga/model.ts';
import { PostgresSagas } from './saga/repository.ts';

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

  // How many orders are still on their way to a final status: their sagas have work left.
  unfinished(): Promise<number> {
    return new PostgresSagas(this.db).countWithWork();
  }

  // The order, its lines and its idempotency key go in together or not at all. The key's
  // primary key decides a race between two requests with the same key: the second INSERT
  // fails, its transaction rolls back, and it answers with the first one's order. Stage 9:
  // the order's saga is stored in the same transaction, so every accepted order has one.
  async add(order: Order, saga: Saga, idempotency?: IdempotencyKey) {
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
        await PostgresSagas.insert(tx, saga);
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

  // #region settle
  // The saga's last step: the order's final status and the event that announces it, in ONE
  // transaction. The UPDATE is conditional, so a step run twice (after a crash) changes the
  // order, and queues the event, once. Cancelled comes from pending or confirmed, the other
  // two from pending only.
  async settle(id: string, status: 'confirmed' | 'rejected' | 'cancelled', reason: RejectReason | undefined, event: Envelope): Promise<boolean> {
    const from = status === 'cancelled' ? ['pending', 'confirmed'] : ['pending'];
    return this.db.transaction(async (tx) => {
      const { affectedRows } = await tx.query(
        'UPDATE orders.orders SET status = $2, reason = $3 WHERE id = $1 AND status = ANY($4)',
        [id, status, reason ?? null, from],
      );
      if (affectedRows !== 1) return false;
      await addToOutbox(tx, 'orders', event);
      return true;
    });
  }
  // #endregion settle

  // A cancellation asked for: noted on the order, and flagged on its saga, which turns round
  // between two steps. Only once, and only while the order is pending or confirmed.
  async requestCancel(id: string, note: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { affectedRows } = await tx.query(
        `UPDATE orders.orders SET cancel_requested_at = now(), cancel_note = $2
         WHERE id = $1 AND status IN ('pending', 'confirmed') AND cancel_requested_at IS NULL`,
        [id, note],
      );
      if (affectedRows !== 1) return false;
      await tx.query('UPDATE orders.sagas SET cancel_requested = true WHERE id = $1', [id]);
      return true;
    });
  }

  async cancelNote(id: string): Promise<string> {
    const { rows } = await this.db.query<{ cancel_note: string | null }>('SELECT cancel_note FROM orders.orders WHERE id = $1', [id]);
    return rows[0]?.cancel_note ?? '';
  }
}
