// Tests of the HTTP adapter: the app on a database of its own, listening on a port the OS
// picks, driven over HTTP in the same process. The contract suite covers the API from the
// outside; these check what only the adapter decides: statuses, JSON errors, bodies.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/shared/ports.ts';
import { createHttpServer } from '../src/adapters/http.ts';
import { migrate } from '../src/adapters/migrations.ts';
import { createApp } from '../src/app.ts';
import type { App } from '../src/app.ts';

type Json = any;

// A notifier that keeps what it is given, and can be told to fail.
const notifier = {
  sent: [] as { customerId: string; text: string }[],
  failing: false,
  async send(customerId: string, text: string) {
    if (this.failing) throw new Error('the mail server is on fire');
    this.sent.push({ customerId, text });
  },
};

let db: Database;
let app: App;
let server: ReturnType<typeof createHttpServer>;

before(async () => {
  db = (await openDatabase()).db;
  await migrate(db, new URL('../migrations/', import.meta.url));
  app = createApp(db, { notifier, useOutbox: true, crashAfterCommit: false, deliverTwice: false });
  server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.close();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, to = server) {
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`http://127.0.0.1:${(to.address() as AddressInfo).port}${path}`, init);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: JSON.parse(text) as Json };
}

describe('HTTP adapter', () => {
  before(async () => {
    await call('POST', '/products', { sku: 'mug-blue', name: 'Blue mug', priceCents: 1200, stock: 25 });
  });

  it('gives each module error code its status', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/products', { sku: 'Bad', name: 'x', priceCents: 1, stock: 1 }, 400, 'invalid_request'],
      ['POST', '/products', { sku: 'mug-blue', name: 'x', priceCents: 1, stock: 1 }, 409, 'sku_exists'],
      ['POST', '/orders', { customerId: 'c', items: [{ sku: 'nope', quantity: 1 }] }, 422, 'unknown_sku'],
      ['GET', '/orders/ord_999', undefined, 404, 'not_found'],
      ['GET', '/orders?customerId=c&page=0', undefined, 400, 'invalid_request'],
      ['POST', '/orders/ord_999/cancel', {}, 404, 'not_found'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await call(method, path, body);
      assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
      assert.match(res.type, /application\/json/);
      assert.equal(res.json.error.code, code);
    }
  });

  it('answers HTTP-only problems itself: unknown route, bad JSON, body over 1 MiB', async () => {
    assert.equal((await call('PUT', '/products')).json.error.code, 'not_found');
    assert.equal((await call('POST', '/orders', '{"customerId":')).json.error.code, 'invalid_json');
    const big = await call('POST', '/products', 'x'.repeat(1024 * 1024 + 1));
    assert.deepEqual([big.status, big.json.error.code], [413, 'payload_too_large']);
  });

  it('places, replays and cancels an order: 201, 200, 200 and a 409 for a second cancel', async () => {
    const body = { customerId: 'ada', items: [{ sku: 'mug-blue', quantity: 2 }] };
    const first = await call('POST', '/orders', body, { 'Idempotency-Key': 'k' });
    const replay = await call('POST', '/orders', body, { 'Idempotency-Key': 'k' });
    assert.deepEqual([first.status, replay.status], [201, 200]);
    assert.equal(first.json.totalCents, 2400);
    assert.deepEqual(replay.json, first.json);
    const reused = await call('POST', '/orders', { ...body, customerId: 'bob' }, { 'Idempotency-Key': 'k' });
    assert.deepEqual([reused.status, reused.json.error.code], [422, 'idempotency_key_reused']);
    assert.equal((await call('POST', `/orders/${first.json.id}/cancel`)).status, 200);
    assert.equal((await call('POST', `/orders/${first.json.id}/cancel`, { reason: 'x' })).status, 409);
    await app.orders.relay.deliverPending();
    const texts = notifier.sent.filter((m) => m.customerId === 'ada').map((m) => m.text.split(' ').slice(2, 4).join(' '));
    assert.deepEqual(texts, ['is confirmed.', 'is cancelled.']);
  });

  it('hides the details of an unexpected error behind 500 internal', async (t) => {
    t.mock.method(console, 'error', () => {});
    // Without the outbox the event is published, and the notifier called, inside the request.
    const direct = createHttpServer(createApp(db, { notifier, useOutbox: false, crashAfterCommit: false, deliverTwice: false }));
    await new Promise<void>((resolve) => direct.listen(0, '127.0.0.1', resolve));
    notifier.failing = true;
    try {
      const res = await call('POST', '/orders', { customerId: 'c1', items: [{ sku: 'mug-blue', quantity: 1 }] }, {}, direct);
      assert.equal(res.status, 500);
      assert.deepEqual(res.json, { error: { code: 'internal', message: 'something went wrong on our side' } });
      assert.doesNotMatch(res.text, /fire|at /);
    } finally {
      notifier.failing = false;
      direct.closeAllConnections();
      direct.close();
    }
  });
});
