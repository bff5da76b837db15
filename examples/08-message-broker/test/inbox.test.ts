// Duplicate delivery, at the level of the handlers: every consumer is handed the same
// event twice, on a real (in-memory) Postgres. The first time it does the work; the second
// time its inbox has the event's id and nothing changes.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SequentialIds } from '../src/adapters/clock-and-ids.ts';
import type { Database } from '../src/shared/ports.ts';
import { HttpError } from '../src/adapters/http.ts';
import { InMemoryNotifier } from '../src/adapters/notifiers.ts';
import { createInventory } from '../src/modules/inventory/index.ts';
import { createNotifications } from '../src/modules/notifications/index.ts';
import { createOrders } from '../src/modules/orders/index.ts';
import type { Envelope } from '../src/shared/events.ts';
import { inProcessPayments, openTestDatabase } from './support.ts';

const clock = { now: () => '2026-01-01T00:00:00.000Z' };
const ids = new SequentialIds();
let db: Database;
before(async () => {
  db = await openTestDatabase();
});
after(() => db.close());

const placed = (id: string, orderId: string, quantity: number): Envelope<'OrderPlaced'> => ({
  id,
  type: 'OrderPlaced',
  occurredAt: clock.now(),
  data: { orderId, customerId: 'ada', items: [{ sku: 'dup-mug', quantity }], totalCents: 100 * quantity },
});

