// Private to the inventory module: its products table, read and written with SQL. Only
// this module touches the inventory schema.

import type { Database } from '../../shared/ports.ts';

export type Product = { sku: string; name: string; priceCents: number; stock: number };
// How many units of which product: what an order line is, as far as stock is concerned.
export type StockLine = { sku: string; quantity: number };
export type ReserveOutcome = 'reserved' | 'out_of_stock' | 'unknown_sku';

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

  // #region reserve
  // The saga's reserve step, named by its key. In ONE transaction: if the key is known,
  // answer as the first time and take nothing; otherwise check and take the stock of every
  // line (or of none) and record the key with what was done. A key released before it was
  // ever reserved (the saga gave up on a reserve that was only slow) takes nothing either.
  //
  // SELECT ... FOR UPDATE locks the rows of the order's skus (in sku order, so two orders
  // cannot deadlock) until COMMIT: two orders never both take the last unit.
  async reserve(key: string, lines: StockLine[]): Promise<ReserveOutcome> {
    return this.db.transaction(async (tx) => {
      const known = await tx.query<{ status: 'reserved' | 'refused' | 'released' }>(
        'SELECT status FROM inventory.reservations WHERE key = $1',
        [key],
      );
      const status = known.rows[0]?.status;
      if (status === 'reserved') return 'reserved';
      if (status === 'released') return 'out_of_stock';
      const skus = lines.map((line) => line.sku).sort();
      const { rows } = await tx.query<{ sku: string; stock: number }>(
        'SELECT sku, stock FROM inventory.products WHERE sku = ANY($1) ORDER BY sku FOR UPDATE',
        [skus],
      );
      const stock = new Map(rows.map((row) => [row.sku, row.stock]));
      const refusal = lines.some((line) => !stock.has(line.sku)) ? 'unknown_sku'
        : lines.some((line) => (stock.get(line.sku) ?? 0) < line.quantity) ? 'out_of_stock' : undefined;
      // A refusal is not remembered: asked again, the key is checked against the stock again.
      if (refusal) return refusal;
      for (const line of lines) {
        await tx.query('UPDATE inventory.products SET stock = stock - $2 WHERE sku = $1', [line.sku, line.quantity]);
      }
      await tx.query("INSERT INTO inventory.reservations (key, lines, status) VALUES ($1, $2, 'reserved')", [key, JSON.stringify(lines)]);
      return 'reserved';
    });
  }
  // #endregion reserve

  // #region release
  // The compensation: put back the stock reserved under the key, once (the row's status
  // says). A key never reserved gets a row that says "released", so its reserve, should it
  // arrive late, takes nothing.
  async release(key: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ lines: StockLine[]; status: string }>(
        'SELECT lines, status FROM inventory.reservations WHERE key = $1 FOR UPDATE',
        [key],
      );
      const reservation = rows[0];
      if (!reservation) {
        await tx.query("INSERT INTO inventory.reservations (key, lines, status) VALUES ($1, '[]', 'released')", [key]);
      } else if (reservation.status === 'reserved') {
        for (const line of [...reservation.lines].sort((a, b) => (a.sku < b.sku ? -1 : 1))) {
          await tx.query('UPDATE inventory.products SET stock = stock + $2 WHERE sku = $1', [line.sku, line.quantity]);
        }
        await tx.query("UPDATE inventory.reservations SET status = 'released', updated_at = now() WHERE key = $1", [key]);
      }
    });
  }
  // #endregion release
}
