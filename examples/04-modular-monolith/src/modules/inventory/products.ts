// Private to the inventory module: its products table, read and written with SQL. Only
// this module touches the inventory schema.

import type { Database } from '../../shared/ports.ts';

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
  async reserve(lines: StockLine[]): Promise<boolean> {
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

  async release(lines: StockLine[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const line of lines) {
        await tx.query('UPDATE inventory.products SET stock = stock + $2 WHERE sku = $1', [line.sku, line.quantity]);
      }
    });
  }
}
