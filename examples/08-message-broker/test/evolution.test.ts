// Events that change (chapter 8, "When an event changes"). An event that gains a field: the
// consumers read what they need and ignore what they do not know, so a publisher can add a
// field before any consumer has heard of it. A field that changes its meaning: a new version
// beside the old (OrderConfirmedV2), read by a consumer that knows both, published by the
// relay in both during the change. Run on its own: node --test test/evolution.test.ts

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SequentialIds } from '../src/adapters/clock-and-ids.ts';
import { InMemoryNotifier } from '../src/adapters/notifiers.ts';
import { createInventory } from '../src/modules/inventory/index.ts';
import { createNotifications } from '../src/modules/notifications/index.ts';
import { asPublished, centsOf, orderConfirmedV2 } from '../src/shared/event-versions.ts';
import type { Envelope, Publisher } from '../src/shared/events.ts';
import { addToOutbox, PostgresOutbox } from '../src/shared/outbox.ts';
import { OutboxRelay } from '../src/shared/relay.ts';
import type { Database } from '../src/shared/ports.ts';
import { openTestDatabase } from './support.ts';

const clock = { now: () => '2026-01-01T00:00:00.000Z' };
const ids = new SequentialIds();
let db: Database;
before(async () => {
  db = await openTestDatabase();
});
after(() => db.close());

// Tomorrow's OrderPlaced: a gift-wrap flag in its data and a schema version on the envelope,
// neither of which today's consumers know. (The cast is the point: the types are today's.)
const facts = { orderId: 'ord_new', customerId: 'ada', items: [{ sku: 'evo-mug', quantity: 2 }], totalCents: 200 };
const newer = <T extends 'OrderPlaced' | 'OrderConfirmed'>(type: T, id: string) =>
  ({ id, type, occurredAt: clock.now(), schemaVersion: 2, data: { ...facts, giftWrap: true } }) as unknown as Envelope<T>;

describe('a tolerant reader: an event with a field its consumer does not know', () => {
  it('inventory reserves for an OrderPlaced with an extra field as for any other', async () => {
    const inventory = createInventory({ db, ids, clock });
    await inventory.addProduct({ sku: 'evo-mug', name: 'Mug', priceCents: 100, stock: 5 });
    assert.equal(await inventory.handlers.OrderPlaced?.(newer('OrderPlaced', 'evt_evo_1')), 'processed');
    assert.equal((await inventory.findProduct('evo-mug'))?.stock, 3);
    const answers = await inventory.outbox.unpublished(100);
    assert.deepEqual(answers.filter((e) => e.data.orderId === 'ord_new').map((e) => e.type), ['StockReserved']);
  });

  it('notifications tell the customer about an OrderConfirmed with an extra field, once', async () => {
    const notifier = new InMemoryNotifier();
    const notifications = createNotifications({ db, notifier, clock, ids });
    assert.equal(await notifications.handlers.OrderConfirmed?.(newer('OrderConfirmed', 'evt_evo_2')), 'processed');
    assert.equal(notifier.sent.length, 1);
    assert.equal((await notifications.listForCustomer('ada')).filter((n) => n.orderId === 'ord_new').length, 1);
  });
});

// One OrderConfirmed in its two shapes, with the one id the relay gives both.
const confirmed = (id: string, orderId: string, totalCents: number) =>
  ({ id, type: 'OrderConfirmed', occurredAt: clock.now(), data: { orderId, customerId: 'ada', items: [{ sku: 'evo-mug', quantity: 1 }], totalCents } }) as Envelope<'OrderConfirmed'>;
const asV2 = (v1: Envelope<'OrderConfirmed'>) => ({ ...v1, type: 'OrderConfirmedV2', data: orderConfirmedV2(v1.data) }) as Envelope<'OrderConfirmedV2'>;

