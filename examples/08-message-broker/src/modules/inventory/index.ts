// The inventory module: the catalogue and the stock of every product. Since stage 8 it runs
// in a process of its own (src/inventory-main.ts): it serves the catalogue over HTTP and
// hears about orders through the broker. This file is its public interface, the only file
// other code may import; everything else in this folder is private to the module, and so
// are its tables in the inventory schema.

import { ShopError } from '../../shared/errors.ts';
import type { Envelope, Handlers, Outbox } from '../../shared/events.ts';
import { PostgresOutbox } from '../../shared/outbox.ts';
import type { Clock, Database, IdGenerator } from '../../shared/ports.ts';
import { PostgresProducts } from './products.ts';
import type { Product } from './products.ts';

// #region inventory-index
export type { Product, StockLine } from './products.ts';
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
  // what it does when it hears of an order (the consumer hands it the events)
  handlers: Handlers;
  // the events it has to publish (the relay reads them)
  outbox: Outbox;
}

export function createInventory(options: { db: Database; ids: IdGenerator; clock: Clock }): Inventory {
  const products = new PostgresProducts(options.db);
  const event = <K extends 'StockReserved' | 'StockRejected' | 'StockReleased'>(type: K, data: Envelope<K>['data']) =>
    ({ id: options.ids.next('evt'), type, occurredAt: options.clock.now(), data }) as Envelope;
  return {
    listProducts: () => products.list(),
    async addProduct(product) {
      if (!(await products.add(product))) throw new ShopError('sku_exists', `sku ${product.sku} already exists`);
      return product;
    },
    findProduct: (sku) => products.get(sku),
    // #region inventory-handlers
    handlers: {
      OrderPlaced: (placed) =>
        products.reserveForOrder(placed, (reason) =>
          reason ? event('StockRejected', { orderId: placed.data.orderId, reason }) : event('StockReserved', { orderId: placed.data.orderId }),
        ),
      PaymentDeclined: (declined) => products.releaseForOrder(declined, event('StockReleased', { orderId: declined.data.orderId })),
      CancellationRequested: (cancel) => products.releaseForOrder(cancel, event('StockReleased', { orderId: cancel.data.orderId })),
    },
    // #endregion inventory-handlers
    outbox: new PostgresOutbox(options.db, 'inventory'),
  };
}
// #endregion inventory-index
