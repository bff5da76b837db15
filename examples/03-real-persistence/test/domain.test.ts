// Unit tests of the domain with in-memory adapters only: no server, no port, no file, no
// console. A watcher records every I/O resource Node creates while these tests run, and the
// last test proves it saw none.

import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import net from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FakeCardProcessor } from '../src/adapters/card-processor.ts';
import { InMemoryNotifications, InMemoryOrders, InMemoryPayments, InMemoryProducts } from '../src/adapters/memory.ts';
import { InMemoryNotifier } from '../src/adapters/notifiers.ts';
import type { Shop } from '../src/domain/ports.ts';
import {
  addProduct,
  cancelOrder,
  getOrder,
  listOrders,
  listProducts,
  notificationsOf,
  paymentsOf,
  placeOrder,
} from '../src/domain/shop.ts';

// #region no-io
// Node creates an async resource of one of these types for every socket, server, file
// operation, DNS lookup or child process. Seeing none means the code under test did no I/O.
const IO_TYPES = /^(TCP|UDP|PIPE|TTY|PROCESS|FSREQ|FILEHANDLE|STATWATCHER|FSEVENT|GETADDRINFO|GETNAMEINFO|HTTP|DNSCHANNEL|SIGNALWRAP|ZLIB)/;

function watchIo() {
  const seen: string[] = [];
  const hook = createHook({
    init(_id, type) {
      if (IO_TYPES.test(type)) seen.push(type);
    },
  });
  hook.enable();
  return {
    stop(): string[] {
      hook.disable();
      return seen;
    },
  };
}
// #endregion no-io

// #region test-shop
// A shop wired from in-memory adapters, a fixed clock and predictable ids.
function testShop() {
  const notifier = new InMemoryNotifier();
  let lastId = 0;
  const shop: Shop = {
    products: new InMemoryProducts([
      { sku: 'kettle', name: 'Kettle', priceCents: 8900, stock: 2 },
      { sku: 'mug', name: 'Mug', priceCents: 1200, stock: 25 },
      { sku: 'espresso', name: 'Espresso machine', priceCents: 549_000, stock: 3 },
    ]),
    orders: new InMemoryOrders(),
    payments: new InMemoryPayments(),
    notifications: new InMemoryNotifications(),
    cards: new FakeCardProcessor(),
    notifier,
    clock: { now: () => '2030-01-01T00:00:00.000Z' },
    ids: { next: (prefix) => `${prefix}_${++lastId}` },
  };
  return { shop, notifier };
}
// #endregion test-shop

let shop: Shop;
let notifier: InMemoryNotifier;
let io: ReturnType<typeof watchIo>;

before(() => {
  io = watchIo();
});
beforeEach(() => {
  ({ shop, notifier } = testShop());
});

const stockOf = async (sku: string) => (await shop.products.get(sku))?.stock;
const request = (customerId: string, items: { sku: string; quantity: number }[]) => ({ customerId, items });

describe('placing orders', () => {
  it('confirms an order: stock taken, one payment captured, the customer told the total', async () => {
    const { order, replayed } = await placeOrder(shop, request('ada', [{ sku: 'mug', quantity: 2 }, { sku: 'kettle', quantity: 1 }]));
    assert.equal(replayed, false);
    assert.equal(order.status, 'confirmed');
    assert.deepEqual(order.items, [
      { sku: 'mug', quantity: 2, unitPriceCents: 1200 },
      { sku: 'kettle', quantity: 1, unitPriceCents: 8900 },
    ]);
    assert.equal(order.createdAt, '2030-01-01T00:00:00.000Z');
    assert.equal(await stockOf('mug'), 23);
    assert.equal(await stockOf('kettle'), 1);
    const payments = await paymentsOf(shop, order.id);
    assert.deepEqual(payments.map((p) => [p.status, p.amountCents]), [['captured', 11_300]]);
    assert.deepEqual(notifier.sent, [{ customerId: 'ada', text: `Order ${order.id} is confirmed. Total: $113.00.` }]);
    assert.deepEqual((await getOrder(shop, order.id)).status, 'confirmed');
  });

  it('refuses an unknown sku before storing anything', async () => {
    await assert.rejects(placeOrder(shop, request('ada', [{ sku: 'mug', quantity: 1 }, { sku: 'nope', quantity: 1 }])), {
      code: 'unknown_sku',
    });
    assert.deepEqual(await listOrders(shop, 'ada', 1), []);
    assert.equal(await stockOf('mug'), 25);
  });

  it('rejects an order for more than the stock, charging nothing', async () => {
    const { order } = await placeOrder(shop, request('ada', [{ sku: 'mug', quantity: 1 }, { sku: 'kettle', quantity: 3 }]));
    assert.equal(order.status, 'rejected');
    assert.equal(order.reason, 'out_of_stock');
    assert.deepEqual(await paymentsOf(shop, order.id), []);
    assert.equal(await stockOf('mug'), 25, 'all or nothing: the mug is not taken either');
    assert.deepEqual((await notificationsOf(shop, 'ada')).map((n) => n.kind), ['order_rejected']);
  });

  it('rejects an order the card processor declines and gives the stock back', async () => {
    const { order } = await placeOrder(shop, request('ada', [{ sku: 'espresso', quantity: 1 }]));
    assert.equal(order.status, 'rejected');
    assert.equal(order.reason, 'payment_declined');
    assert.deepEqual((await paymentsOf(shop, order.id)).map((p) => p.status), ['declined']);
    assert.equal(await stockOf('espresso'), 3);
  });

  it('never sells the last units twice, however many orders run at once', async () => {
    const placed = await Promise.all(
      Array.from({ length: 10 }, (_, i) => placeOrder(shop, request(`c${i}`, [{ sku: 'kettle', quantity: 1 }]))),
    );
    assert.equal(placed.filter((p) => p.order.status === 'confirmed').length, 2);
    assert.equal(await stockOf('kettle'), 0);
  });
});