describe('a new version beside the old: OrderConfirmedV2 carries its total as money', () => {
  it('the upcaster turns cents into a decimal amount exactly, and back', () => {
    for (const cents of [0, 5, 100, 1005, 1250, 999_999]) {
      const v2 = orderConfirmedV2(confirmed('evt_x', 'ord_x', cents).data);
      assert.equal('totalCents' in v2, false, 'v2 has no totalCents');
      assert.equal(centsOf(v2.total), cents);
    }
    assert.deepEqual(orderConfirmedV2(confirmed('evt_x', 'ord_x', 1005).data).total, { amount: '10.05', currency: 'USD' });
    assert.throws(() => centsOf({ amount: '10.5', currency: 'USD' }), /two decimals/);
  });

  it('notifications read a v2 event as v2: the customer is told the right total (a v1 reading would say NaN)', async () => {
    const notifier = new InMemoryNotifier();
    const notifications = createNotifications({ db, notifier, clock, ids });
    const v2 = asV2(confirmed('evt_v2_only', 'ord_v2_only', 1250));
    assert.equal(await notifications.handlers.OrderConfirmedV2?.(v2), 'processed');
    assert.deepEqual(notifier.sent.map((s) => s.text), ['Order ord_v2_only is confirmed. Total: $12.50.']);
  });

  it('during the change both versions come, with one id: the customer is told once, whichever comes first', async () => {
    for (const v2First of [false, true]) {
      const notifier = new InMemoryNotifier();
      const notifications = createNotifications({ db, notifier, clock, ids });
      const v1 = confirmed(`evt_both_${v2First}`, `ord_both_${v2First}`, 300);
      const outcomes = v2First
        ? [await notifications.handlers.OrderConfirmedV2?.(asV2(v1)), await notifications.handlers.OrderConfirmed?.(v1)]
        : [await notifications.handlers.OrderConfirmed?.(v1), await notifications.handlers.OrderConfirmedV2?.(asV2(v1))];
      assert.deepEqual(outcomes, ['processed', 'duplicate']);
      assert.deepEqual(notifier.sent.map((s) => s.text), [`Order ord_both_${v2First} is confirmed. Total: $3.00.`]);
    }
  });

  it('the relay publishes OrderConfirmed in the versions it is switched to, under one id; other events as they are', async () => {
    const sent: Envelope[] = [];
    const publisher: Publisher = { publish: async (event) => void sent.push(event) };
    const relay = new OutboxRelay(new PostgresOutbox(db, 'orders'), publisher, () => {});
    const write = async (event: Envelope) => db.transaction((tx) => addToOutbox(tx, 'orders', event));
    const cancel = { id: 'evt_rel_c', type: 'CancellationRequested', occurredAt: clock.now(), data: { orderId: 'ord_rel' } } as Envelope;
    const seen = () => sent.splice(0).map((e) => `${e.type} ${e.id} ${'totalCents' in e.data ? e.data.totalCents : ''}${'total' in e.data ? e.data.total.amount : ''}${'giftWrap' in e.data ? ' +giftWrap' : ''}`);

    await write(confirmed('evt_rel_1', 'ord_rel', 700));
    await relay.publishPending();
    assert.deepEqual(seen(), ['OrderConfirmed evt_rel_1 700'], 'by default, v1 only, as before');

    relay.publishOrderConfirmed({ versions: [1, 2], extraField: false });
    await write(confirmed('evt_rel_2', 'ord_rel', 700));
    await write(cancel);
    await relay.publishPending();
    assert.deepEqual(seen(), ['OrderConfirmed evt_rel_2 700', 'OrderConfirmedV2 evt_rel_2 7.00', 'CancellationRequested evt_rel_c ']);

    relay.publishOrderConfirmed({ versions: [2], extraField: true });
    await write(confirmed('evt_rel_3', 'ord_rel', 700));
    await relay.publishPending();
    assert.deepEqual(seen(), ['OrderConfirmedV2 evt_rel_3 7.00 +giftWrap']);
    assert.deepEqual(asPublished(cancel, { versions: [2], extraField: true }), [cancel], 'only OrderConfirmed changes');
  });
});
