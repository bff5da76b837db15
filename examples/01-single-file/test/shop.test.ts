// Unit tests of the single-file shop: a fresh in-memory shop per test, listening on a port
// the OS picks, driven over HTTP in the same process.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createShop } from '../src/shop.ts';

type Json = any;

let server: ReturnType<typeof createShop>;
let base = '';
let emails: string[] = [];

beforeEach(async () => {
  emails = [];
  server = createShop({ log: (line) => emails.push(line) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(base + path, init);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: JSON.parse(text) as Json };
}

const order = (customerId: string, items: { sku: string; quantity: number }[], headers?: Record<string, string>) =>
  call('POST', '/orders', { customerId, items }, headers);

async function stockOf(sku: string): Promise<number> {
  const list = (await call('GET', '/products')).json as { sku: string; stock: number }[];
  const product = list.find((p) => p.sku === sku);
  assert.ok(product, `no product ${sku}`);
  return product.stock;
}

describe('catalogue', () => {
  it('opens with the seeded products, sorted by sku', async () => {
    const res = await call('GET', '/products');
    assert.equal(res.status, 200);
    const skus = res.json.map((p: { sku: string }) => p.sku);
    assert.deepEqual(skus, [...skus].sort());
    assert.ok(skus.includes('tea-green') && skus.includes('mug-blue'));
    assert.ok(res.json.length >= 4 && res.json.length <= 6);
  });

  it('every shop starts from the same seed, whatever another shop sold', async () => {
    await order('c1', [{ sku: 'kettle-copper', quantity: 2 }]);
    assert.equal(await stockOf('kettle-copper'), 0);
    const other = createShop({ log: () => {} });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    const list = (await (await fetch(`http://127.0.0.1:${port}/products`)).json()) as { sku: string; stock: number }[];
    other.closeAllConnections();
    other.close();
    assert.equal(list.find((p) => p.sku === 'kettle-copper')?.stock, 2);
  });
});

describe('requests the shop refuses', () => {
  it('answers unknown routes and methods with 404 not_found in JSON', async () => {
    for (const [method, path] of [['GET', '/nope'], ['PUT', '/products'], ['GET', '/orders/ord_999']]) {
      const res = await call(method ?? 'GET', path ?? '/');
      assert.equal(res.status, 404);
      assert.match(res.type, /application\/json/);
      assert.equal(res.json.error.code, 'not_found');
    }
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await call('POST', '/orders', '{"customerId":');
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, 'invalid_json');
  });

  it('answers a body over 1 MiB with 413 payload_too_large', async () => {
    const res = await call('POST', '/products', 'x'.repeat(1024 * 1024 + 1));
    assert.equal(res.status, 413);
    assert.equal(res.json.error.code, 'payload_too_large');
  });

  it('accepts a body of exactly 1 MiB (then judges it as JSON)', async () => {
    const res = await call('POST', '/products', ' '.repeat(1024 * 1024 - 2) + '{}');
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, 'invalid_request');
  });

  const cases: [string, unknown, string][] = [
    ['sku pattern', { sku: 'Tea', name: 'x', priceCents: 1, stock: 1 }, 'sku'],
    ['name length', { sku: 'ok-sku', name: '', priceCents: 1, stock: 1 }, 'name'],
    ['price not integer', { sku: 'ok-sku', name: 'x', priceCents: 9.99, stock: 1 }, 'priceCents'],
    ['stock bound', { sku: 'ok-sku', name: 'x', priceCents: 1, stock: 1_000_001 }, 'stock'],
  ];
  for (const [label, body, field] of cases) {
    it(`refuses a product with a bad ${label}, naming ${field}`, async () => {
      const res = await call('POST', '/products', body);
      assert.equal(res.status, 400);
      assert.equal(res.json.error.code, 'invalid_request');
      assert.match(res.json.error.message, new RegExp(field));
      assert.equal((await call('GET', '/products')).json.length, 6, 'nothing was created');
    });
  }

  it('refuses a duplicate sku with 409 sku_exists', async () => {
    const res = await call('POST', '/products', { sku: 'tea-green', name: 'Another tea', priceCents: 1, stock: 1 });
    assert.equal(res.status, 409);
    assert.equal(res.json.error.code, 'sku_exists');
  });

  it('refuses repeated skus and out-of-range quantities, naming the line', async () => {
    const twice = await order('c1', [{ sku: 'tea-green', quantity: 1 }, { sku: 'tea-green', quantity: 1 }]);
    assert.equal(twice.status, 400);
    assert.match(twice.json.error.message, /items\[1\]\.sku/);
    const tooMany = await order('c1', [{ sku: 'tea-green', quantity: 1001 }]);
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.json.error.message, /items\[0\]\.quantity/);
  });

  it('refuses an unknown sku with 422 unknown_sku and stores no order', async () => {
    const res = await order('c1', [{ sku: 'tea-green', quantity: 1 }, { sku: 'tea-black', quantity: 1 }]);
    assert.equal(res.status, 422);
    assert.equal(res.json.error.code, 'unknown_sku');
    assert.deepEqual((await call('GET', '/orders?customerId=c1')).json.items, []);
    assert.equal(await stockOf('tea-green'), 100);
  });

  it('requires customerId when listing orders and a whole page number from 1', async () => {
    assert.match((await call('GET', '/orders')).json.error.message, /customerId/);
    assert.match((await call('GET', '/orders?customerId=c1&page=0')).json.error.message, /page/);
    assert.match((await call('GET', '/payments')).json.error.message, /orderId/);
  });

  it('hides the details of an unexpected error behind 500 internal', async (t) => {
    t.mock.method(console, 'error', () => {});
    const broken = createShop({
      log: () => {
        throw new Error('the mail server is on fire');
      },
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const port = (broken.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/orders`, {
      method: 'POST',
      body: JSON.stringify({ customerId: 'c1', items: [{ sku: 'mug-blue', quantity: 1 }] }),
    });
    const text = await res.text();
    broken.closeAllConnections();
    broken.close();
    assert.equal(res.status, 500);
    assert.deepEqual(JSON.parse(text), { error: { code: 'internal', message: 'something went wrong on our side' } });
    assert.doesNotMatch(text, /fire|at /);
  });
});

describe('placing orders', () => {
  it('confirms an order: list prices, total in cents, stock taken, one payment, one email', async () => {
    const res = await order('c1', [{ sku: 'tea-green', quantity: 3 }, { sku: 'mug-blue', quantity: 1 }]);
    assert.equal(res.status, 201);
    assert.equal(res.json.status, 'confirmed');
    assert.equal(res.json.totalCents, 3 * 850 + 1200);
    assert.deepEqual(res.json.items, [
      { sku: 'tea-green', quantity: 3, unitPriceCents: 850 },
      { sku: 'mug-blue', quantity: 1, unitPriceCents: 1200 },
    ]);
    assert.equal(await stockOf('tea-green'), 97);
    const payments = (await call('GET', `/payments?orderId=${res.json.id}`)).json;
    assert.deepEqual(payments.map((p: Json) => [p.status, p.amountCents]), [['captured', 3750]]);
    assert.deepEqual(emails, [`email to c1: Order ${res.json.id} is confirmed. Total: $37.50.`]);
  });

  it('rejects an order the card processor declines and records the declined payment', async () => {
    const res = await order('c1', [{ sku: 'espresso-machine', quantity: 1 }]);
    assert.equal(res.status, 201);
    assert.equal(res.json.status, 'rejected');
    assert.equal(res.json.reason, 'payment_declined');
    const payments = (await call('GET', `/payments?orderId=${res.json.id}`)).json;
    assert.deepEqual(payments.map((p: Json) => [p.status, p.amountCents]), [['declined', 549_000]]);
    assert.equal(await stockOf('espresso-machine'), 3, 'the reservation was given back');
    const notes = (await call('GET', '/notifications?customerId=c1')).json;
    assert.deepEqual(notes.map((n: Json) => n.kind), ['order_rejected']);
  });

  it('rejects an order for more than the stock without charging anything', async () => {
    const res = await order('c1', [{ sku: 'kettle-copper', quantity: 3 }]);
    assert.equal(res.json.status, 'rejected');
    assert.equal(res.json.reason, 'out_of_stock');
    assert.deepEqual((await call('GET', `/payments?orderId=${res.json.id}`)).json, []);
    assert.equal(await stockOf('kettle-copper'), 2);
  });

  it('never sells the last units twice, however many buyers arrive at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => order(`c${i}`, [{ sku: 'kettle-copper', quantity: 1 }])),
    );
    const confirmed = answers.filter((a) => a.json.status === 'confirmed');
    assert.equal(confirmed.length, 2);
    assert.equal(await stockOf('kettle-copper'), 0);
  });
});

describe('cancelling', () => {
  it('refunds, restocks and notifies once; a second cancel is 409 not_cancellable', async () => {
    const placed = await order('c1', [{ sku: 'teapot-cast-iron', quantity: 2 }]);
    assert.equal(await stockOf('teapot-cast-iron'), 4);
    const res = await call('POST', `/orders/${placed.json.id}/cancel`, { reason: 'too heavy' });
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'cancelled');
    assert.equal(await stockOf('teapot-cast-iron'), 6);
    const payments = (await call('GET', `/payments?orderId=${placed.json.id}`)).json;
    assert.deepEqual(payments.map((p: Json) => p.status), ['refunded']);
    const kinds = (await call('GET', '/notifications?customerId=c1')).json.map((n: Json) => n.kind);
    assert.deepEqual(kinds, ['order_confirmed', 'order_cancelled']);
    assert.match(emails[1] ?? '', /cancelled \(too heavy\)/);

    const again = await call('POST', `/orders/${placed.json.id}/cancel`, {});
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'not_cancellable');
    assert.equal(await stockOf('teapot-cast-iron'), 6);
  });

  it('cancels without a body, and refuses a rejected order', async () => {
    const placed = await order('c1', [{ sku: 'mug-blue', quantity: 1 }]);
    const res = await fetch(`${base}/orders/${placed.json.id}/cancel`, { method: 'POST' });
    assert.equal(res.status, 200);
    const rejected = await order('c1', [{ sku: 'espresso-machine', quantity: 1 }]);
    const refused = await call('POST', `/orders/${rejected.json.id}/cancel`, { reason: 'x' });
    assert.equal(refused.status, 409);
  });
});

describe('idempotency keys', () => {
  it('replays the same order with 200 and charges once', async () => {
    const items = [{ sku: 'mug-blue', quantity: 2 }];
    const first = await order('c1', items, { 'Idempotency-Key': 'abc' });
    const replay = await order('c1', items, { 'Idempotency-Key': 'abc' });
    assert.equal(first.status, 201);
    assert.equal(replay.status, 200);
    assert.deepEqual(replay.json, first.json);
    assert.equal(await stockOf('mug-blue'), 23);
    assert.equal((await call('GET', `/payments?orderId=${first.json.id}`)).json.length, 1);
    assert.equal(emails.length, 1);
  });

  it('refuses the same key with a different body: 422 idempotency_key_reused', async () => {
    await order('c1', [{ sku: 'mug-blue', quantity: 2 }], { 'Idempotency-Key': 'abc' });
    const res = await order('c1', [{ sku: 'mug-blue', quantity: 3 }], { 'Idempotency-Key': 'abc' });
    assert.equal(res.status, 422);
    assert.equal(res.json.error.code, 'idempotency_key_reused');
    assert.equal(await stockOf('mug-blue'), 23);
  });

  it('does not keep a key for a request that was refused', async () => {
    const unknown = await order('c1', [{ sku: 'no-such-thing', quantity: 1 }], { 'Idempotency-Key': 'k1' });
    assert.equal(unknown.status, 422);
    const fixed = await order('c1', [{ sku: 'mug-blue', quantity: 1 }], { 'Idempotency-Key': 'k1' });
    assert.equal(fixed.status, 201);
  });

  it('refuses an empty or over-long key, naming the header', async () => {
    for (const key of ['', 'k'.repeat(201)]) {
      const res = await order('c1', [{ sku: 'mug-blue', quantity: 1 }], { 'Idempotency-Key': key });
      assert.equal(res.status, 400);
      assert.match(res.json.error.message, /Idempotency-Key/);
    }
  });
});

describe('listing orders', () => {
  it('pages 20 at a time, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push((await order('pager', [{ sku: 'tea-green', quantity: 1 }])).json.id);
    const page1 = (await call('GET', '/orders?customerId=pager')).json;
    const page2 = (await call('GET', '/orders?customerId=pager&page=2')).json;
    assert.deepEqual(page1.items.map((o: Json) => o.id), ids.slice(3).reverse());
    assert.deepEqual(page2.items.map((o: Json) => o.id), ids.slice(0, 3).reverse());
    assert.deepEqual([page1.page, page1.pageSize, page2.page], [1, 20, 2]);
  });
});

describe('source layout', () => {
  it('marks the regions the chapter quotes, each opened and closed once', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../src/shop.ts', import.meta.url), 'utf8');
    const opened = [...source.matchAll(/^\s*\/\/ #region ([a-z0-9-]+)$/gm)].map((m) => m[1]);
    const closed = [...source.matchAll(/^\s*\/\/ #endregion ([a-z0-9-]+)$/gm)].map((m) => m[1]);
    assert.deepEqual(closed, opened, 'every region is closed, in order, before the next opens');
    assert.equal(new Set(opened).size, opened.length, 'region names are unique');
    for (const name of ['catalogue', 'validate-order', 'place-order', 'cancel-order', 'idempotency', 'routes', 'start']) {
      assert.ok(opened.includes(name), `region ${name} is missing`);
    }
  });
});
