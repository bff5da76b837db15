// Private to the orders module: its tables (orders, order lines, idempotency keys), read and
// written with SQL. Only this module touches the orders schema.

import type { Database } from '../../shared/ports.ts';
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
  items: OrderLine[];
};

const toOrder = (row: OrderRow): Order => ({
  id: row.id,
  customerId: row.customer_id,
  items: row.items,
  status: row.status,
  ...(row.reason ? { reason: row.reason } : {}),
  createdAt: row.created_at.toISOString(),
});

// An order with its lines, which live in a table of their own.
const SELECT_ORDER = `
  SELECT o.id, o.customer_id, o.status, o.reason, o.created_at,
         (SELECT json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity, 'unitPriceCents', l.unit_price_cents)
                          ORDER BY l.line_no)
          FROM orders.order_lines l WHERE l.order_id = o.id) AS items
  FROM orders.orders o`;

export class PostgresOrders {
  private db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  // The order, its lines and its idempotency key go in together or not at all. The key's
  // primary key decides a race between two requests with the same key: the second INSERT
  // fails, its transaction rolls back, and it answers with the first one's order.
  async add(order: Order, idempotency?: IdempotencyKey) {
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

  // A conditional UPDATE is a compare-and-set: it changes the row only if it is still in
  // status `from`, and Postgres locks the row while it does, so of two racing callers one
  // gets affectedRows 1 and the other 0.
  async changeStatus(id: string, from: OrderStatus, to: OrderStatus, reason?: RejectReason): Promise<boolean> {
    const { affectedRows } = await this.db.query(
      'UPDATE orders.orders SET status = $3, reason = COALESCE($4, reason) WHERE id = $1 AND status = $2',
      [id, from, to, reason ?? null],
    );
    return affectedRows === 1;
  }
}
