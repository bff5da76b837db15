// The contract fuzz: property-based requests against a running stage, every operation of
// openapi.json fed requests its schemas allow and requests they forbid (see fuzz-inputs.ts).
// Every answer must be documented for its operation, status and body; none may be a 5xx.
// Afterwards no order may still be pending after 15 s and the fuzz's products' stock must add
// up with the orders that hold it.
//
// Bounded: CONTRACT_FUZZ_RUNS runs per operation (40 unless told) within CONTRACT_FUZZ_MS for
// all operations (20 s unless told). The seed is fixed unless CONTRACT_FUZZ_SEED says
// otherwise (a number, or `random`); a failure names the seed that replays it.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { applySpoil, hostileStrings, queryValue, spoil, validText, wellFormed } from './fuzz-inputs.ts';
import type { Spoil } from './fuzz-inputs.ts';
import { request } from './launch.ts';
import type { JsonResponse } from './launch.ts';
import { checkAnswer } from './openapi-check.ts';

const FIXED_SEED = 17_2026;
const MAX_TOTAL_CENTS = 1_000_000_000;
const PENDING_LIMIT_MS = 15_000;

/** CONTRACT_FUZZ_SEED picks the seed of every property suite: a number, "random", or unset for the suite's own. */
export function seedFromEnv(fixed: number): number {
  const wanted = process.env.CONTRACT_FUZZ_SEED?.trim();
  if (!wanted) return fixed;
  if (wanted === 'random') return randomBytes(4).readInt32LE();
  const seed = Number(wanted);
  if (!Number.isSafeInteger(seed)) throw new Error(`CONTRACT_FUZZ_SEED must be an integer or "random", got ${JSON.stringify(wanted)}`);
  return seed;
}

function positiveFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Product = { sku: string; priceCents: number; stock: number };
type Order = { id: string; status: string; totalCents: number; items: { sku: string; quantity: number }[] };
type Sent = { method: string; path: string; body?: unknown; headers?: Record<string, string> };
// A line of an order: a product the fuzz made (picked by index when the run happens) or any text.
type Line = { pick: number; sku?: string; quantity: number };

// One operation's property: how to make its request, and what else to check of the answer.
type Case = {
  operationId: string;
  runs: number;
  input: Arbitrary<unknown>;
  send(input: unknown): Promise<void>;
};

