// Backpressure (issue 29): past BACKLOG_LIMIT unfinished orders, POST /orders is refused with
// 503 `overloaded` and Retry-After, before anything is stored; below it, orders are taken again.
// The orders module on an in-memory Postgres with no orchestrator, so placed orders stay
// unfinished for as long as the test likes; and the shop's JSON server for the HTTP answer.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RandomIds, systemClock } from '../src/adapters/clock-and-ids.ts';
import type { Database } from '../src/shared/ports.ts';
import { jsonServer } from '../src/adapters/http.ts';
import { BACKLOG_LIMIT, createOrders } from '../src/modules/orders/index.ts';
import { ShopError } from '../src/shared/errors.ts';
import { openTestDatabase } from './support.ts';

const catalogue = { findProduct: async (sku: string) => ({ sku, name: sku, priceCents: 100, stock: 10 }) };
const order = (customerId: string) => ({ customerId, items: [{ sku: 'mug-blue', quantity: 1 }] });

describe('backpressure on POST /orders', () => {
  let db: Database;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.close());

  const stored = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders.orders')).rows[0]?.n;

  it('refuses the order past the bound with `overloaded` and a wait, and stores nothing', async () => {
    const orders = createOrders({ db, catalogue, clock: systemClock, ids: new RandomIds(), backlogLimit: 3 });
    for (let i = 0; i < 3; i++) assert.equal((await orders.placeOrder(order(`c${i}`))).order.status, 'pending');
    const before = await stored();
    await assert.rejects(orders.placeOrder(order('one-too-many'), 'key-1'), (error: unknown) => {
      assert.ok(error instanceof ShopError, String(error));
      assert.equal(error.code, 'overloaded');
      assert.ok((error.retryAfterSeconds ?? 0) >= 1, 'a refusal says how long to wait');
      return true;
    });
    assert.equal(await stored(), before, 'a refused order was stored');
    const key = await db.query('SELECT 1 FROM orders.idempotency_keys WHERE key = $1', ['key-1']);
    assert.equal(key.rows.length, 0, 'a refused order kept its Idempotency-Key');

    // a saga that finishes makes room again
    await db.query("UPDATE orders.sagas SET status = 'confirmed' WHERE id = (SELECT id FROM orders.sagas ORDER BY position LIMIT 1)");
    assert.equal((await orders.placeOrder(order('room-again'), 'key-1')).order.status, 'pending');
  });

  it('a bound of 0 is no bound; the stage bound leaves room for the contract suite\'s 30 buyers at once', async () => {
    const orders = createOrders({ db, catalogue, clock: systemClock, ids: new RandomIds(), backlogLimit: 0 });
    for (let i = 0; i < 5; i++) await orders.placeOrder(order(`free${i}`));
    assert.ok(BACKLOG_LIMIT > 30, `BACKLOG_LIMIT is ${BACKLOG_LIMIT}`);
  });

  it('answers 503 with Retry-After in the contract\'s error format', async () => {
    const server = jsonServer(async () => {
      throw new ShopError('overloaded', 'too many orders under way; try again in 1 s', 1);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`, { method: 'POST', body: '{}' });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '1');
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      assert.deepEqual(await res.json(), { error: { code: 'overloaded', message: 'too many orders under way; try again in 1 s' } });
    } finally {
      server.close();
    }
  });
});
