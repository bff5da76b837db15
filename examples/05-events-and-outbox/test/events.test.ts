// Events, the outbox, the relay and an idempotent consumer, in one process on an in-memory
// Postgres. The relay is driven by hand (deliverPending) so each step can be looked at.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/shared/ports.ts';
import { migrate } from '../src/adapters/migrations.ts';
import { InMemoryNotifier } from '../src/adapters/notifiers.ts';
import { createApp } from '../src/app.ts';
import type { App } from '../src/app.ts';
import type { OrderEvent } from '../src/modules/orders/index.ts';
import { EventBus } from '../src/shared/bus.ts';

let db: Database;
let app: App;
const notifier = new InMemoryNotifier();
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

before(async () => {
  db = (await openDatabase()).db;
  await migrate(db, new URL('../migrations/', import.meta.url));
  // The relay is not started: the tests call deliverPending() themselves.
  app = createApp(db, { notifier, useOutbox: true, crashAfterCommit: false, deliverTwice: false });
});
after(() => db.close());

async function product(stock: number) {
  return (await app.inventory.addProduct({ sku: unique('sku'), name: 'Thing', priceCents: 500, stock })).sku;
}
async function outboxRows(orderId: string) {
  const { rows } = await db.query<{ type: string; delivered: boolean }>(
    "SELECT type, delivered_at IS NOT NULL AS delivered FROM orders.outbox WHERE payload->>'orderId' = $1 ORDER BY position",
    [orderId],
  );
  return rows.map((r) => [r.type, r.delivered]);
}
const kinds = async (customerId: string) => (await app.notifications.listForCustomer(customerId)).map((n) => n.kind);

describe('the event bus', () => {
  it('hands each event to every subscriber of its type, in order, and only to them', async () => {
    type Events = { Ping: { n: number }; Pong: { n: number } };
    const bus = new EventBus<Events>();
    const seen: string[] = [];
    bus.subscribe('Ping', async (e) => void seen.push(`a${e.data.n}`));
    bus.subscribe('Ping', async (e) => void seen.push(`b${e.data.n}`));
    bus.subscribe('Pong', async (e) => void seen.push(`pong${e.data.n}`));
    await bus.publish({ id: 'e1', type: 'Ping', occurredAt: '', data: { n: 1 } });
    assert.deepEqual(seen, ['a1', 'b1']);
  });
});

describe('the outbox', () => {
  it('the order change and its event are committed together; the relay publishes it and marks it', async () => {
    const customerId = unique('ada');
    const { order } = await app.orders.placeOrder({ customerId, items: [{ sku: await product(5), quantity: 2 }] });
    assert.equal(order.status, 'confirmed');
    assert.deepEqual(await outboxRows(order.id), [['OrderConfirmed', false]]);
    assert.deepEqual(await kinds(customerId), [], 'nothing is published until the relay runs');

    assert.ok((await app.orders.relay.deliverPending()) >= 1);
    assert.deepEqual(await outboxRows(order.id), [['OrderConfirmed', true]]);
    assert.deepEqual(await kinds(customerId), ['order_confirmed']);
    assert.ok(notifier.sent.some((m) => m.text === `Order ${order.id} is confirmed. Total: $10.00.`));
    assert.equal(await app.orders.relay.deliverPending(), 0, 'a delivered event is not delivered again');
  });

  it('a change that does not happen writes no event: two cancels, one OrderCancelled', async () => {
    const customerId = unique('bea');
    const { order } = await app.orders.placeOrder({ customerId, items: [{ sku: await product(5), quantity: 1 }] });
    const results = await Promise.allSettled([app.orders.cancelOrder(order.id, 'x'), app.orders.cancelOrder(order.id, 'y')]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    assert.deepEqual(await outboxRows(order.id), [['OrderConfirmed', false], ['OrderCancelled', false]]);
    await app.orders.relay.deliverPending();
    assert.deepEqual(await kinds(customerId), ['order_confirmed', 'order_cancelled']);
  });

  it('a failing consumer leaves the event in the outbox; the next round delivers it', async () => {
    const customerId = unique('cat');
    let failures = 1;
    app.bus.subscribe('OrderRejected', async () => {
      if (failures-- > 0) throw new Error('the consumer is down');
    });
    const { order } = await app.orders.placeOrder({ customerId, items: [{ sku: await product(0), quantity: 1 }] });
    assert.equal(order.status, 'rejected');
    await assert.rejects(app.orders.relay.deliverPending(), /the consumer is down/);
    assert.deepEqual(await outboxRows(order.id), [['OrderRejected', false]]);
    await app.orders.relay.deliverPending();
    assert.deepEqual(await outboxRows(order.id), [['OrderRejected', true]]);
    // Notifications saw the event twice (before the failing consumer, in both rounds): once told.
    assert.deepEqual(await kinds(customerId), ['order_rejected']);
  });
});

describe('the notifications consumer', () => {
  it('is idempotent: the same event delivered twice makes one notification and one email', async () => {
    const customerId = unique('dan');
    const event: OrderEvent = {
      id: unique('evt'),
      type: 'OrderConfirmed',
      occurredAt: new Date().toISOString(),
      data: { orderId: unique('ord'), customerId, items: [{ sku: 'x', quantity: 1 }], totalCents: 700 },
    };
    await app.bus.publish(event);
    await app.bus.publish(event);
    assert.deepEqual(await kinds(customerId), ['order_confirmed']);
    assert.equal(notifier.sent.filter((m) => m.customerId === customerId).length, 1);
  });

  it('with a relay that delivers everything twice (DELIVER_TWICE=1), still one notification per order', async () => {
    const twice = createApp(db, { notifier, useOutbox: true, crashAfterCommit: false, deliverTwice: true });
    const customerId = unique('eve');
    const sku = await product(5);
    for (let i = 0; i < 3; i++) await twice.orders.placeOrder({ customerId, items: [{ sku, quantity: 1 }] });
    await twice.orders.relay.deliverPending();
    assert.deepEqual(await kinds(customerId), ['order_confirmed', 'order_confirmed', 'order_confirmed']);
    // what GET /ops/deliveries shows: each event handed over twice, the inbox turned half away
    assert.deepEqual(twice.notifications.deliveries(), { delivered: 6, notified: 3, ignoredAsSeen: 3 });
  });
});

describe('without the outbox (OUTBOX=off)', () => {
  it('the event is published straight after the commit, and nothing goes to the outbox', async () => {
    const direct = createApp(db, { notifier, useOutbox: false, crashAfterCommit: false, deliverTwice: false });
    const customerId = unique('fay');
    const { order } = await direct.orders.placeOrder({ customerId, items: [{ sku: await product(5), quantity: 1 }] });
    assert.deepEqual(await kinds(customerId), ['order_confirmed'], 'told before POST /orders even answers');
    assert.deepEqual(await outboxRows(order.id), []);
  });
});
