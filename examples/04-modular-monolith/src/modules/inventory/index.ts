// The inventory module: the catalogue and the stock of every product. This file is its
// public interface, the only file other code may import; everything else in this folder is
// private to the module, and so are its tables in the inventory schema.

import type { Database } from '../../shared/ports.ts';
import { ShopError } from '../../shared/errors.ts';
import { PostgresProducts } from './products.ts';
import type { Product, StockLine } from './products.ts';

// #region inventory-index
export type { Product, StockLine } from './products.ts';
export { validateNewProduct } from './validate.ts';

export interface Inventory {
  // every product, sorted by sku
  listProducts(): Promise<Product[]>;
  // refuses a taken sku with sku_exists
  addProduct(product: Product): Promise<Product>;
  findProduct(sku: string): Promise<Product | undefined>;
  // Takes the stock for every line, or for none of them when any line is short, and
  // answers whether it did. One step: two reservations never both see the last unit.
  reserve(lines: StockLine[]): Promise<boolean>;
  // puts reserved stock back
  release(lines: StockLine[]): Promise<void>;
}

export function createInventory(db: Database): Inventory {
  const products = new PostgresProducts(db);
  return {
    listProducts: () => products.list(),
    async addProduct(product) {
      if (!(await products.add(product))) throw new ShopError('sku_exists', `sku ${product.sku} already exists`);
      return product;
    },
    findProduct: (sku) => products.get(sku),
    reserve: (lines) => products.reserve(lines),
    release: (lines) => products.release(lines),
  };
}
// #endregion inventory-index
