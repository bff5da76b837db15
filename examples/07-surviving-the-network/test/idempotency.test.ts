// Idempotency keys in the payments service: the same key gets the same answer and no second
// charge, even while the first is still running; the same key with another body is a 422
// idempotency_key_reused (the contract's code for the shop's own keys); fault injection's
// PUT /ops/faults answers contract-style errors. Also HttpPayments' retries against it.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakeCardProcessor, SandboxCardProcessor } from '../src/adapters/card-processor.ts';
import { RandomIds } from '../src/adapters/clock-and-ids.ts';
import type { Database } from '../src/shared/ports.ts';
import { FaultInjector } from '../src/adapters/faults.ts';
import { HttpPayments } from '../src/adapters/http-payments.ts';
import { createPaymentsServer, PostgresIdempotencyStore } from '../src/adapters/payments-api.ts';
import { createPayments } from '../src/modules/payments/index.ts';
import { openTestDatabase } from './support.ts';

let db: Database;
let url: string;
let server: ReturnType<typeof createPaymentsServer>;
const cards = new FakeCardProcessor();
const faults = new FaultInjector();
const lines: string[] = [];

before(async () => {
  db = await openTestDatabase();
  const ids = new RandomIds();
  server = createPaymentsServer(
    {
      real: createPayments({ db, cards, ids }),
      shadow: createPayments({ db, cards: new SandboxCardProcessor(), ids, shadow: true }),
      keys: new PostgresIdempotencyStore(db),
      faults,
      cards,
    },
    (line) => lines.push(line),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.close();
  server.closeAllConnections();
  await db.close();
});

async function charge(body: unknown, key?: string) {
  const res = await fetch(`${url}/charges`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { id?: string; error?: { code: string; message: string } } };
}

describe('idempotency keys on charges', () => {
  it('the same key and body: the same payment, one charge, one recorded payment', async () => {
    const first = await charge({ orderId: 'ord_k1', amountCents: 1200 }, 'charge-ord_k1');
    const second = await charge({ orderId: 'ord_k1', amountCents: 1200 }, 'charge-ord_k1');
    assert.equal(first.status, 201);
    assert.deepEqual(second, first);
    assert.equal((await cards.capturedPerOrder()).get('ord_k1'), 1);
    const listed = (await (await fetch(`${url}/payments?orderId=ord_k1`)).json()) as unknown[];
    assert.equal(listed.length, 1);
    assert.ok(lines.some((l) => l.startsWith('replayed the charge for ord_k1')));
  });

  it('concurrent requests with one key (a retry while the first is still running): one charge', async () => {
    faults.set({ latencyMs: 150 });
    try {
      const answers = await Promise.all([1, 2, 3].map(() => charge({ orderId: 'ord_k2', amountCents: 500 }, 'charge-ord_k2')));
      assert.equal(new Set(answers.map((a) => a.json.id)).size, 1);
      assert.equal((await cards.capturedPerOrder()).get('ord_k2'), 1);
    } finally {
      faults.set({ latencyMs: 0 });
    }
  });

  it('the same key with another body: 422 idempotency_key_reused, and no charge', async () => {
    const res = await charge({ orderId: 'ord_k1', amountCents: 999 }, 'charge-ord_k1');
    assert.equal(res.status, 422);
    assert.equal(res.json.error?.code, 'idempotency_key_reused');
    assert.equal((await cards.capturedPerOrder()).get('ord_k1'), 1);
  });

  it('without a key (or with keys switched off) every request charges again', async () => {
    await charge({ orderId: 'ord_k3', amountCents: 100 });
    await charge({ orderId: 'ord_k3', amountCents: 100 });
    faults.set({ idempotencyKeys: false });
    await charge({ orderId: 'ord_k3', amountCents: 100 }, 'charge-ord_k3');
    await charge({ orderId: 'ord_k3', amountCents: 100 }, 'charge-ord_k3');
    faults.set({ idempotencyKeys: true });
    assert.equal((await cards.capturedPerOrder()).get('ord_k3'), 4);
    const report = (await (await fetch(`${url}/ops/charges`)).json()) as { doubleCharged: string[] };
    assert.deepEqual(report.doubleCharged, ['ord_k3']);
  });
});

describe('PUT /ops/faults', () => {
  async function put(body: string) {
    const res = await fetch(`${url}/ops/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
  }
  it('changes only the fields given and answers the faults now', async () => {
    const res = await put('{"errorRate": 0.5}');
    assert.equal(res.status, 200);
    assert.equal(res.json.errorRate, 0.5);
    assert.equal(res.json.latencyMs, 0);
    await put('{"errorRate": 0}');
  });
  for (const [body, field] of [
    ['{"errorRate": 1.5}', 'errorRate'],
    ['{"dropRate": "x"}', 'dropRate'],
    ['{"latencyMs": -1}', 'latencyMs'],
    ['{"idempotencyKeys": "no"}', 'idempotencyKeys'],
    ['{"colour": 1}', 'colour'],
  ]) {
    it(`400 invalid_request naming ${field} for ${body}`, async () => {
      const res = await put(body as string);
      assert.equal(res.status, 400);
      assert.equal(res.json.error?.code, 'invalid_request');
      assert.match(res.json.error?.message ?? '', new RegExp(field as string));
    });
  }
  it('400 invalid_json for a body that is not JSON', async () => {
    const res = await put('{nope');
    assert.equal(res.status, 400);
    assert.equal(res.json.error?.code, 'invalid_json');
  });
});

describe('HttpPayments against injected faults', () => {
  it('retries 503s and lost answers; with the key the card is charged once', async () => {
    faults.set({ errorRate: 0.3, dropRate: 0.3, seed: 11 });
    const client = new HttpPayments({ baseUrl: url, resilience: { baseMs: 5, capMs: 20, attempts: 12, breakerThreshold: 100 } });
    try {
      for (let i = 0; i < 15; i++) {
        const payment = await client.charge(`ord_f${i}`, 300);
        assert.equal(payment.status, 'captured');
        assert.equal((await cards.capturedPerOrder()).get(`ord_f${i}`), 1, `ord_f${i}`);
      }
    } finally {
      faults.set({ errorRate: 0, dropRate: 0 });
    }
  });

  it('does not retry a 4xx, and the breaker opens after failures in a row', async () => {
    const client = new HttpPayments({ baseUrl: url, resilience: { baseMs: 1, capMs: 2, attempts: 2, breakerThreshold: 4, breakerCooldownMs: 60_000 } });
    await assert.rejects(client.charge('', 300), (error: { status?: number; code?: string }) => error.status === 400 && error.code === 'invalid_request');
    faults.set({ errorRate: 1 });
    try {
      await assert.rejects(client.charge('ord_b1', 300), (error: { code?: string }) => error.code === 'service_unavailable');
      await assert.rejects(client.charge('ord_b2', 300), (error: { code?: string }) => error.code === 'service_unavailable');
      assert.equal(client.breaker.state, 'open');
      await assert.rejects(client.charge('ord_b3', 300), /circuit breaker open/);
      assert.equal((await cards.capturedPerOrder()).get('ord_b3'), undefined);
    } finally {
      faults.set({ errorRate: 0 });
    }
  });
});
