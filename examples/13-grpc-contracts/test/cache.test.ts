// The catalogue cache without Redis (the browser's stage): the in-memory adapter's lifetime,
// and cache-aside reads over a catalogue that counts what reaches it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryCache } from '../src/adapters/cache.ts';
import type { Cache } from '../src/adapters/cache.ts';
import { ALL_PRODUCTS, CachedCatalogue, invalidationHandlers, productKey } from '../src/adapters/cached-catalogue.ts';
import type { Catalogue, Product } from '../src/modules/inventory/index.ts';
import type { Envelope } from '../src/shared/events.ts';

function countingCatalogue(products: Product[]) {
  const asked = { list: 0, find: 0 };
  const catalogue: Catalogue = {
    listProducts: async () => (asked.list++, products.map((p) => ({ ...p }))),
    findProduct: async (sku) => (asked.find++, products.find((p) => p.sku === sku)),
    addProduct: async (product) => (products.push(product), product),
  };
  return { catalogue, asked };
}
const tea: Product = { sku: 'tea', name: 'Tea', priceCents: 250, stock: 10 };
// a MemoryCache that says it is shared, as Redis is: the list is cached too
const sharedMemory = (now?: () => number): Cache => Object.assign(new MemoryCache(now), { shared: true });

describe('MemoryCache', () => {
  it('keeps an entry for its lifetime, then forgets it', async () => {
    let now = 0;
    const cache = new MemoryCache(() => now);
    await cache.set('k', 'v', 100);
    now = 99;
    assert.equal(await cache.get('k'), 'v');
    now = 100;
    assert.equal(await cache.get('k'), undefined);
  });
});

describe('CachedCatalogue', () => {
  it('asks the source once for a product by its sku, then the cache, until the entry expires', async () => {
    let now = 0;
    const { catalogue, asked } = countingCatalogue([{ ...tea }]);
    const cached = new CachedCatalogue(catalogue, new MemoryCache(() => now), { ttlMs: 1_000 });
    for (let i = 0; i < 5; i++) assert.deepEqual(await cached.findProduct('tea'), tea);
    assert.equal(asked.find, 1);
    now = 1_000;
    await cached.findProduct('tea');
    assert.equal(asked.find, 2);
  });

  it('does not cache a product that is not there (it may be added next)', async () => {
    const { catalogue, asked } = countingCatalogue([]);
    const cached = new CachedCatalogue(catalogue, new MemoryCache());
    assert.equal(await cached.findProduct('tea'), undefined);
    await cached.addProduct({ ...tea });
    assert.deepEqual(await cached.findProduct('tea'), tea);
    assert.equal(asked.find, 2);
  });

  it("caches the whole list only in a shared cache: a copy's own list would miss another copy's additions", async () => {
    const own = countingCatalogue([{ ...tea }]);
    const perProcess = new CachedCatalogue(own.catalogue, new MemoryCache());
    await perProcess.listProducts();
    await perProcess.listProducts();
    assert.equal(own.asked.list, 2);
    const shared = countingCatalogue([{ ...tea }]);
    const oneForAll = new CachedCatalogue(shared.catalogue, sharedMemory());
    await oneForAll.listProducts();
    await oneForAll.listProducts();
    assert.equal(shared.asked.list, 1);
  });

  it("an order's final event deletes the list and its products; adding a product deletes the list", async () => {
    const products = [{ ...tea }];
    const { catalogue, asked } = countingCatalogue(products);
    const cache = sharedMemory();
    const cached = new CachedCatalogue(catalogue, cache);
    await cached.listProducts();
    await cached.findProduct('tea');
    products[0]!.stock = 8; // the saga took two
    const event: Envelope = { id: 'evt_1', type: 'OrderConfirmed', occurredAt: new Date().toISOString(), data: { orderId: 'ord_1', customerId: 'ada', items: [{ sku: 'tea', quantity: 2 }], totalCents: 500 } };
    assert.equal(await invalidationHandlers(cache).OrderConfirmed!(event as Envelope<'OrderConfirmed'>), 'processed');
    assert.equal(await cache.get(ALL_PRODUCTS), undefined);
    assert.equal(await cache.get(productKey('tea')), undefined);
    assert.equal((await cached.listProducts())[0]!.stock, 8);
    await cached.addProduct({ sku: 'pot', name: 'Pot', priceCents: 1999, stock: 5 });
    assert.deepEqual((await cached.listProducts()).map((p) => p.sku), ['tea', 'pot']);
    assert.equal(asked.list, 3);
  });
});
