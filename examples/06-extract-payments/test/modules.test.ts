// The modules through their public interfaces, on a real (in-process) Postgres. One
// database for the whole file; every test uses its own skus and customers.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../src/adapters/clock-and-ids.ts';
import type { Database } from '../src/shared/ports.ts';
import { migrate } from '../src/adapters/migrations.ts';
import { InMemoryNotifier } from '../src/adapters/notifiers.ts';
import { createApp } from '../src/app.ts';
import { inProcessPayments, openTestDatabase, PAYMENTS_MIGRATIONS, SHOP_MIGRATIONS } from './support.ts';
import type { App } from '../src/app.ts';
import { createOrders } from '../src/modules/orders/index.ts';
import type { Payments } from '../src/modules/payments/index.ts';

const notifier = new InMemoryNotifier();
let db: Database;
let app: App;
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

before(async () => {
  db = await openTestDatabase();
  app = createApp(db, { notifier, payments: inProcessPayments(db), useOutbox: true, crashAfterCommit: false, deliverTwice: false });
});
after(() => db.close());

async function product(stock: number, priceCents = 100) {
  return (await app.inventory.addProduct({ sku: unique('sku'), name: 'Thing', priceCents, stock })).sku;
}
const stockOf = async (sku: string) => (await app.inventory.findProduct(sku))?.stock;
const order = (customerId: string, items: { sku: string; quantity: number }[]) => ({ customerId, items });

describe('migrations', () => {
  it('are recorded, give each module a schema of its own, and a second run applies nothing', async () => {
    const recorded = await db.query<{ name: string }>('SELECT name FROM public.schema_migrations ORDER BY name');
    assert.deepEqual(recorded.rows.map((r) => r.name), [
      '001-inventory.sql',
      '002-orders.sql',
      '003-payments.sql',
      '004-notifications.sql',
      '005-orders-outbox.sql',
      '006-card-processor-ledger.sql',
      '006-notifications-inbox.sql',
    ]);
    assert.deepEqual(await migrate(db, SHOP_MIGRATIONS), []);
    assert.deepEqual(await migrate(db, PAYMENTS_MIGRATIONS), []);
  });
});

describe('inventory', () => {
  it('reserve is all or nothing', async () => {
    const [a, b] = [await product(5), await product(1)];
    assert.equal(await app.inventory.reserve([{ sku: a, quantity: 3 }, { sku: b, quantity: 2 }]), false);
    assert.deepEqual([await stockOf(a), await stockOf(b)], [5, 1]);
    assert.equal(await app.inventory.reserve([{ sku: a, quantity: 3 }, { sku: b, quantity: 1 }]), true);
    assert.deepEqual([await stockOf(a), await stockOf(b)], [2, 0]);
  });

  it('30 reservations at once for 10 units: exactly 10 succeed (transactions and row locks)', async () => {
    const sku = await product(10);
    const results = await Promise.all(Array.from({ length: 30 }, () => app.inventory.reserve([{ sku, quantity: 1 }])));
    assert.equal(results.filter(Boolean).length, 10);
    assert.equal(await stockOf(sku), 0);
  });
});

describe('orders, with the other modules behind their interfaces', () => {
  it('confirms: stock taken, one payment captured, the customer told', async () => {
    const sku = await product(3, 1250);
    const { order: placed } = await app.orders.placeOrder(order('ada', [{ sku, quantity: 2 }]));
    assert.equal(placed.status, 'confirmed');
    assert.equal(await stockOf(sku), 1);
    const payments = await app.payments.listForOrder(placed.id);
    assert.deepEqual(payments.map((p) => [p.status, p.amountCents]), [['captured', 2500]]);
    // The customer is told through an event, once the relay has delivered it.
    await app.orders.relay.deliverPending();
    assert.ok(notifier.sent.some((m) => m.text === `Order ${placed.id} is confirmed. Total: $25.00.`));
    assert.deepEqual((await app.notifications.listForCustomer('ada')).map((n) => [n.orderId, n.kind]), [[placed.id, 'order_confirmed']]);
  });

  it('never sells the last units twice, however many orders run at once', async () => {
    const sku = await product(2);
    const placed = await Promise.all(Array.from({ length: 10 }, (_, i) => app.orders.placeOrder(order(`c${i}`, [{ sku, quantity: 1 }]))));
    assert.equal(placed.filter((p) => p.order.status === 'confirmed').length, 2);
    assert.equal(await stockOf(sku), 0);
  });

  it('the same idempotency key twice at once makes one order', async () => {
    const sku = await product(5);
    const body = order('bea', [{ sku, quantity: 1 }]);
    const both = await Promise.all([app.orders.placeOrder(body, 'key-1'), app.orders.placeOrder(body, 'key-1')]);
    assert.equal(both[0].order.id, both[1].order.id);
    assert.equal(await stockOf(sku), 4);
  });

  it('two cancels at the same moment refund and restock once', async () => {
    const sku = await product(5);
    const { order: placed } = await app.orders.placeOrder(order('cat', [{ sku, quantity: 5 }]));
    const results = await Promise.allSettled([app.orders.cancelOrder(placed.id, ''), app.orders.cancelOrder(placed.id, '')]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    assert.equal(await stockOf(sku), 5);
    assert.deepEqual((await app.payments.listForOrder(placed.id)).map((p) => p.status), ['refunded']);
  });

  it('any payments module that keeps the interface will do: one that declines everything', async () => {
    const declining: Payments = {
      charge: async (orderId, amountCents) => ({ id: unique('pay'), orderId, amountCents, status: 'declined' }),
      refund: async () => {},
      listForOrder: async () => [],
    };
    const orders = createOrders({ ...app, db, payments: declining, clock: systemClock, ids: { next: unique } });
    const sku = await product(4);
    const { order: placed } = await orders.placeOrder(order('dan', [{ sku, quantity: 1 }]));
    assert.equal(placed.status, 'rejected');
    assert.equal(placed.reason, 'payment_declined');
    assert.equal(await stockOf(sku), 4, 'the reservation was given back');
  });
});