export function contractFuzz(baseUrl: () => string): void {
  const seed = seedFromEnv(FIXED_SEED);
  const runs = Math.floor(positiveFromEnv('CONTRACT_FUZZ_RUNS', 40));
  const budgetMs = positiveFromEnv('CONTRACT_FUZZ_MS', 20_000);
  const tag = `fz${randomBytes(3).toString('hex')}`;

  // What the fuzz made and must account for afterwards.
  const products: Product[] = [];
  const orderIds = new Set<string>();
  const customers = new Set<string>();
  let keys = 0;
  let lastKey = `${tag}-key-0`;
  // statuses seen per operation, shown with each test so a run tells what it exercised
  const seen = new Map<string, Map<number, number>>();

  // A gateway's rate limit (stages 11, 12) answers 429 to a flood: wait as told, then ask again.
  async function call(sent: Sent): Promise<JsonResponse<unknown>> {
    for (let attempt = 0; ; attempt++) {
      const res = await request(baseUrl(), sent.method, sent.path, sent.body, sent.headers);
      if (res.status !== 429 || attempt === 3) return res;
      await sleep(Math.min(Number(res.headers.get('retry-after')) || 1, 5) * 1000);
    }
  }

  function describeSent(sent: Sent): string {
    const body = sent.body === undefined ? '' : ` ${typeof sent.body === 'string' ? sent.body : JSON.stringify(sent.body)}`;
    const headers = Object.entries(sent.headers ?? {}).map(([name, value]) => ` [${name}: ${value.slice(0, 40)}]`).join('');
    return `${sent.method} ${sent.path}${headers}${body}`.slice(0, 600);
  }

  // Sends a request and checks its answer against openapi.json; returns the answer.
  async function judged(operationId: string, sent: Sent): Promise<JsonResponse<unknown>> {
    const res = await call(sent);
    const counts = seen.get(operationId) ?? new Map<number, number>();
    seen.set(operationId, counts.set(res.status, (counts.get(res.status) ?? 0) + 1));
    const shown = `${describeSent(sent)}\n  -> ${res.status} ${res.text.slice(0, 400)}`;
    assert.ok(res.status < 500, `a 5xx answer: ${shown}`);
    const problem = checkAnswer(operationId, res.status, res.headers.get('content-type'), res.json);
    assert.equal(problem, undefined, `${problem}: ${shown}`);
    return res;
  }

  const sku = fc.stringMatching(/^[a-z0-9-]{1,20}$/).map((s) => `${tag}-${s}`);
  const skuOf = (line: Line) => line.sku ?? products[line.pick % products.length]?.sku ?? 'none';
  const someOrderId = fc.oneof(
    fc.nat().map((pick) => ({ pick })),
    validText(64).map((text) => ({ raw: encodeURIComponent(text) })),
    hostileStrings.filter((s) => wellFormed(s)).map((text) => ({ raw: encodeURIComponent(text) })),
    fc.constantFrom('%00', '%ED%A0%80', '%', '%zz').map((raw) => ({ raw })),
  );
  const orderIdPath = (id: { pick?: number; raw?: string }): string => {
    if (id.raw !== undefined) return id.raw;
    const known = [...orderIds];
    return encodeURIComponent(known[(id.pick ?? 0) % Math.max(known.length, 1)] ?? 'no-order-yet');
  };
  const textQuery = (valid: Arbitrary<string>) => queryValue(valid).map((value) => value.raw);

  const cases: Case[] = [
    {
      operationId: 'getHealth',
      runs: 3,
      input: fc.constant(null),
      send: async () => void (await judged('getHealth', { method: 'GET', path: '/health' })),
    },
    {
      operationId: 'listProducts',
      runs: 3,
      input: fc.constant(null),
      send: async () => void (await judged('listProducts', { method: 'GET', path: '/products' })),
    },
    {
      operationId: 'createProduct',
      runs,
      input: fc.record({
        product: fc.record({
          sku,
          name: validText(200),
          priceCents: fc.oneof(fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom(1, 10_000_000)),
          stock: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constantFrom(0, 1_000_000)),
        }),
        spoil: fc.option(spoil(['sku', 'name', 'priceCents', 'stock']), { freq: 2 }),
      }),
      async send(input) {
        const { product: generated, spoil: how } = input as { product: Product & { name: string }; spoil: Spoil | null };
        // fast-check's records have no prototype; the answer, parsed JSON, has Object's
        const product = { ...generated };
        const body = how ? applySpoil(product, how) : product;
        const res = await judged('createProduct', { method: 'POST', path: '/products', body });
        if (how) return;
        assert.ok(res.status === 201 || res.status === 409, `a valid product must be created (or be a duplicate): ${res.status} ${res.text}`);
        if (res.status === 201) {
          assert.deepEqual(res.json, product, 'POST /products answers the product as stored');
          products.push({ sku: product.sku, priceCents: product.priceCents, stock: product.stock });
        }
      },
    },
    {
      operationId: 'placeOrder',
      runs,
      input: fc.record({
        customerId: validText(64),
        // Idempotency-Key: none, a new one, the last one again (a replay, or a reuse with
        // another body), or one the schema forbids
        key: fc.constantFrom(undefined, undefined, 'new', 'last', 'long', 'blank'),
        lines: fc.array(
          fc.record({
            pick: fc.nat(),
            // mostly a product of the fuzz, now and then any text (an unknown sku)
            sku: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.oneof(validText(64), sku) }),
            quantity: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 1000 })),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        spoil: fc.option(spoil(['customerId', 'items', 'items.0', 'items.0.sku', 'items.0.quantity']), { freq: 2 }),
      }),
      async send(input) {
        const { customerId, lines, key, spoil: how } = input as { customerId: string; lines: Line[]; key?: string; spoil: Spoil | null };
        const valid = { customerId, items: lines.map((line) => ({ sku: skuOf(line), quantity: line.quantity })) };
        const body = how ? applySpoil(valid, how) : valid;
        if (typeof (body as { customerId?: unknown } | null)?.customerId === 'string') customers.add(customerId);
        if (key === 'new') lastKey = `${tag}-key-${(keys += 1)}`;
        const headers = key === undefined ? undefined : { 'Idempotency-Key': key === 'long' ? 'k'.repeat(201) : key === 'blank' ? ' ' : lastKey };
        const res = await judged('placeOrder', { method: 'POST', path: '/orders', body, ...(headers ? { headers } : {}) });
        if (res.status < 300) orderIds.add((res.json as Order).id);
        if (how || (key !== undefined && key !== 'new')) return;
        // Where every line is a product of the fuzz, each once, the outcome is known: over
        // the bound a 400 before anything is stored, within it an accepted order.
        const known = valid.items.map((item) => products.find((p) => p.sku === item.sku));
        const distinct = new Set(valid.items.map((item) => item.sku)).size === valid.items.length;
        if (!distinct || known.some((p) => !p)) return;
        const total = valid.items.reduce((sum, item, i) => sum + item.quantity * (known[i]?.priceCents ?? 0), 0);
        if (total > MAX_TOTAL_CENTS) assert.equal(res.status, 400, `a total of ${total} cents must be refused: ${res.text}`);
        else assert.ok(res.status === 201 || res.status === 202, `a valid order of ${total} cents must be accepted: ${res.status} ${res.text}`);
      },
    },
    {
      operationId: 'listOrders',
      runs,
      input: fc.record({
        customerId: textQuery(validText(64)),
        page: fc.option(fc.oneof(fc.integer({ min: 1, max: 3 }).map(String), fc.constantFrom('0', '-1', 'abc', '1.5', '1e400', '99999999999999999999', '%00', '')), { nil: undefined }),
      }),
      async send(input) {
        const { customerId, page } = input as { customerId: string; page?: string };
        await judged('listOrders', { method: 'GET', path: `/orders?customerId=${customerId}${page === undefined ? '' : `&page=${page}`}` });
      },
    },
    {
      operationId: 'getOrder',
      runs,
      input: someOrderId,
      send: async (input) => void (await judged('getOrder', { method: 'GET', path: `/orders/${orderIdPath(input as { pick?: number; raw?: string })}` })),
    },
    {
      operationId: 'cancelOrder',
      runs,
      input: fc.record({
        id: someOrderId,
        reason: fc.option(validText(500), { nil: undefined }),
        spoil: fc.option(spoil(['reason']), { freq: 2 }),
      }),
      async send(input) {
        const { id, reason, spoil: how } = input as { id: { pick?: number; raw?: string }; reason?: string; spoil: Spoil | null };
        const valid = reason === undefined ? {} : { reason };
        await judged('cancelOrder', { method: 'POST', path: `/orders/${orderIdPath(id)}/cancel`, body: how ? applySpoil(valid, how) : valid });
      },
    },
    {
      operationId: 'listPayments',
      runs,
      input: fc.oneof(fc.nat().map((pick) => ({ pick })), queryValue(validText(64))),
      async send(input) {
        const query = input as { pick?: number; raw?: string };
        await judged('listPayments', { method: 'GET', path: `/payments?orderId=${query.raw ?? orderIdPath(query)}` });
      },
    },
    {
      operationId: 'listNotifications',
      runs,
      input: textQuery(validText(64)),
      send: async (input) => void (await judged('listNotifications', { method: 'GET', path: `/notifications?customerId=${input as string}` })),
    },
  ];

  describe(`contract fuzz (seed ${seed}; replay with CONTRACT_FUZZ_SEED=${seed})`, () => {
    let deadline = 0;

    before(async () => {
      deadline = Date.now() + budgetMs;
      // Products the orders draw on: scarce ones so orders run out of stock, and dear ones so
      // a few lines go over the bound of one order.
      for (const [priceCents, stock] of [
        [1, 3],
        [999, 20],
        [250_000, 5],
        [10_000_000, 1_000],
      ] as const) {
        const product = { sku: `${tag}-base-${priceCents}`, name: `Fuzz ${priceCents}`, priceCents, stock };
        const res = await request(baseUrl(), 'POST', '/products', product);
        assert.equal(res.status, 201, `creating ${product.sku}: ${res.status} ${res.text}`);
        products.push({ sku: product.sku, priceCents, stock });
      }
    });

    cases.forEach((fuzzCase, index) => {
      it(`${fuzzCase.operationId}: every answer is documented in openapi.json and none is a 5xx`, async (t) => {
        const left = cases.length - index;
        const timeLimit = Math.max(1_000, (deadline - Date.now()) / left);
        try {
          await fc.assert(
            fc.asyncProperty(fuzzCase.input, (input) => fuzzCase.send(input)),
            { seed: seed + index, numRuns: fuzzCase.runs, interruptAfterTimeLimit: timeLimit, markInterruptAsFailure: false },
          );
        } catch (error) {
          // fast-check keeps the failing assertion as the cause
          const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : '';
          const message = error instanceof Error ? error.message + cause : String(error);
          assert.fail(`contract fuzz of ${fuzzCase.operationId} failed; replay with CONTRACT_FUZZ_SEED=${seed}\n${message}`);
        } finally {
          const counts = [...(seen.get(fuzzCase.operationId) ?? [])].sort(([a], [b]) => a - b);
          t.diagnostic(`answers: ${counts.map(([status, n]) => `${n}x ${status}`).join(', ')}`);
        }
      });
    });

    it(`afterwards no order is pending after ${PENDING_LIMIT_MS / 1000} s and the stock adds up`, async () => {
      // Orders the answers did not name (a request that failed half-way) are found through
      // their customers. The answers were judged above: here only the accounts count.
      for (const customerId of customers) {
        for (let page = 1; page <= 5; page++) {
          const res = await call({ method: 'GET', path: `/orders?customerId=${encodeURIComponent(customerId)}&page=${page}` });
          if (res.status !== 200) break;
          const items = (res.json as { items: Order[] }).items;
          for (const o of items) orderIds.add(o.id);
          if (items.length < 20) break;
        }
      }

      const final = new Map<string, Order>();
      const until = Date.now() + PENDING_LIMIT_MS;
      for (const id of orderIds) {
        for (;;) {
          const res = await call({ method: 'GET', path: `/orders/${encodeURIComponent(id)}` });
          assert.equal(res.status, 200, `order ${id} went missing: ${res.text}`);
          const o = res.json as Order;
          if (o.status !== 'pending') {
            final.set(id, o);
            break;
          }
          assert.ok(Date.now() < until, `order ${id} is still pending ${PENDING_LIMIT_MS / 1000} s after the fuzz: ${res.text}`);
          await sleep(100);
        }
      }

      const listed = await call({ method: 'GET', path: '/products' });
      assert.equal(listed.status, 200, `GET /products: ${listed.text.slice(0, 300)}`);
      const stockNow = new Map((listed.json as Product[]).map((p) => [p.sku, p.stock]));
      for (const product of products) {
        const held = [...final.values()]
          .filter((o) => o.status === 'confirmed')
          .flatMap((o) => o.items)
          .filter((line) => line.sku === product.sku)
          .reduce((sum, line) => sum + line.quantity, 0);
        assert.equal(stockNow.get(product.sku), product.stock - held, `${product.sku}: started with ${product.stock}, confirmed orders hold ${held}`);
      }

      for (const o of final.values()) {
        const res = await call({ method: 'GET', path: `/payments?orderId=${encodeURIComponent(o.id)}` });
        assert.equal(res.status, 200, `GET /payments?orderId=${o.id}: ${res.text.slice(0, 300)}`);
        const captured = (res.json as { status: string; amountCents: number }[]).filter((p) => p.status === 'captured');
        if (o.status === 'confirmed') assert.deepEqual(captured.map((p) => p.amountCents), [o.totalCents], `confirmed order ${o.id}: one captured payment of its total`);
        else assert.deepEqual(captured, [], `${o.status} order ${o.id} keeps no captured money`);
      }
    });
  });
}
