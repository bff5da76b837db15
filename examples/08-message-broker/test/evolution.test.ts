// An event that gains a field (chapter 8, "When an event gains a field"): the consumers read
// what they need and ignore what they do not know, so a publisher can add a field before any
// consumer has heard of it. Run on its own: node --test test/evolution.test.ts

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SequentialIds } from '../src/adapters/clock-and-ids.ts';
import { InMemoryNotifier } from '../src/adapters/notifiers.ts';
import { createInventory } from '../src/modules/inventory/index.ts';
import { createNotifications } from '../src/modules/notifications/index.ts';
import type { Envelope } from '../src/shared/events.ts';
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
