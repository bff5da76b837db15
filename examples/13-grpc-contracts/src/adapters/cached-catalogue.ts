// Cache-aside reads of the catalogue (stage 12): the shop's replicas ask the cache first and,
// on a miss, the inventory service, then keep its answer for CACHE_TTL_MS. A product by its
// sku (what every POST /orders looks up for its prices) is always cached; the whole list
// only when the cache is shared (Redis): a replica's own copy of the list would miss a
// product added through another replica, and no event says a product was added. Every order's
// final event (the stock it took or gave back) deletes the entries of its products, so a
// read after the event sees the new stock; the time-to-live is the bound for the case where
// an event is late or lost. Writes go to the inventory service and delete what they change.

import type { Catalogue, Product } from '../modules/inventory/index.ts';
import type { Envelope, Handlers } from '../shared/events.ts';
import type { Cache } from './cache.ts';

export const ALL_PRODUCTS = 'shop:products';
export const productKey = (sku: string) => `shop:product:${sku}`;
// How long an entry lives: the bound on staleness when no event comes to delete it.
export const CACHE_TTL_MS = Number(process.env.CACHE_TTL_MS) || 5_000;
if (!(CACHE_TTL_MS > 0)) throw new Error(`CACHE_TTL_MS must be a number of milliseconds above 0, got ${process.env.CACHE_TTL_MS}`);

// #region cache-aside
export class CachedCatalogue implements Catalogue {
  private source: Catalogue;
  private cache: Cache;
  private ttlMs: number;
  // told of every read, hit or miss (the shop counts them in /metrics)
  private onRead: (result: 'hit' | 'miss') => void;
  constructor(source: Catalogue, cache: Cache, options: { ttlMs?: number; onRead?: (result: 'hit' | 'miss') => void } = {}) {
    this.source = source;
    this.cache = cache;
    this.ttlMs = options.ttlMs ?? CACHE_TTL_MS;
    this.onRead = options.onRead ?? (() => {});
  }

  private async read<T>(key: string, fetch: () => Promise<T>): Promise<T> {
    const cached = await this.cache.get(key);
    this.onRead(cached === undefined ? 'miss' : 'hit');
    if (cached !== undefined) return JSON.parse(cached) as T;
    const fresh = await fetch();
    if (fresh !== undefined) await this.cache.set(key, JSON.stringify(fresh), this.ttlMs);
    return fresh;
  }
  listProducts(): Promise<Product[]> {
    if (!this.cache.shared) return this.source.listProducts();
    return this.read(ALL_PRODUCTS, () => this.source.listProducts());
  }
  findProduct(sku: string): Promise<Product | undefined> {
    return this.read(productKey(sku), () => this.source.findProduct(sku));
  }
  async addProduct(product: Product): Promise<Product> {
    const added = await this.source.addProduct(product);
    await this.cache.delete([ALL_PRODUCTS, productKey(product.sku)]);
    return added;
  }
}
// #endregion cache-aside

// #region invalidation
// The handlers of the cache's consumer: an order's final event names the products whose
// stock moved. Deleting twice does no harm, so a second delivery needs no inbox.
export function invalidationHandlers(cache: Cache): Handlers {
  const invalidate = async (event: Envelope) => {
    await cache.delete([ALL_PRODUCTS, ...event.data.items.map((item) => productKey(item.sku))]);
    return 'processed' as const;
  };
  return { OrderConfirmed: invalidate, OrderRejected: invalidate, OrderCancelled: invalidate };
}
// #endregion invalidation
