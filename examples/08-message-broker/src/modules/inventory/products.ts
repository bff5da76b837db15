// Private to the inventory module: its products table, read and written with SQL. Only
// this module touches the inventory schema.

import type { Database } from '../../shared/ports.ts';
import type { Envelope, Outcome } from '../../shared/events.ts';
import { addToOutbox, claimInInbox } from '../../shared/outbox.ts';

export type Product = { sku: string; name: string; priceCents: number; stock: number };
// How many units of which product: what an order line is, as far as stock is concerned.
export type StockLine = { sku: string; quantity: number };

type ProductRow = { sku: string; name: string; price_cents: number; stock: number };
const toProduct = (row: ProductRow): Product => ({ sku: row.sku, name: row.name, priceCents: row.price_cents, stock: row.stock });

export class PostgresProducts {
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

  // #region reserve-for-order
  // OrderPlaced, handled: in ONE transaction, claim the event in the inbox, then check and
  // take the stock of every line (or of none), record what was done for the order, and put
  // the answer (StockReserved or StockRejected) in the outbox. A second delivery finds the
  // event's id in the inbox and changes nothing.
  //
  // SELECT ... FOR UPDATE locks the rows of the order's skus (in sku order, so two orders
  // cannot deadlock) until COMMIT: two orders never both take the last unit.
  async reserveForOrder(event: Envelope<'OrderPlaced'>, answer: (reason?: 'out_of_stock' | 'unknown_sku') => Envelope): Promise<Outcome> {
    const { orderId, items } = event.data;
    return this.db.transaction(async (tx) => {
      if (!(await claimInInbox(tx, 'inventory', event.id))) return 'duplicate';
      // Heard of this order already (it was cancelled before it got here): nothing to take.
      const known = await tx.query('SELECT 1 FROM inventory.reservations WHERE order_id = $1', [orderId]);
      if (known.rows.length > 0) return 'processed';
      const skus = items.map((line) => line.sku).sort();
      const { rows } = await tx.query<{ sku: string; stock: number }>(
        'SELECT sku, stock FROM inventory.products WHERE sku = ANY($1) ORDER BY sku FOR UPDATE',
        [skus],
      );
      const stock = new Map(rows.map((row) => [row.sku, row.stock]));
      const refusal = items.some((line) => !stock.has(line.sku)) ? 'unknown_sku'
        : items.some((line) => (stock.get(line.sku) ?? 0) < line.quantity) ? 'out_of_stock' : undefined;
      if (!refusal) {
        for (const line of items) {
          await tx.query('UPDATE inventory.products SET stock = stock - $2 WHERE sku = $1', [line.sku, line.quantity]);
        }
      }
      await tx.query('INSERT INTO inventory.reservations (order_id, lines, status) VALUES ($1, $2, $3)', [
        orderId,
        JSON.stringify(items),
        refusal ? 'refused' : 'reserved',
      ]);
      await addToOutbox(tx, 'inventory', answer(refusal));
      return 'processed';
    });
  }
  // #endregion reserve-for-order

  // #region release-for-order
  // PaymentDeclined or CancellationRequested, handled: put the order's stock back if it
  // holds any, once (the reservation's status says), and answer StockReleased either way.
  // An order inventory has not heard of yet gets a row that says so, so its OrderPlaced,
  // arriving later, takes nothing.
  async releaseForOrder(event: Envelope<'PaymentDeclined' | 'CancellationRequested'>, answer: Envelope): Promise<Outcome> {
    const { orderId } = event.data;
    return this.db.transaction(async (tx) => {
      if (!(await claimInInbox(tx, 'inventory', event.id))) return 'duplicate';
      const { rows } = await tx.query<{ lines: StockLine[]; status: string }>(
        'SELECT lines, status FROM inventory.reservations WHERE order_id = $1 FOR UPDATE',
        [orderId],
      );
      const reservation = rows[0];
      if (!reservation) {
        await tx.query("INSERT INTO inventory.reservations (order_id, lines, status) VALUES ($1, '[]', 'released')", [orderId]);
      } else if (reservation.status === 'reserved') {
        for (const line of [...reservation.lines].sort((a, b) => (a.sku < b.sku ? -1 : 1))) {
          await tx.query('UPDATE inventory.products SET stock = stock + $2 WHERE sku = $1', [line.sku, line.quantity]);
        }
        await tx.query("UPDATE inventory.reservations SET status = 'released', updated_at = now() WHERE order_id = $1", [orderId]);
      }
      await addToOutbox(tx, 'inventory', answer);
      return 'processed';
    });
  }
  // #endregion release-for-order
}
