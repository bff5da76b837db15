// The black-box contract every stage must pass. It starts the stage as `npm start` would, talks
// to it only over HTTP, and stops it with SIGTERM at the end. Nothing here knows how a
// stage is built inside, which is what makes the stages comparable.
//
// Later stages may answer POST /orders with 202 and a `pending` order and finish the work
// in the background, so every check waits for the final status with settle() instead of
// trusting the first answer.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { contractFuzz } from './fuzz.ts';
import { contractHostile } from './hostile.ts';
import { contractLoad } from './load-suite.ts';
import { request, startStage } from './launch.ts';
import type { JsonResponse, Stage } from './launch.ts';

export type Product = { sku: string; name: string; priceCents: number; stock: number };
export type OrderLine = { sku: string; quantity: number; unitPriceCents: number };
export type Order = {
  id: string;
  customerId: string;
  items: OrderLine[];
  totalCents: number;
  status: 'pending' | 'confirmed' | 'rejected' | 'cancelled';
  reason?: 'out_of_stock' | 'payment_declined' | 'payment_unavailable' | 'unknown_sku';
  createdAt: string;
};
export type Payment = { id: string; orderId: string; amountCents: number; status: 'captured' | 'refunded' | 'declined' };
export type Notification = {
  id: string;
  customerId: string;
  orderId: string;
  kind: 'order_confirmed' | 'order_rejected' | 'order_cancelled';
  createdAt: string;
};
export type ApiError = { error: { code: string; message: string } };
export type OrderPage = { items: Order[]; page: number; pageSize: number };

// What the suite reads of stage.json (the site's schema has the rest).
type StageJson = { supervisor?: boolean; processes: { name: string; replicas?: number }[] };

export type SuiteOptions = {
  // extra environment for `npm start`
  env?: Record<string, string>;
  // how long the stage may take to be ready (60 s unless told: a stage of many processes on a
  // busy machine may need more)
  startTimeoutMs?: number;
  // processes of stage.json that `env` replaces by servers of its own (stage 12's database and
  // broker, given DATABASE_URL and BROKER_URL), so the stage does not start them
  runElsewhere?: string[];
  // put a few seconds of load on the stage and check it keeps its promises (load-suite.ts):
  // the split stages, where work can pile up behind the answer (CONTRACT_LOAD=off skips it)
  load?: boolean;
  // checks of a stage's own (stage 12's on NATS JetStream), run on the suite's stage after the
  // contract and before its shutdown: one start of a many-process stage serves both
  more?: (stage: () => Stage) => void;
};

