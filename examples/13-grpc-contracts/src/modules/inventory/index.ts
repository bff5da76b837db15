// The inventory module: the catalogue and the stock of every product. Since stage 8 it runs
// in a process of its own (src/inventory-main.ts); since stage 9 it serves the catalogue and
// the orchestrator's reserve and release commands over HTTP. This file is its public interface, the only file
// other code may import; everything else in this folder is private to the module, and so
// are its tables in the inventory schema.

import type { Database } from '../../shared/ports.ts';
import { ShopError } from '../../shared/errors.ts';
import { PostgresProducts } from './products.ts';
import type { Product, ReserveOutcome, StockLine } from './products.ts';

// #region inventory-index
export type { Product, ReserveOutcome, StockLine } from './products.ts';
export { validateNewProduct } from './validate.ts';

// The catalogue: what the shop asks over HTTP.
export interface Catalogue {
  // every product, sorted by sku
  listProducts(): Promise<Product[]>;
  // refuses a taken sku with sku_exists
  addProduct(product: Product): Promise<Product>;
  findProduct(sku: string): Promise<Product | undefined>;
}

export interface Inventory extends Catalogue {
  // Stage 9: the orchestrator's commands, each named by the key of its saga step. Asked
  // twice with the same key, each does its work once.
  reserve(key: string, lines: StockLine[]): Promise<ReserveOutcome>;
  release(key: string): Promise<void>;
}

export function createInventory(options: { db: Database }): Inventory {
  const products = new PostgresProducts(options.db);
  return {
    listProducts: () => products.list(),
    async addProduct(product) {
      if (!(await products.add(product))) throw new ShopError('sku_exists', `sku ${product.sku} already exists`);
      return product;
    },
    findProduct: (sku) => products.get(sku),
    reserve: (key, lines) => products.reserve(key, lines),
    release: (key) => products.release(key),
  };
}
// #endregion inventory-index
