// The Postgres adapters against a real (in-process) Postgres: the promises the ports make,
// kept with SQL. One database for the whole file; every test uses its own skus and ids.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeCardProcessor } from '../src/adapters/card-processor.ts';
import { openDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/adapters/database.ts';
import { migrate } from '../src/adapters/migrations.ts';
import { InMemoryNotifier } from '../src/adapters/notifiers.ts';
import { PostgresNotifications, PostgresOrders, PostgresPayments, PostgresProducts } from '../src/adapters/postgres.ts';
import type { Order } from '../src/domain/model.ts';
import type { Shop } from '../src/domain/ports.ts';
import { cancelOrder, placeOrder } from '../src/domain/shop.ts';

const migrations = new URL('../migrations/', import.meta.url);
let db: Database;
let products: PostgresProducts;
let orders: PostgresOrders;
let counter = 0;
const id = (prefix: string) => `${prefix}_${++counter}`;

before(async () => {
  db = (await openDatabase()).db;
  await migrate(db, migrations);
  products = new PostgresProducts(db);
  orders = new PostgresOrders(db);
});
after(() => db.close());

const line = (sku: string, quantity: number) => ({ sku, quantity, unitPriceCents: 100 });
const stockOf = async (sku: string) => (await products.get(sku))?.stock;
async function product(stock: number) {
  const sku = id('sku').replace('_', '-');
  assert.equal(await products.add({ sku, name: 'Thing', priceCents: 100, stock }), true);
  return sku;
}
const newOrder = (customerId = 'ada'): Order => ({
  id: id('ord'),
  customerId,
  items: [line('tea', 2)],
  status: 'pending',
  createdAt: new Date().toISOString(),
});

describe('migrations', () => {
  it('are recorded, and a second run applies nothing', async () => {
    const recorded = await db.query<{ name: string }>('SELECT name FROM public.schema_migrations ORDER BY name');
    assert.deepEqual(recorded.rows.map((r) => r.name), ['001-inventory.sql', '002-orders.sql', '003-payments.sql', '004-notifications.sql']);
    assert.deepEqual(await migrate(db, migrations), []);
  });

  it('give each module a schema of its own', async () => {
    const { rows } = await db.query<{ s: string }>(
      "SELECT DISTINCT table_schema AS s FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema', 'public') ORDER BY 1",
    );
    assert.deepEqual(rows.map((r) => r.s), ['inventory', 'notifications', 'orders', 'payments']);
  });
});

describe('products', () => {
  it('reserve is all or nothing', async () => {
    const [a, b] = [await product(5), await product(1)];
    assert.equal(await products.reserve([line(a, 3), line(b, 2)]), false);
    assert.deepEqual([await stockOf(a), await stockOf(b)], [5, 1]);
    assert.equal(await products.reserve([line(a, 3), line(b, 1)]), true);
    assert.deepEqual([await stockOf(a), await stockOf(b)], [2, 0]);
    await products.release([line(a, 3)]);
    assert.equal(await stockOf(a), 5);
  });

  it('30 reservations at once for 10 units: exactly 10 succeed, stock ends at 0', async () => {
    const sku = await product(10);
    const results = await Promise.all(Array.from({ length: 30 }, () => products.reserve([line(sku, 1)])));
    assert.equal(results.filter(Boolean).length, 10);
    assert.equal(await stockOf(sku), 0);
  });

  it('Postgres itself refuses negative stock (the CHECK constraint)', async () => {
    const sku = await product(1);
    await assert.rejects(db.query('UPDATE inventory.products SET stock = stock - 2 WHERE sku = $1', [sku]), /check constraint/);
  });

  it('add refuses a taken sku and lists by sku in code-point order', async () => {
    const sku = await product(1);
    assert.equal(await products.add({ sku, name: 'Again', priceCents: 1, stock: 1 }), false);
    for (const other of ['zz-b', 'zz-a0', 'zz-a-1', 'zz-a']) {
      await products.add({ sku: other, name: 'x', priceCents: 1, stock: 1 });
    }
    const skus = (await products.list()).map((p) => p.sku);
    assert.deepEqual(skus, [...skus].sort());
  });
});

describe('orders', () => {
  it('stores an order with its lines and reads it back the same', async () => {
    const order = { ...newOrder(), items: [line('tea', 2), line('mug', 1)] };
    assert.equal(await orders.add(order), undefined);
    assert.deepEqual(await orders.get(order.id), order);
  });

  it('the same idempotency key twice at once stores one order and returns it to the second', async () => {
    const key = { key: id('key'), fingerprint: 'f1' };
    const [first, second] = [newOrder(), newOrder()];
    const results = await Promise.all([orders.add(first, key), orders.add(second, key)]);
    assert.equal(results[0], undefined);
    assert.deepEqual(results[1], { fingerprint: 'f1', order: first });
    assert.equal(await orders.get(second.id), undefined, 'the second order left no trace');
  });

  it('changeStatus is a compare-and-set: of two racing changes one wins', async () => {
    const order = newOrder();
    await orders.add(order);
    const both = await Promise.all([
      orders.changeStatus(order.id, 'pending', 'confirmed'),
      orders.changeStatus(order.id, 'pending', 'rejected', 'out_of_stock'),
    ]);
    assert.deepEqual(both, [true, false]);
    assert.equal((await orders.get(order.id))?.status, 'confirmed');
  });

  it('lists a customer\'s orders newest first, paged', async () => {
    const customer = id('cust');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const order = newOrder(customer);
      await orders.add(order);
      ids.push(order.id);
    }
    assert.deepEqual((await orders.listByCustomer(customer, 0, 3)).map((o) => o.id), ids.slice(2).reverse());
    assert.deepEqual((await orders.listByCustomer(customer, 3, 3)).map((o) => o.id), ids.slice(0, 2).reverse());
  });
});

describe('the domain on Postgres', () => {
  it('places and cancels orders with the same rules as in memory', async () => {
    const notifier = new InMemoryNotifier();
    const shop: Shop = {
      products,
      orders,
      payments: new PostgresPayments(db),
      notifications: new PostgresNotifications(db),
      cards: new FakeCardProcessor(),
      notifier,
      clock: { now: () => new Date().toISOString() },
      ids: { next: id },
    };
    const sku = await product(3);
    const placed = await Promise.all(
      Array.from({ length: 5 }, (_, i) => placeOrder(shop, { customerId: `c${i}`, items: [{ sku, quantity: 1 }] })),
    );
    const confirmed = placed.filter((p) => p.order.status === 'confirmed');
    assert.equal(confirmed.length, 3);
    assert.equal(await stockOf(sku), 0);
    const first = confirmed[0]?.order;
    assert.ok(first);
    await cancelOrder(shop, first.id, 'changed my mind');
    assert.equal(await stockOf(sku), 1);
    assert.deepEqual((await shop.payments.listByOrder(first.id)).map((p) => p.status), ['refunded']);
    assert.deepEqual(
      (await shop.notifications.listByCustomer(first.customerId)).map((n) => n.kind),
      ['order_confirmed', 'order_cancelled'],
    );
    assert.equal(notifier.sent.length, 5 + 1);
  });
});