describe('a second delivery of the same event changes nothing', () => {
  it('inventory: OrderPlaced twice takes the stock once and answers once', async () => {
    const inventory = createInventory({ db, ids, clock });
    await inventory.addProduct({ sku: 'dup-mug', name: 'Mug', priceCents: 100, stock: 5 });
    const event = placed('evt_dup_1', 'ord_dup_1', 2);
    assert.equal(await inventory.handlers.OrderPlaced?.(event), 'processed');
    assert.equal(await inventory.handlers.OrderPlaced?.(event), 'duplicate');
    assert.equal((await inventory.findProduct('dup-mug'))?.stock, 3);
    const answers = await inventory.outbox.unpublished(10);
    assert.deepEqual(answers.map((e) => [e.type, e.data]), [['StockReserved', { orderId: 'ord_dup_1' }]]);

    // and the release, twice (as two different events asking for the same thing): once
    const release = (id: string): Envelope<'PaymentDeclined'> => ({ id, type: 'PaymentDeclined', occurredAt: clock.now(), data: { orderId: 'ord_dup_1' } });
    assert.equal(await inventory.handlers.PaymentDeclined?.(release('evt_dup_2')), 'processed');
    assert.equal(await inventory.handlers.PaymentDeclined?.(release('evt_dup_2')), 'duplicate');
    assert.equal(await inventory.handlers.PaymentDeclined?.(release('evt_dup_3')), 'processed');
    assert.equal((await inventory.findProduct('dup-mug'))?.stock, 5, 'the stock came back once');
  });

  // Each event type has a topic of its own, and a broker keeps order only within a topic: a
  // cancellation can reach inventory before the order it cancels (chapter 8, "Out of order").
  // This test stands alone (its own product and order), so it can be run by itself:
  // node --test --test-name-pattern="before the order" test/inbox.test.ts
  it('inventory: a cancellation heard before the order means the order takes nothing', async () => {
    const inventory = createInventory({ db, ids, clock });
    await inventory.addProduct({ sku: 'early-mug', name: 'Mug', priceCents: 100, stock: 5 });
    const answersBefore = (await inventory.outbox.unpublished(100)).length;
    const cancel: Envelope<'CancellationRequested'> = { id: 'evt_early', type: 'CancellationRequested', occurredAt: clock.now(), data: { orderId: 'ord_early' } };
    assert.equal(await inventory.handlers.CancellationRequested?.(cancel), 'processed');
    const late: Envelope<'OrderPlaced'> = { ...placed('evt_late', 'ord_early', 2), data: { orderId: 'ord_early', customerId: 'ada', items: [{ sku: 'early-mug', quantity: 2 }], totalCents: 200 } };
    assert.equal(await inventory.handlers.OrderPlaced?.(late), 'processed');
    assert.equal((await inventory.findProduct('early-mug'))?.stock, 5, 'the late order took no stock');
    // the cancellation was answered (the shop can finish cancelling), the late order was not
    const answers = (await inventory.outbox.unpublished(100)).slice(answersBefore);
    assert.deepEqual(answers.map((e) => [e.type, e.data]), [['StockReleased', { orderId: 'ord_early' }]]);
    // for contrast: the same order placed under another id, with no cancellation, takes its stock
    const onTime: Envelope<'OrderPlaced'> = { ...late, id: 'evt_on_time', data: { ...late.data, orderId: 'ord_on_time' } };
    assert.equal(await inventory.handlers.OrderPlaced?.(onTime), 'processed');
    assert.equal((await inventory.findProduct('early-mug'))?.stock, 3);
  });

  it('notifications: OrderConfirmed twice makes one notification and sends one email', async () => {
    const notifier = new InMemoryNotifier();
    const notifications = createNotifications({ db, notifier, clock, ids });
    const confirmed: Envelope<'OrderConfirmed'> = {
      id: 'evt_conf_1',
      type: 'OrderConfirmed',
      occurredAt: clock.now(),
      data: { orderId: 'ord_n1', customerId: 'nina', items: [{ sku: 'dup-mug', quantity: 1 }], totalCents: 100 },
    };
    assert.equal(await notifications.handlers.OrderConfirmed?.(confirmed), 'processed');
    assert.equal(await notifications.handlers.OrderConfirmed?.(confirmed), 'duplicate');
    assert.equal((await notifications.listForCustomer('nina')).length, 1);
    assert.equal(notifier.sent.length, 1);
  });

  it('orders: StockReserved twice charges once and confirms once', async () => {
    const payments = inProcessPayments(db);
    let charges = 0;
    const counting = { ...payments, charge: (orderId: string, cents: number) => ((charges += 1), payments.charge(orderId, cents)) };
    const catalogue = { findProduct: async () => ({ sku: 'dup-mug', name: 'Mug', priceCents: 100, stock: 5 }) };
    const publisher = { publish: async () => {} };
    const orders = createOrders({ db, catalogue, payments: counting, publisher, clock, ids });
    const { order } = await orders.placeOrder({ customerId: 'olga', items: [{ sku: 'dup-mug', quantity: 1 }] });
    const reserved: Envelope<'StockReserved'> = { id: 'evt_res_1', type: 'StockReserved', occurredAt: clock.now(), data: { orderId: order.id } };
    assert.equal(await orders.handlers.StockReserved?.(reserved), 'processed');
    assert.equal(await orders.handlers.StockReserved?.(reserved), 'duplicate');
    assert.equal(charges, 1);
    assert.equal((await orders.getOrder(order.id)).status, 'confirmed');
    const events = await orders.outbox.unpublished(10);
    assert.deepEqual(events.map((e) => e.type), ['OrderPlaced', 'OrderConfirmed']);
  });
});

describe('a 4xx from payments is a final answer', () => {
  it('orders: a charge refused with 400 is handled as a decline, not failed and delivered again', async () => {
    const payments = inProcessPayments(db);
    const refusing = {
      ...payments,
      charge: async () => {
        throw new HttpError(400, 'invalid_request', 'the payments service answered 400 to POST /charges: amountCents must be a positive integer');
      },
    };
    const catalogue = { findProduct: async () => ({ sku: 'dup-mug', name: 'Mug', priceCents: 100, stock: 5 }) };
    const publisher = { publish: async () => {} };
    const orders = createOrders({ db, catalogue, payments: refusing, publisher, clock, ids });
    const { order } = await orders.placeOrder({ customerId: 'rita', items: [{ sku: 'dup-mug', quantity: 1 }] });
    const reserved: Envelope<'StockReserved'> = { id: 'evt_res_refused', type: 'StockReserved', occurredAt: clock.now(), data: { orderId: order.id } };
    assert.equal(await orders.handlers.StockReserved?.(reserved), 'processed');
    const events = await orders.outbox.unpublished(10);
    assert.ok(events.some((e) => e.type === 'PaymentDeclined' && (e.data as { orderId: string }).orderId === order.id), 'PaymentDeclined asks inventory for the stock back');
  });
});