// How long a stage may take to bring an order (or a notification) to its final state.
const SETTLE_MS = 10_000;
const POLL_MS = 50;
// How much of the stage's output a failed check shows.
const OUTPUT_LINES = 60;
const MiB = 1024 * 1024;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Unique names per test run and per test, so tests never see each other's products,
// customers or orders even though they share one running stage.
const run = randomBytes(3).toString('hex');
let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${run}-${counter}`;
}

export function contractSuite(stageDir: URL | string, options: SuiteOptions = {}): void {
  const dir = typeof stageDir === 'string' ? stageDir : fileURLToPath(stageDir);

  describe(`shop contract: ${basename(dir.replace(/[\\/]+$/, ''))}`, () => {
    let stage: Stage | undefined;

    before(async () => {
      stage = await startStage(dir, { ...(options.env ? { env: options.env } : {}), ...(options.startTimeoutMs ? { timeoutMs: options.startTimeoutMs } : {}) });
    });
    after(async () => {
      await stage?.stop();
    });
    // A failed check says what the stage printed meanwhile: a timeout alone does not tell a
    // slow saga from a replica out of the rotation. (`passed` is Node's since 20.12, missing
    // from @types/node.)
    afterEach((t) => {
      if (!('passed' in t) || t.passed !== false || !stage) return;
      const lines = stage.output().trimEnd().split('\n');
      t.diagnostic(`the stage's last ${Math.min(lines.length, OUTPUT_LINES)} lines of output:\n${lines.slice(-OUTPUT_LINES).join('\n')}`);
    });

    // #region helpers
    function baseUrl(): string {
      if (!stage) throw new Error('the stage is not running');
      return stage.url;
    }

    function call<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
      return request<T>(baseUrl(), method, path, body, headers);
    }

    function show(res: JsonResponse<unknown>): string {
      return `${res.status} ${res.text.slice(0, 500)}`;
    }

    function assertError(res: JsonResponse<unknown>, status: number, code?: string, field?: string): void {
      assert.equal(res.status, status, `expected ${status}, got ${show(res)}`);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/, 'errors must be JSON');
      const body = res.json as ApiError | undefined;
      assert.ok(body && typeof body.error === 'object', `expected {"error":{...}}, got ${show(res)}`);
      assert.equal(typeof body.error.code, 'string', `error.code must be a string: ${show(res)}`);
      assert.equal(typeof body.error.message, 'string', `error.message must be a string: ${show(res)}`);
      if (code) assert.equal(body.error.code, code, `expected error code ${code}: ${show(res)}`);
      if (field) {
        assert.ok(
          body.error.message.toLowerCase().includes(field.toLowerCase()),
          `the message should name the field ${field}: ${show(res)}`,
        );
      }
    }

    async function createProduct(fields: Partial<Product> = {}): Promise<Product> {
      const product: Product = { sku: unique('p'), name: 'Test product', priceCents: 1000, stock: 100, ...fields };
      const res = await call<Product>('POST', '/products', product);
      assert.equal(res.status, 201, `creating product ${product.sku}: ${show(res)}`);
      return res.json;
    }

    async function stockOf(sku: string): Promise<number> {
      const res = await call<Product[]>('GET', '/products');
      assert.equal(res.status, 200, show(res));
      const product = res.json.find((p) => p.sku === sku);
      assert.ok(product, `product ${sku} is missing from GET /products`);
      return product.stock;
    }

    async function postOrder(body: unknown, headers?: Record<string, string>) {
      return call<Order>('POST', '/orders', body, headers);
    }

    // POST /orders for an order that must be accepted (201 or 202), then wait until final.
    async function order(customerId: string, items: { sku: string; quantity: number }[]): Promise<Order> {
      const res = await postOrder({ customerId, items });
      assert.ok(res.status === 201 || res.status === 202, `POST /orders: ${show(res)}`);
      return settle(res.json);
    }

    // Polls GET /orders/:id until the order leaves `pending` (or reaches `until`).
    async function settle(o: Order, until?: Order['status']): Promise<Order> {
      const done = (s: Order['status']) => (until ? s === until : s !== 'pending');
      let current = o;
      const deadline = Date.now() + SETTLE_MS;
      while (!done(current.status)) {
        if (Date.now() > deadline) {
          assert.fail(`order ${o.id} is still ${current.status} after ${SETTLE_MS / 1000} s`);
        }
        await sleep(POLL_MS);
        const res = await call<Order>('GET', `/orders/${encodeURIComponent(o.id)}`);
        assert.equal(res.status, 200, `GET /orders/${o.id}: ${show(res)}`);
        current = res.json;
      }
      return current;
    }

    // settle() for many orders of one customer at once. Thirty pollers of GET /orders/:id
    // are some 300 requests a second, each a query on the stage's database: in stage 12 that
    // tripled the time the crowd took to settle (1.0-2.2 s watched through the list, 3.0-4.7 s
    // polled one by one), and on a busy machine pushed it past SETTLE_MS. So this watches the
    // customer's order list (one request per page) and, once every order is final there,
    // reads each by id once, which must agree.
    async function settleAll(customerId: string, created: Order[]): Promise<Order[]> {
      const wanted = new Set(created.map((o) => o.id));
      const deadline = Date.now() + SETTLE_MS;
      for (;;) {
        const listed = await ordersOf(customerId);
        const open = [...wanted].filter((id) => (listed.get(id) ?? 'pending') === 'pending');
        if (open.length === 0) break;
        if (Date.now() > deadline) {
          assert.fail(`${open.length} of ${wanted.size} orders are still pending after ${SETTLE_MS / 1000} s: ${open.slice(0, 5).join(', ')}`);
        }
        await sleep(POLL_MS * 2);
      }
      const orders: Order[] = [];
      for (const o of created) {
        const res = await call<Order>('GET', `/orders/${encodeURIComponent(o.id)}`);
        assert.equal(res.status, 200, `GET /orders/${o.id}: ${show(res)}`);
        assert.notEqual(res.json.status, 'pending', `the list says ${o.id} is final, GET /orders/${o.id} says pending`);
        orders.push(res.json);
      }
      return orders;
    }

    // Every order of a customer, by id, with its status: GET /orders?customerId= page by page.
    async function ordersOf(customerId: string): Promise<Map<string, Order['status']>> {
      const statuses = new Map<string, Order['status']>();
      for (let page = 1; ; page++) {
        const res = await call<OrderPage>('GET', `/orders?customerId=${encodeURIComponent(customerId)}&page=${page}`);
        assert.equal(res.status, 200, show(res));
        assert.ok(Array.isArray(res.json.items) && res.json.pageSize > 0, `GET /orders must return {items, page, pageSize}: ${show(res)}`);
        for (const o of res.json.items) statuses.set(o.id, o.status);
        if (res.json.items.length < res.json.pageSize) return statuses;
        assert.ok(page < 100, `GET /orders?customerId=${customerId} never runs out of pages`);
      }
    }

    async function paymentsOf(orderId: string): Promise<Payment[]> {
      const res = await call<Payment[]>('GET', `/payments?orderId=${encodeURIComponent(orderId)}`);
      assert.equal(res.status, 200, show(res));
      assert.ok(Array.isArray(res.json), `GET /payments must return an array: ${show(res)}`);
      return res.json;
    }

    const captured = (payments: Payment[]) => payments.filter((p) => p.status === 'captured');

    // Invariants 2 and 3 for one order.
    async function assertMoneyMatches(o: Order): Promise<void> {
      const money = captured(await paymentsOf(o.id));
      if (o.status === 'confirmed') {
        assert.equal(money.length, 1, `confirmed order ${o.id} must have exactly one captured payment`);
        assert.equal(money[0]?.amountCents, o.totalCents, `the captured payment of ${o.id} must equal its total`);
      } else {
        assert.equal(money.length, 0, `${o.status} order ${o.id} must keep no captured money`);
      }
    }

    // Waits until the customer's notifications include every expected (order, kind) pair,
    // then checks there is exactly one of each and nothing else for those orders.
    async function assertNotifications(customerId: string, expected: [string, Notification['kind']][]) {
      const key = (orderId: string, kind: string) => `${orderId} ${kind}`;
      const want = expected.map(([id, kind]) => key(id, kind)).sort();
      const orderIds = new Set(expected.map(([id]) => id));
      const deadline = Date.now() + SETTLE_MS;
      let got: string[] = [];
      for (;;) {
        const res = await call<Notification[]>('GET', `/notifications?customerId=${encodeURIComponent(customerId)}`);
        assert.equal(res.status, 200, show(res));
        assert.ok(Array.isArray(res.json), `GET /notifications must return an array: ${show(res)}`);
        for (const n of res.json) {
          assert.equal(n.customerId, customerId);
          assert.equal(typeof n.id, 'string');
          assert.ok(!Number.isNaN(Date.parse(n.createdAt)), `createdAt must be a date: ${n.createdAt}`);
        }
        got = res.json.filter((n) => orderIds.has(n.orderId)).map((n) => key(n.orderId, n.kind)).sort();
        if (want.every((w) => got.includes(w)) || Date.now() > deadline) break;
        await sleep(POLL_MS * 2);
      }
      assert.deepEqual(got, want, 'exactly one notification per final status, of the matching kind');
    }
    // #endregion helpers

    // stage.json tells the chapter's map, and the reader, how many processes `npm start` runs.
    it('runs the Node processes its stage.json lists', { skip: process.platform !== 'linux' && 'counts processes in /proc (Linux)' }, () => {
      if (!stage) assert.fail('the stage is not running');
      const shape = JSON.parse(readFileSync(join(dir, 'stage.json'), 'utf8')) as StageJson;
      const started = shape.processes.filter((p) => !options.runElsewhere?.includes(p.name));
      const expected = started.reduce((sum, p) => sum + (p.replicas ?? 1), 0) + (shape.supervisor ? 1 : 0);
      const running = stage.nodeProcesses() ?? [];
      assert.equal(running.length, expected, `stage.json lists ${expected}; running:\n${running.map((argv) => argv.join(' ')).join('\n')}`);
    });

    it('GET /health answers 200 {"status":"ok"}', async () => {
      const res = await call<{ status: string }>('GET', '/health');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      assert.deepEqual(res.json, { status: 'ok' });
    });

    describe('errors', () => {
      for (const [method, path] of [
        ['GET', '/no-such-route'],
        ['GET', '/orders/no-such-order-id'],
        ['DELETE', '/products'],
        ['GET', '/products/tea-green'],
        ['POST', '/health'],
      ] as const) {
        it(`unknown route or id ${method} ${path} answers 404 not_found as JSON`, async () => {
          assertError(await call(method, path), 404, 'not_found');
        });
      }

      it('malformed JSON answers 400 invalid_json', async () => {
        assertError(await call('POST', '/products', '{"sku": "abc", '), 400, 'invalid_json');
        assertError(await call('POST', '/orders', 'not json at all'), 400, 'invalid_json');
      });

      it('a body over 1 MiB answers 413 with a JSON error', async () => {
        const big = JSON.stringify({ customerId: 'c', items: [], padding: 'x'.repeat(MiB + 100) });
        assertError(await call('POST', '/orders', big), 413);
        const bigProduct = JSON.stringify({ sku: unique('big'), name: 'x'.repeat(MiB + 100), priceCents: 1, stock: 1 });
        assertError(await call('POST', '/products', bigProduct), 413);
      });
    });

    describe('products', () => {
      it('POST /products creates a product that GET /products lists', async () => {
        const sku = unique('new');
        const res = await call<Product>('POST', '/products', { sku, name: 'A new thing', priceCents: 1234, stock: 7 });
        assert.equal(res.status, 201, show(res));
        assert.deepEqual(res.json, { sku, name: 'A new thing', priceCents: 1234, stock: 7 });
        const list = await call<Product[]>('GET', '/products');
        assert.deepEqual(
          list.json.find((p) => p.sku === sku),
          { sku, name: 'A new thing', priceCents: 1234, stock: 7 },
        );
      });

      it('GET /products is sorted by sku', async () => {
        const tag = unique('sort');
        for (const suffix of ['zz', 'b-1', 'a', 'b0', 'b']) {
          await createProduct({ sku: `${tag}-${suffix}` });
        }
        const res = await call<Product[]>('GET', '/products');
        assert.equal(res.status, 200, show(res));
        const skus = res.json.map((p) => p.sku);
        const sorted = [...skus].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        assert.deepEqual(skus, sorted);
        assert.ok(skus.includes(`${tag}-zz`));
      });

      it('a duplicate sku answers 409 sku_exists and keeps the first product', async () => {
        const first = await createProduct({ name: 'First', stock: 3 });
        const res = await call('POST', '/products', { ...first, name: 'Second', stock: 99 });
        assertError(res, 409, 'sku_exists');
        assert.equal(await stockOf(first.sku), 3);
      });

      const good = () => ({ sku: unique('v'), name: 'Valid', priceCents: 100, stock: 1 });
      const rejected: [string, string, (p: Record<string, unknown>) => unknown][] = [
        ['body is an array', 'body', () => [1, 2]],
        ['sku missing', 'sku', (p) => ({ ...p, sku: undefined })],
        ['sku empty', 'sku', (p) => ({ ...p, sku: '' })],
        ['sku of 65 characters', 'sku', (p) => ({ ...p, sku: 'a'.repeat(65) })],
        ['sku with upper case', 'sku', (p) => ({ ...p, sku: `Upper-${unique('x')}` })],
        ['sku with an underscore', 'sku', (p) => ({ ...p, sku: `under_${unique('x')}` })],
        ['sku with a space', 'sku', (p) => ({ ...p, sku: `a b-${unique('x')}` })],
        ['sku that is a number', 'sku', (p) => ({ ...p, sku: 12345 })],
        ['name missing', 'name', (p) => ({ ...p, name: undefined })],
        ['name empty', 'name', (p) => ({ ...p, name: '' })],
        ['name of 201 characters', 'name', (p) => ({ ...p, name: 'n'.repeat(201) })],
        ['priceCents 0', 'priceCents', (p) => ({ ...p, priceCents: 0 })],
        ['priceCents negative', 'priceCents', (p) => ({ ...p, priceCents: -5 })],
        ['priceCents above 10,000,000', 'priceCents', (p) => ({ ...p, priceCents: 10_000_001 })],
        ['priceCents not an integer', 'priceCents', (p) => ({ ...p, priceCents: 12.5 })],
        ['priceCents as a string', 'priceCents', (p) => ({ ...p, priceCents: '100' })],
        ['stock negative', 'stock', (p) => ({ ...p, stock: -1 })],
        ['stock above 1,000,000', 'stock', (p) => ({ ...p, stock: 1_000_001 })],
        ['stock not an integer', 'stock', (p) => ({ ...p, stock: 2.5 })],
        ['stock missing', 'stock', (p) => ({ ...p, stock: undefined })],
      ];
      for (const [label, field, make] of rejected) {
        it(`POST /products rejects ${label} with 400 invalid_request naming ${field}`, async () => {
          const body = make(good());
          assertError(await call('POST', '/products', body), 400, 'invalid_request', field);
        });
      }

      it('POST /products accepts the boundaries of every rule', async () => {
        const tag = unique('edge');
        const bodies = [
          { sku: `${tag}-${'a'.repeat(64 - tag.length - 1)}`, name: 'n'.repeat(200), priceCents: 1, stock: 0 },
          { sku: `${tag}-0-9`, name: 'x', priceCents: 10_000_000, stock: 1_000_000 },
        ];
        for (const body of bodies) {
          assert.equal(body.sku.length <= 64, true);
          const res = await call<Product>('POST', '/products', body);
          assert.equal(res.status, 201, `${JSON.stringify(body).slice(0, 120)}: ${show(res)}`);
          assert.deepEqual(res.json, body);
        }
      });
    });

    describe('orders', () => {
      let product: Product;
      before(async () => {
        product = await createProduct({ priceCents: 250, stock: 1000 });
      });

      it('a valid order is confirmed with the right total, stock reserved and one payment captured', async () => {
        const tea = await createProduct({ priceCents: 250, stock: 10 });
        const pot = await createProduct({ priceCents: 1999, stock: 5 });
        const customerId = unique('buyer');
        const res = await postOrder({ customerId, items: [{ sku: tea.sku, quantity: 2 }, { sku: pot.sku, quantity: 1 }] });
        assert.ok(res.status === 201 || res.status === 202, show(res));
        assert.equal(typeof res.json.id, 'string');
        const o = await settle(res.json);
        assert.equal(o.status, 'confirmed');
        assert.equal(o.customerId, customerId);
        assert.equal(o.totalCents, 2 * 250 + 1999);
        assert.deepEqual(o.items, [
          { sku: tea.sku, quantity: 2, unitPriceCents: 250 },
          { sku: pot.sku, quantity: 1, unitPriceCents: 1999 },
        ]);
        assert.ok(!Number.isNaN(Date.parse(o.createdAt)), `createdAt must be a date: ${o.createdAt}`);
        assert.equal(o.reason, undefined);

        const again = await call<Order>('GET', `/orders/${o.id}`);
        assert.equal(again.status, 200);
        assert.deepEqual(again.json, o);

        assert.equal(await stockOf(tea.sku), 8);
        assert.equal(await stockOf(pot.sku), 4);
        const payments = await paymentsOf(o.id);
        assert.equal(payments.length, 1);
        assert.equal(payments[0]?.status, 'captured');
        assert.equal(payments[0]?.amountCents, 2499);
        assert.equal(payments[0]?.orderId, o.id);
        assert.equal(typeof payments[0]?.id, 'string');
      });

      it('an unknown sku answers 422 unknown_sku or ends rejected with reason unknown_sku', async () => {
        const known = await createProduct({ stock: 5 });
        const res = await postOrder({
          customerId: unique('c'),
          items: [{ sku: known.sku, quantity: 1 }, { sku: unique('missing'), quantity: 1 }],
        });
        if (res.status === 422) {
          assertError(res, 422, 'unknown_sku');
        } else {
          assert.ok(res.status === 201 || res.status === 202, show(res));
          const o = await settle(res.json);
          assert.equal(o.status, 'rejected');
          assert.equal(o.reason, 'unknown_sku');
          await assertMoneyMatches(o);
        }
        assert.equal(await stockOf(known.sku), 5, 'stock must not change');
      });

      it('an order for more than the stock is rejected out_of_stock and changes nothing', async () => {
        const scarce = await createProduct({ stock: 2 });
        const o = await order(unique('c'), [{ sku: scarce.sku, quantity: 3 }]);
        assert.equal(o.status, 'rejected');
        assert.equal(o.reason, 'out_of_stock');
        await assertMoneyMatches(o);
        assert.equal(await stockOf(scarce.sku), 2);
      });

      it('the card processor declines a charge above 500,000 cents: rejected payment_declined, no money kept', async () => {
        const pricey = await createProduct({ priceCents: 250_001, stock: 5 });
        const o = await order(unique('c'), [{ sku: pricey.sku, quantity: 2 }]);
        assert.equal(o.totalCents, 500_002);
        assert.equal(o.status, 'rejected');
        assert.equal(o.reason, 'payment_declined');
        await assertMoneyMatches(o);
        assert.equal(await stockOf(pricey.sku), 5, 'a declined order must not keep stock');
      });

      it('a charge of exactly 500,000 cents goes through', async () => {
        const pricey = await createProduct({ priceCents: 250_000, stock: 5 });
        const o = await order(unique('c'), [{ sku: pricey.sku, quantity: 2 }]);
        assert.equal(o.status, 'confirmed');
        assert.equal(o.totalCents, 500_000);
        await assertMoneyMatches(o);
        assert.equal(await stockOf(pricey.sku), 3);
      });

      const valid = () => ({ customerId: unique('c'), items: [{ sku: product.sku, quantity: 1 }] });
      const rejected: [string, string, (b: { customerId: string; items: unknown[] }) => unknown][] = [
        ['a body that is not an object', 'body', () => 'null'],
        ['customerId missing', 'customerId', (b) => ({ ...b, customerId: undefined })],
        ['customerId empty', 'customerId', (b) => ({ ...b, customerId: '' })],
        ['customerId of 65 characters', 'customerId', (b) => ({ ...b, customerId: 'c'.repeat(65) })],
        ['customerId that is a number', 'customerId', (b) => ({ ...b, customerId: 42 })],
        ['items missing', 'items', (b) => ({ ...b, items: undefined })],
        ['items not an array', 'items', (b) => ({ ...b, items: { sku: product.sku, quantity: 1 } })],
        ['items empty', 'items', (b) => ({ ...b, items: [] })],
        [
          '51 items',
          'items',
          (b) => ({ ...b, items: Array.from({ length: 51 }, (_, i) => ({ sku: `${product.sku}-${i}`, quantity: 1 })) }),
        ],
        ['an item that is not an object', 'items', (b) => ({ ...b, items: ['tea'] })],
        ['an item without sku', 'sku', (b) => ({ ...b, items: [{ quantity: 1 }] })],
        ['the same sku twice', 'items', (b) => ({ ...b, items: [...b.items, { sku: product.sku, quantity: 2 }] })],
        ['quantity 0', 'quantity', (b) => ({ ...b, items: [{ sku: product.sku, quantity: 0 }] })],
        ['quantity 1001', 'quantity', (b) => ({ ...b, items: [{ sku: product.sku, quantity: 1001 }] })],
        ['quantity not an integer', 'quantity', (b) => ({ ...b, items: [{ sku: product.sku, quantity: 1.5 }] })],
        ['quantity as a string', 'quantity', (b) => ({ ...b, items: [{ sku: product.sku, quantity: '2' }] })],
        ['quantity missing', 'quantity', (b) => ({ ...b, items: [{ sku: product.sku }] })],
      ];
      for (const [label, field, make] of rejected) {
        it(`POST /orders rejects ${label} with 400 invalid_request naming ${field}`, async () => {
          assertError(await postOrder(make(valid())), 400, 'invalid_request', field);
        });
      }

      it('POST /orders rejects an Idempotency-Key longer than 200 characters, naming it', async () => {
        const res = await postOrder(valid(), { 'Idempotency-Key': 'k'.repeat(201) });
        assertError(res, 400, 'invalid_request', 'Idempotency-Key');
      });

      it('POST /orders accepts the boundaries: 50 distinct items, quantity 1000, 64-character ids and keys', async () => {
        const many = await Promise.all(Array.from({ length: 50 }, () => createProduct({ priceCents: 1, stock: 10 })));
        const wide = await order(unique('c'), many.map((p) => ({ sku: p.sku, quantity: 1 })));
        assert.equal(wide.status, 'confirmed');
        assert.equal(wide.items.length, 50);
        assert.equal(wide.totalCents, 50);

        const bulk = await createProduct({ priceCents: 1, stock: 1000 });
        const longId = `${unique('c')}-`.padEnd(64, 'c');
        const res = await postOrder(
          { customerId: longId, items: [{ sku: bulk.sku, quantity: 1000 }] },
          { 'Idempotency-Key': unique('k').padEnd(200, 'k') },
        );
        assert.ok(res.status === 201 || res.status === 202, show(res));
        const o = await settle(res.json);
        assert.equal(o.status, 'confirmed');
        assert.equal(o.customerId, longId);
        assert.equal(await stockOf(bulk.sku), 0);
      });
    });

    describe('cancellation', () => {
      it('cancelling a confirmed order refunds the payment and puts the stock back', async () => {
        const p = await createProduct({ priceCents: 700, stock: 4 });
        const o = await order(unique('c'), [{ sku: p.sku, quantity: 3 }]);
        assert.equal(o.status, 'confirmed');
        assert.equal(await stockOf(p.sku), 1);

        const res = await call<Order>('POST', `/orders/${o.id}/cancel`, { reason: 'changed my mind' });
        assert.ok(res.status === 200 || res.status === 202, show(res));
        if (res.status === 200) assert.equal(res.json.status, 'cancelled');
        const cancelled = await settle(o, 'cancelled');
        assert.equal(cancelled.totalCents, 2100);
        await assertMoneyMatches(cancelled);
        const payments = await paymentsOf(o.id);
        assert.ok(payments.some((pay) => pay.status === 'refunded' && pay.amountCents === 2100), 'a refunded payment');
        assert.equal(await stockOf(p.sku), 4);
      });

      it('cancelling a cancelled or rejected order answers 409 not_cancellable', async () => {
        const p = await createProduct({ stock: 1 });
        const o = await order(unique('c'), [{ sku: p.sku, quantity: 1 }]);
        const first = await call<Order>('POST', `/orders/${o.id}/cancel`, { reason: 'first' });
        assert.ok(first.status === 200 || first.status === 202, show(first));
        await settle(o, 'cancelled');
        assertError(await call('POST', `/orders/${o.id}/cancel`, { reason: 'again' }), 409, 'not_cancellable');
        assert.equal(await stockOf(p.sku), 1, 'a second cancel must not restock twice');

        const rejected = await order(unique('c'), [{ sku: p.sku, quantity: 2 }]);
        assert.equal(rejected.status, 'rejected');
        assertError(await call('POST', `/orders/${rejected.id}/cancel`, { reason: 'x' }), 409, 'not_cancellable');
      });

      it('cancelling an unknown order answers 404 not_found', async () => {
        assertError(await call('POST', `/orders/${unique('nope')}/cancel`, { reason: 'x' }), 404, 'not_found');
      });
    });

    describe('notifications', () => {
      it('each final status gets exactly one notification of the matching kind', async () => {
        const p = await createProduct({ stock: 1 });
        const customerId = unique('n');
        const confirmed = await order(customerId, [{ sku: p.sku, quantity: 1 }]);
        const rejected = await order(customerId, [{ sku: p.sku, quantity: 1 }]);
        assert.equal(confirmed.status, 'confirmed');
        assert.equal(rejected.status, 'rejected');
        const res = await call('POST', `/orders/${confirmed.id}/cancel`, { reason: 'test' });
        assert.ok(res.status === 200 || res.status === 202, show(res));
        await settle(confirmed, 'cancelled');
        await assertNotifications(customerId, [
          [confirmed.id, 'order_confirmed'],
          [confirmed.id, 'order_cancelled'],
          [rejected.id, 'order_rejected'],
        ]);
      });
    });

    describe('listing orders', () => {
      it('GET /orders?customerId pages 20 at a time, newest first', async () => {
        const p = await createProduct({ priceCents: 10, stock: 100 });
        const customerId = unique('pages');
        const ids: string[] = [];
        for (let i = 0; i < 25; i++) {
          const res = await postOrder({ customerId, items: [{ sku: p.sku, quantity: 1 }] });
          assert.ok(res.status === 201 || res.status === 202, show(res));
          ids.push(res.json.id);
          // createdAt has millisecond precision: keep the creation order unambiguous
          await sleep(2);
        }
        const newestFirst = [...ids].reverse();

        const page1 = await call<OrderPage>('GET', `/orders?customerId=${customerId}&page=1`);
        assert.equal(page1.status, 200, show(page1));
        assert.equal(page1.json.page, 1);
        assert.equal(page1.json.pageSize, 20);
        assert.deepEqual(page1.json.items.map((o) => o.id), newestFirst.slice(0, 20));

        const page2 = await call<OrderPage>('GET', `/orders?customerId=${customerId}&page=2`);
        assert.equal(page2.json.page, 2);
        assert.deepEqual(page2.json.items.map((o) => o.id), newestFirst.slice(20));

        const page3 = await call<OrderPage>('GET', `/orders?customerId=${customerId}&page=3`);
        assert.deepEqual(page3.json.items, []);

        const noPage = await call<OrderPage>('GET', `/orders?customerId=${customerId}`);
        assert.deepEqual(noPage.json.items.map((o) => o.id), newestFirst.slice(0, 20), 'page defaults to 1');

        const other = await call<OrderPage>('GET', `/orders?customerId=${unique('nobody')}`);
        assert.deepEqual(other.json.items, []);
      });

      for (const page of ['0', '-1', 'abc', '1.5']) {
        it(`GET /orders rejects page=${page} with 400 invalid_request naming page`, async () => {
          assertError(await call('GET', `/orders?customerId=${unique('c')}&page=${page}`), 400, 'invalid_request', 'page');
        });
      }
    });

    // Inputs a fuzzer found: totals the storage or the payments service cannot hold, and text
    // Postgres cannot store (U+0000) or UTF-8 cannot encode (a lone UTF-16 surrogate). Each must
    // be a 400 before anything is reserved or stored, never a 500 or an order stuck pending.
    describe('bad input', () => {
      it('an order whose total is above 1,000,000,000 cents answers 400 naming totalCents and holds no stock', async () => {
        const dear = await createProduct({ priceCents: 10_000_000, stock: 1000 });
        const customerId = unique('rich');
        // just over the bound (fits a 32-bit integer) and far over it (does not)
        for (const quantity of [101, 1000]) {
          assertError(await postOrder({ customerId, items: [{ sku: dear.sku, quantity }] }), 400, 'invalid_request', 'totalCents');
        }
        const list = await call<OrderPage>('GET', `/orders?customerId=${customerId}`);
        assert.deepEqual(list.json.items, [], 'a refused order is not stored');
        assert.equal(await stockOf(dear.sku), 1000, 'a refused order holds no stock');
      });

      it('an order of exactly 1,000,000,000 cents is accepted (and declined by the card processor)', async () => {
        const dear = await createProduct({ priceCents: 10_000_000, stock: 1000 });
        const o = await order(unique('rich'), [{ sku: dear.sku, quantity: 100 }]);
        assert.equal(o.totalCents, 1_000_000_000);
        assert.equal(o.status, 'rejected');
        assert.equal(o.reason, 'payment_declined');
        await assertMoneyMatches(o);
        assert.equal(await stockOf(dear.sku), 1000);
      });

      const nul = 'a\u0000b';
      const lone = '\ud800abc';
      it('U+0000 or a lone surrogate in POST /orders answers 400 naming the field', async () => {
        const p = await createProduct({ stock: 5 });
        const line = { sku: p.sku, quantity: 1 };
        assertError(await postOrder({ customerId: nul, items: [line] }), 400, 'invalid_request', 'customerId');
        assertError(await postOrder({ customerId: `c${lone}`, items: [line] }), 400, 'invalid_request', 'customerId');
        assertError(await postOrder({ customerId: unique('c'), items: [{ sku: `${p.sku}${nul}`, quantity: 1 }] }), 400, 'invalid_request', 'sku');
        assertError(await postOrder({ customerId: unique('c'), items: [{ sku: lone, quantity: 1 }] }), 400, 'invalid_request', 'sku');
        assert.equal(await stockOf(p.sku), 5);
      });

      it('U+0000 or a lone surrogate in a new product answers 400 naming the field', async () => {
        assertError(await call('POST', '/products', { sku: unique('z'), name: nul, priceCents: 1, stock: 1 }), 400, 'invalid_request', 'name');
        assertError(await call('POST', '/products', { sku: unique('z'), name: lone, priceCents: 1, stock: 1 }), 400, 'invalid_request', 'name');
        assertError(await call('POST', '/products', { sku: `${unique('z')}${nul}`, name: 'x', priceCents: 1, stock: 1 }), 400, 'invalid_request', 'sku');
      });

      for (const [path, field] of [
        ['/orders?customerId=', 'customerId'],
        ['/payments?orderId=', 'orderId'],
        ['/notifications?customerId=', 'customerId'],
      ] as const) {
        it(`GET ${path}%00 and a lone surrogate (%ED%A0%80) answer 400 naming ${field}`, async () => {
          assertError(await call('GET', `${path}a%00b`), 400, 'invalid_request', field);
          // %ED%A0%80 is U+D800 written as UTF-8, which decodes to U+FFFD: harmless, but
          // never a 500
          const res = await call('GET', `${path}a%ED%A0%80`);
          assert.ok(res.status === 200 || res.status === 400, show(res));
        });
      }

      it('U+0000 in a cancel reason answers 400 naming reason and cancels nothing', async () => {
        const p = await createProduct({ stock: 3 });
        const o = await order(unique('c'), [{ sku: p.sku, quantity: 1 }]);
        assert.equal(o.status, 'confirmed');
        assertError(await call('POST', `/orders/${o.id}/cancel`, { reason: nul }), 400, 'invalid_request', 'reason');
        const after = await call<Order>('GET', `/orders/${o.id}`);
        assert.equal(after.json.status, 'confirmed');
        assert.equal(await stockOf(p.sku), 2);
      });

      it('lengths count characters (code points), not UTF-16 units: emoji within the limits are accepted', async () => {
        const p = await createProduct({ priceCents: 100, stock: 5 });
        const customerId = `${unique('c')}-`.padEnd(62, 'c') + '\u{1F600}\u{1FAD6}';
        assert.equal([...customerId].length, 64);
        const res = await postOrder({ customerId, items: [{ sku: p.sku, quantity: 1 }] });
        assert.ok(res.status === 201 || res.status === 202, show(res));
        const o = await settle(res.json);
        assert.equal(o.customerId, customerId);
        assert.equal(o.status, 'confirmed');
        const list = await call<OrderPage>('GET', `/orders?customerId=${encodeURIComponent(customerId)}`);
        assert.deepEqual(list.json.items.map((x) => x.id), [o.id]);
        await assertNotifications(customerId, [[o.id, 'order_confirmed']]);

        assertError(await postOrder({ customerId: `${customerId}c`, items: [{ sku: p.sku, quantity: 1 }] }), 400, 'invalid_request', 'customerId');

        // 200 characters, 202 UTF-16 units
        const named = { sku: unique('emoji'), name: `${'n'.repeat(198)}\u{1FAD6}\u{1F375}`, priceCents: 1, stock: 1 };
        const made = await call<Product>('POST', '/products', named);
        assert.equal(made.status, 201, show(made));
        assert.deepEqual(made.json, named);
      });
    });

    describe('idempotency', () => {
      it('a replay with the same Idempotency-Key and body returns the same order and charges once', async () => {
        const p = await createProduct({ priceCents: 700, stock: 10 });
        const key = unique('key');
        const body = { customerId: unique('c'), items: [{ sku: p.sku, quantity: 2 }] };
        const first = await postOrder(body, { 'Idempotency-Key': key });
        assert.ok(first.status === 201 || first.status === 202, show(first));
        const o = await settle(first.json);
        assert.equal(o.status, 'confirmed');

        const replay = await postOrder(body, { 'Idempotency-Key': key });
        assert.ok([200, 201, 202].includes(replay.status), show(replay));
        assert.equal(replay.json.id, o.id, 'the replay must return the same order');
        const replayed = await settle(replay.json);
        assert.equal(replayed.status, 'confirmed');

        assert.equal(captured(await paymentsOf(o.id)).length, 1, 'charged once');
        assert.equal(await stockOf(p.sku), 8, 'stock reserved once');
        const list = await call<OrderPage>('GET', `/orders?customerId=${body.customerId}`);
        assert.equal(list.json.items.length, 1, 'only one order exists');

        const fresh = await postOrder(body, { 'Idempotency-Key': unique('key') });
        assert.ok(fresh.status === 201 || fresh.status === 202, show(fresh));
        assert.notEqual(fresh.json.id, o.id, 'a new key makes a new order');
      });

      it('the same Idempotency-Key with a different body answers 422 idempotency_key_reused', async () => {
        const p = await createProduct({ priceCents: 700, stock: 10 });
        const key = unique('key');
        const customerId = unique('c');
        const first = await postOrder({ customerId, items: [{ sku: p.sku, quantity: 1 }] }, { 'Idempotency-Key': key });
        assert.ok(first.status === 201 || first.status === 202, show(first));
        await settle(first.json);
        const reused = await postOrder({ customerId, items: [{ sku: p.sku, quantity: 3 }] }, { 'Idempotency-Key': key });
        assertError(reused, 422, 'idempotency_key_reused');
        assert.equal(await stockOf(p.sku), 9);
      });
    });

    describe('concurrency', () => {
      it('30 concurrent buyers for 10 units: exactly 10 confirmed, stock ends at 0, money matches', async () => {
        const p = await createProduct({ priceCents: 500, stock: 10 });
        const customerId = unique('crowd');
        const answers = await Promise.all(
          Array.from({ length: 30 }, () => postOrder({ customerId, items: [{ sku: p.sku, quantity: 1 }] })),
        );
        for (const res of answers) assert.ok(res.status === 201 || res.status === 202, show(res));
        const orders = await settleAll(customerId, answers.map((res) => res.json));
        const confirmed = orders.filter((o) => o.status === 'confirmed');
        const rejected = orders.filter((o) => o.status === 'rejected');
        assert.equal(confirmed.length, 10, 'exactly as many confirmed orders as units in stock');
        assert.equal(rejected.length, 20);
        for (const o of rejected) assert.equal(o.reason, 'out_of_stock');
        const stock = await stockOf(p.sku);
        assert.ok(stock >= 0, `stock went negative: ${stock}`);
        // invariant 4: starting stock minus confirmed quantities is what is left
        assert.equal(stock, 10 - confirmed.length);
        for (const o of orders) await assertMoneyMatches(o);
        await assertNotifications(
          customerId,
          orders.map((o): [string, Notification['kind']] => [
            o.id,
            o.status === 'confirmed' ? 'order_confirmed' : 'order_rejected',
          ]),
        );
      });
    });

    // Property-based requests on every operation, in the same running stage (see fuzz.ts).
    contractFuzz(baseUrl);

    // Raw hostile request lines at the same running stage (see hostile.ts).
    contractHostile(
      () => {
        if (!stage) throw new Error('the stage is not running');
        return stage;
      },
      async () => {
        const p = await createProduct({ priceCents: 100, stock: 5 });
        return (await order(unique('hostile'), [{ sku: p.sku, quantity: 1 }])).status;
      },
    );

    // Load on the same running stage, once the fuzz's orders are final (see load-suite.ts).
    if (options.load && process.env.CONTRACT_LOAD !== 'off') describe('load', () => contractLoad(basename(dir.replace(/[\\/]+$/, '')), baseUrl));

    if (options.more) {
      options.more(() => {
        if (!stage) throw new Error('the stage is not running');
        return stage;
      });
    }

    describe('shutdown', () => {
      it('SIGTERM stops every process of the stage within 5 s', async () => {
        if (!stage) assert.fail('the stage is not running');
        const { url } = stage;
        const result = await stage.stop();
        assert.ok(result.exitedInTime, `still running ${result.ms} ms after SIGTERM:\n${stage.output()}`);
        await assert.rejects(fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) }), 'nothing answers any more');
      });
    });
  });
}
