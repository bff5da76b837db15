// A second delivery, a second command: each changes nothing, on a real (in-memory)
// Postgres. Notifications, the one consumer of events since stage 9, finds a repeated event
// in its inbox. Inventory and payments find a repeated saga command by its step's key (the
// payments service over HTTP); and a compensation that arrives before its step closes the
// key, so the step, arriving late, does nothing.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakeCardProcessor, SandboxCardProcessor } from '../src/adapters/card-processor.ts';
import { RandomIds, SequentialIds } from '../src/adapters/clock-and-ids.ts';
import type { Database } from '../src/shared/ports.ts';
import { createPaymentsServer, PostgresIdempotencyStore } from '../src/adapters/payments-api.ts';
import { HttpSagaPayments } from '../src/adapters/saga-services.ts';
import { createInventory } from '../src/modules/inventory/index.ts';
import { createNotifications, notificationQueue } from '../src/modules/notifications/index.ts';
import { createPayments } from '../src/modules/payments/index.ts';
import type { Envelope } from '../src/shared/events.ts';
import { openTestDatabase } from './support.ts';

const clock = { now: () => '2026-01-01T00:00:00.000Z' };
const ids = new SequentialIds();
let db: Database;
before(async () => {
  db = await openTestDatabase();
});
after(() => db.close());

describe('a second delivery changes nothing', () => {
  it('notifications: OrderConfirmed twice makes one notification and enqueues one job to send it', async () => {
    const queue = notificationQueue(db);
    const notifications = createNotifications({ db, queue, clock, ids });
    const confirmed: Envelope<'OrderConfirmed'> = {
      id: 'evt_conf_1',
      type: 'OrderConfirmed',
      occurredAt: clock.now(),
      data: { orderId: 'ord_n1', customerId: 'nina', items: [{ sku: 'dup-mug', quantity: 1 }], totalCents: 100 },
    };
    assert.equal(await notifications.handlers.OrderConfirmed?.(confirmed), 'processed');
    assert.equal(await notifications.handlers.OrderConfirmed?.(confirmed), 'duplicate');
    assert.equal((await notifications.listForCustomer('nina')).length, 1);
    const report = await queue.report();
    assert.deepEqual(report.recent.filter((job) => job.key.startsWith('ord_n1:')).map((job) => [job.key, job.state]), [['ord_n1:order_confirmed', 'ready']]);
  });
});

describe('inventory: reservations named by the saga step\'s key', () => {
  it('the same reserve twice takes the stock once; the same release twice gives it back once', async () => {
    const inventory = createInventory({ db });
    await inventory.addProduct({ sku: 'key-mug', name: 'Keyed mug', priceCents: 100, stock: 5 });
    const lines = [{ sku: 'key-mug', quantity: 2 }];
    assert.equal(await inventory.reserve('saga-ord_k1-reserve', lines), 'reserved');
    assert.equal(await inventory.reserve('saga-ord_k1-reserve', lines), 'reserved');
    assert.equal((await inventory.findProduct('key-mug'))?.stock, 3);
    await inventory.release('saga-ord_k1-reserve');
    await inventory.release('saga-ord_k1-reserve');
    assert.equal((await inventory.findProduct('key-mug'))?.stock, 5);
  });

  it('refuses what it cannot take, and takes nothing: out_of_stock, unknown_sku', async () => {
    const inventory = createInventory({ db });
    assert.equal(await inventory.reserve('saga-ord_k2-reserve', [{ sku: 'key-mug', quantity: 6 }]), 'out_of_stock');
    assert.equal(await inventory.reserve('saga-ord_k3-reserve', [{ sku: 'key-mug', quantity: 1 }, { sku: 'no-such-mug', quantity: 1 }]), 'unknown_sku');
    assert.equal((await inventory.findProduct('key-mug'))?.stock, 5);
  });

  it('a release before its reserve: the late reserve takes nothing', async () => {
    const inventory = createInventory({ db });
    await inventory.release('saga-ord_k4-reserve');
    assert.equal(await inventory.reserve('saga-ord_k4-reserve', [{ sku: 'key-mug', quantity: 1 }]), 'out_of_stock');
    assert.equal((await inventory.findProduct('key-mug'))?.stock, 5);
  });
});

describe('payments: charges and refunds named by the saga step\'s key', () => {
  let payments: HttpSagaPayments;
  let cards: FakeCardProcessor;
  let close: () => void;
  before(async () => {
    cards = new FakeCardProcessor();
    const ids = new RandomIds();
    const server = createPaymentsServer(
      {
        real: createPayments({ db, cards, ids }),
        shadow: createPayments({ db, cards: new SandboxCardProcessor(), ids, shadow: true }),
        keys: new PostgresIdempotencyStore(db),
        cards,
      },
      () => {},
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    payments = new HttpSagaPayments(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    close = () => server.close();
  });
  after(() => close());

  it('the same charge twice charges the card once; the refund gives the money back', async () => {
    assert.equal(await payments.charge('saga-ord_p1-charge', 'ord_p1', 1200), 'captured');
    assert.equal(await payments.charge('saga-ord_p1-charge', 'ord_p1', 1200), 'captured');
    assert.equal((await cards.capturedPerOrder()).get('ord_p1'), 1);
    await payments.refund('saga-ord_p1-charge', 'ord_p1', 1200);
    await payments.refund('saga-ord_p1-charge', 'ord_p1', 1200);
    const list = await payments.client.call<{ status: string }[]>('GET', '/payments?orderId=ord_p1');
    assert.deepEqual(list.map((p) => p.status), ['refunded']);
  });

  it('a charge above 500,000 cents is declined, and asked again stays declined', async () => {
    assert.equal(await payments.charge('saga-ord_p2-charge', 'ord_p2', 500_001), 'declined');
    assert.equal(await payments.charge('saga-ord_p2-charge', 'ord_p2', 500_001), 'declined');
    assert.equal((await cards.capturedPerOrder()).get('ord_p2'), undefined);
  });

  it('a refund before its charge closes the key: the late charge moves no money', async () => {
    await payments.refund('saga-ord_p3-charge', 'ord_p3', 900);
    assert.equal(await payments.charge('saga-ord_p3-charge', 'ord_p3', 900), 'declined');
    assert.equal((await cards.capturedPerOrder()).get('ord_p3'), undefined);
    const list = await payments.client.call<{ status: string }[]>('GET', '/payments?orderId=ord_p3');
    assert.deepEqual(list, []);
  });
});
