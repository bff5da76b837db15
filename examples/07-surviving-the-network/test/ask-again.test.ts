// When payments gives no answer (down, or its breaker open), an order is not left pending
// with its stock held: it stays pending only until payments answers, then settles. The same
// for a cancellation whose refund went unanswered. Real (in-process) Postgres; payments is
// the in-process module behind a switch that makes it unreachable.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../src/adapters/clock-and-ids.ts';
import type { Database } from '../src/shared/ports.ts';
import { HttpError } from '../src/adapters/http.ts';
import { InMemoryNotifier } from '../src/adapters/notifiers.ts';
import { createApp } from '../src/app.ts';
import type { App } from '../src/app.ts';
import { createOrders } from '../src/modules/orders/index.ts';
import type { Orders } from '../src/modules/orders/index.ts';
import type { Payments } from '../src/modules/payments/index.ts';
import { ShopError } from '../src/shared/errors.ts';
import { inProcessPayments, openTestDatabase } from './support.ts';

let db: Database;
let app: App;
let orders: Orders;
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

// `down`: every call fails as the HTTP client fails when it gets no answer.
// `declineAll`: the card processor declines every charge.
// `refuseAll`: the service answers every charge 400, as the HTTP client reports it.
const payments = { down: false, declineAll: false, refuseAll: false, charges: 0 };
function switchable(inner: Payments): Payments {
  const reach = () => {
    if (payments.down) throw new ShopError('service_unavailable', 'payments is unavailable (circuit breaker open); try again in 5 s');
  };
  return {
    charge: async (orderId, amountCents) => {
      reach();
      payments.charges++;
      if (payments.refuseAll) throw new HttpError(400, 'invalid_request', 'the payments service answered 400 to POST /charges: amountCents must be a positive integer');
      if (payments.declineAll) return { id: unique('pay'), orderId, amountCents, status: 'declined' };
      return inner.charge(orderId, amountCents);
    },
    refund: async (orderId) => {
      reach();
      await inner.refund(orderId);
    },
    listForOrder: (orderId) => inner.listForOrder(orderId),
  };
}

before(async () => {
  db = await openTestDatabase();
  const inner = inProcessPayments(db);
  app = createApp(db, { notifier: new InMemoryNotifier(), payments: inner, useOutbox: true, crashAfterCommit: false, deliverTwice: false });
  // rounds only when the test asks for one
  orders = createOrders({ ...app, db, payments: switchable(inner), clock: systemClock, ids: { next: unique }, askAgainEveryMs: 3_600_000 });
});
after(() => {
  orders.later.stop();
  return db.close();
});

async function product(stock: number) {
  return (await app.inventory.addProduct({ sku: unique('sku'), name: 'Thing', priceCents: 250, stock })).sku;
}
const stockOf = async (sku: string) => (await app.inventory.findProduct(sku))?.stock;
const statusOf = async (id: string) => (await orders.getOrder(id)).status;
const captured = async (id: string) => (await app.payments.listForOrder(id)).filter((p) => p.status === 'captured').length;

describe('payments gives no answer', () => {
  it('a 4xx from payments is a final answer: rejected payment_declined, stock back, nothing asked again', async () => {
    const sku = await product(3);
    payments.refuseAll = true;
    try {
      const { order } = await orders.placeOrder({ customerId: unique('c'), items: [{ sku, quantity: 2 }] });
      assert.equal(order.status, 'rejected');
      assert.equal(order.reason, 'payment_declined');
    } finally {
      payments.refuseAll = false;
    }
    assert.equal(await stockOf(sku), 3);
    assert.deepEqual(orders.later.waiting(), []);
  });

  it('the order stays pending with its stock reserved, and is confirmed once payments answers', async () => {
    const sku = await product(3);
    payments.down = true;
    const { order } = await orders.placeOrder({ customerId: unique('c'), items: [{ sku, quantity: 2 }] });
    assert.equal(order.status, 'pending');
    assert.equal(await stockOf(sku), 1);
    assert.deepEqual(orders.later.waiting(), [order.id]);

    await orders.later.round();
    assert.equal(await statusOf(order.id), 'pending', 'still no answer: still pending');

    payments.down = false;
    await orders.later.round();
    assert.equal(await statusOf(order.id), 'confirmed');
    assert.equal(await captured(order.id), 1);
    assert.equal(await stockOf(sku), 1);
    assert.deepEqual(orders.later.waiting(), []);
  });

  it('a decline that comes late rejects the order and gives the stock back', async () => {
    const sku = await product(3);
    payments.down = true;
    const { order } = await orders.placeOrder({ customerId: unique('c'), items: [{ sku, quantity: 3 }] });
    assert.equal(await stockOf(sku), 0);
    payments.down = false;
    payments.declineAll = true;
    try {
      await orders.later.round();
    } finally {
      payments.declineAll = false;
    }
    const settled = await orders.getOrder(order.id);
    assert.deepEqual([settled.status, settled.reason], ['rejected', 'payment_declined']);
    assert.equal(await stockOf(sku), 3);
  });

  it('a cancellation asked while pending is carried out when the answer comes: refunded, stock back', async () => {
    const sku = await product(2);
    payments.down = true;
    const { order } = await orders.placeOrder({ customerId: unique('c'), items: [{ sku, quantity: 1 }] });
    const asked = await orders.cancelOrder(order.id, 'changed my mind');
    assert.equal(asked.status, 'pending', 'under way, not done');
    assert.equal(orders.later.has(order.id), true);

    payments.down = false;
    await orders.later.round();
    assert.equal(await statusOf(order.id), 'cancelled');
    const money = await app.payments.listForOrder(order.id);
    assert.deepEqual(money.map((p) => p.status), ['refunded'], 'the card was charged when payments came back, then refunded');
    assert.equal(await stockOf(sku), 2);
  });

  it('cancelling a confirmed order whose refund goes unanswered: cancelled now, refunded and restocked later, once', async () => {
    const sku = await product(2);
    const { order } = await orders.placeOrder({ customerId: unique('c'), items: [{ sku, quantity: 2 }] });
    assert.equal(order.status, 'confirmed');
    payments.down = true;
    await orders.cancelOrder(order.id, '');
    assert.equal(await statusOf(order.id), 'cancelled');
    assert.equal(orders.later.has(order.id), true, 'the refund is waiting');
    assert.equal(await stockOf(sku), 0, 'the stock goes back with the money, not before');

    payments.down = false;
    await orders.later.round();
    await orders.later.round();
    assert.deepEqual((await app.payments.listForOrder(order.id)).map((p) => p.status), ['refunded']);
    assert.equal(await stockOf(sku), 2, 'put back once');
    assert.equal(orders.later.has(order.id), false);
  });

  it('a pending order nobody is waiting on (still being placed) cannot be cancelled yet, and says so', async () => {
    const sku = await product(1);
    const { order } = await orders.placeOrder({ customerId: unique('c'), items: [{ sku, quantity: 1 }] });
    await db.query("UPDATE orders.orders SET status = 'pending' WHERE id = $1", [order.id]);
    await assert.rejects(orders.cancelOrder(order.id, ''), (error: ShopError) => error.code === 'not_cancellable' && /still being placed/.test(error.message));
  });
});