describe('idempotency keys', () => {
  it('a replay returns the first order and charges once; a different body is refused', async () => {
    const body = request('ada', [{ sku: 'mug', quantity: 2 }]);
    const first = await placeOrder(shop, body, 'key-1');
    const again = await placeOrder(shop, body, 'key-1');
    assert.equal(again.replayed, true);
    assert.deepEqual(again.order, first.order);
    assert.equal((await paymentsOf(shop, first.order.id)).length, 1);
    assert.equal(await stockOf('mug'), 23);
    await assert.rejects(placeOrder(shop, request('ada', [{ sku: 'mug', quantity: 3 }]), 'key-1'), {
      code: 'idempotency_key_reused',
    });
  });

  it('two requests with the same key at the same moment make one order', async () => {
    const body = request('ada', [{ sku: 'mug', quantity: 1 }]);
    const both = await Promise.all([placeOrder(shop, body, 'key-2'), placeOrder(shop, body, 'key-2')]);
    assert.equal(both[0].order.id, both[1].order.id);
    assert.equal(await stockOf('mug'), 24);
  });
});

describe('cancelling', () => {
  it('refunds, restocks and tells the customer; a second cancel is refused', async () => {
    const { order } = await placeOrder(shop, request('ada', [{ sku: 'mug', quantity: 5 }]));
    const cancelled = await cancelOrder(shop, order.id, 'too many mugs');
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(await stockOf('mug'), 25);
    assert.deepEqual((await paymentsOf(shop, order.id)).map((p) => p.status), ['refunded']);
    assert.match(notifier.sent[1]?.text ?? '', /cancelled \(too many mugs\)/);
    await assert.rejects(cancelOrder(shop, order.id, 'again'), { code: 'not_cancellable' });
    await assert.rejects(cancelOrder(shop, 'ord_404', ''), { code: 'not_found' });
  });

  it('two cancels at the same moment put the stock back once', async () => {
    const { order } = await placeOrder(shop, request('ada', [{ sku: 'mug', quantity: 5 }]));
    const results = await Promise.allSettled([cancelOrder(shop, order.id, ''), cancelOrder(shop, order.id, '')]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    assert.equal(await stockOf('mug'), 25);
  });
});

describe('the catalogue', () => {
  it('adds products, refuses a taken sku, lists sorted by sku', async () => {
    await addProduct(shop, { sku: 'apron', name: 'Apron', priceCents: 1500, stock: 4 });
    await assert.rejects(addProduct(shop, { sku: 'mug', name: 'Mug again', priceCents: 1, stock: 1 }), { code: 'sku_exists' });
    assert.deepEqual((await listProducts(shop)).map((p) => p.sku), ['apron', 'espresso', 'kettle', 'mug']);
  });
});

describe('no I/O', () => {
  // Runs after the tests above: node:test runs the tests of a file in order.
  it('the domain tests above opened no socket, file or process', () => {
    assert.deepEqual(io.stop(), []);
  });

  it('(the watcher does see I/O when there is some)', async () => {
    const probe = watchIo();
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.ok(probe.stop().includes('TCPSERVERWRAP'));
  });
});

after(() => io.stop());
