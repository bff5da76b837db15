// Postgres adapters for the repository ports: the same promises as the in-memory ones,
// kept with SQL. Each repository reads and writes its own module's schema only (inventory,
// orders, payments, notifications) and never joins across them.

import type { Notification, Order, OrderLine, OrderStatus, Payment, Product, RejectReason } from '../domain/model.ts';
import type {
  IdempotencyKey,
  NotificationRepository,
  OrderRepository,
  PaymentRepository,
  ProductRepository,
} from '../domain/ports.ts';
import type { Database } from './database.ts';

// Postgres error code for "unique constraint violated".
const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === UNIQUE_VIOLATION;

type ProductRow = { sku: string; name: string; price_cents: number; stock: number };
const toProduct = (row: ProductRow): Product => ({ sku: row.sku, name: row.name, priceCents: row.price_cents, stock: row.stock });

export class PostgresProducts implements ProductRepository {
  private db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  async list(): Promise<Product[]> {
    // COLLATE "C" sorts by code point, as the contract's "sorted by sku" means.
    const { rows } = await this.db.query<ProductRow>('SELECT * FROM inventory.products ORDER BY sku COLLATE "C"');
    return rows.map(toProduct);
  }

  async get(sku: string): Promise<Product | undefined> {
    const { rows } = await this.db.query<ProductRow>('SELECT * FROM inventory.products WHERE sku = $1', [sku]);
    return rows[0] && toProduct(rows[0]);
  }

  async add(product: Product): Promise<boolean> {
    const { affectedRows } = await this.db.query(
      `INSERT INTO inventory.products (sku, name, price_cents, stock) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sku) DO NOTHING`,
      [product.sku, product.name, product.priceCents, product.stock],
    );
    return affectedRows === 1;
  }

  // #region reserve-with-row-locks
  // All or nothing, in one transaction. SELECT ... FOR UPDATE locks the row of every sku in
  // the order (in sku order, so two orders for the same products always lock them in the
  // same order and cannot deadlock); the stock is checked and subtracted while the locks
  // are held, and they are let go at COMMIT. On a Postgres server with many connections, a
  // second order for the same product waits at the SELECT until the first commits, then
  // reads the new stock: nobody sells the last unit twice.
  //
  // PGlite runs one query at a time, and db.transaction() holds every other query back
  // until it commits or rolls back, so here transactions already run one after another.
  // The locks cost nothing in PGlite and keep the same code correct on a real server
  // (stage 12). What PGlite's one-at-a-time does demand: inside the callback use `tx`,
  // never `this.db` (that would wait for this very transaction forever), and never hold a
  // transaction open across a slow call such as the card processor.
  async reserve(lines: OrderLine[]): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const skus = lines.map((line) => line.sku).sort();
      const { rows } = await tx.query<{ sku: string; stock: number }>(
        'SELECT sku, stock FROM inventory.products WHERE sku = ANY($1) ORDER BY sku FOR UPDATE',
        [skus],
      );
      const stock = new Map(rows.map((row) => [row.sku, row.stock]));
      if (lines.some((line) => (stock.get(line.sku) ?? 0) < line.quantity)) return false;
      for (const line of lines) {
        await tx.query('UPDATE inventory.products SET stock = stock - $2 WHERE sku = $1', [line.sku, line.quantity]);
      }
      return true;
    });
  }
  // #endregion reserve-with-row-locks

  async release(lines: OrderLine[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const line of lines) {
        await tx.query('UPDATE inventory.products SET stock = stock + $2 WHERE sku = $1', [line.sku, line.quantity]);
      }
    });
  }
}

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

export class PostgresOrders implements OrderRepository {
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

type PaymentRow = { id: string; order_id: string; amount_cents: number; status: Payment['status'] };
const toPayment = (row: PaymentRow): Payment => ({
  id: row.id,
  orderId: row.order_id,
  amountCents: row.amount_cents,
  status: row.status,
});

export class PostgresPayments implements PaymentRepository {
  private db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  async add(payment: Payment): Promise<void> {
    await this.db.query('INSERT INTO payments.payments (id, order_id, amount_cents, status) VALUES ($1, $2, $3, $4)', [
      payment.id,
      payment.orderId,
      payment.amountCents,
      payment.status,
    ]);
  }

  async listByOrder(orderId: string): Promise<Payment[]> {
    const { rows } = await this.db.query<PaymentRow>(
      'SELECT id, order_id, amount_cents, status FROM payments.payments WHERE order_id = $1 ORDER BY position',
      [orderId],
    );
    return rows.map(toPayment);
  }

  async markRefunded(orderId: string): Promise<Payment[]> {
    const { rows } = await this.db.query<PaymentRow>(
      `UPDATE payments.payments SET status = 'refunded' WHERE order_id = $1 AND status = 'captured'
       RETURNING id, order_id, amount_cents, status`,
      [orderId],
    );
    return rows.map(toPayment);
  }
}

type NotificationRow = { id: string; customer_id: string; order_id: string; kind: Notification['kind']; created_at: Date };

export class PostgresNotifications implements NotificationRepository {
  private db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  async add(notification: Notification): Promise<void> {
    await this.db.query(
      'INSERT INTO notifications.notifications (id, customer_id, order_id, kind, created_at) VALUES ($1, $2, $3, $4, $5)',
      [notification.id, notification.customerId, notification.orderId, notification.kind, notification.createdAt],
    );
  }

  async listByCustomer(customerId: string): Promise<Notification[]> {
    const { rows } = await this.db.query<NotificationRow>(
      'SELECT * FROM notifications.notifications WHERE customer_id = $1 ORDER BY position',
      [customerId],
    );
    return rows.map((row) => ({
      id: row.id,
      customerId: row.customer_id,
      orderId: row.order_id,
      kind: row.kind,
      createdAt: row.created_at.toISOString(),
    }));
  }
}
