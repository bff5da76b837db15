// The chapter's experiment as a test, on the whole stage (supervisor, three processes):
// with errorRate 0.3 and dropRate 0.2 injected in the payments service (seeded, so the same
// requests fail every run), the shop's retries charge every order exactly once while
// idempotency keys are on, and charge at least one order twice once they are off.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';

type Order = { id: string; status: string; totalCents: number };
type Charges = { orders: Record<string, number>; cardCharges: number; doubleCharged: string[] };

const stageDir = new URL('..', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'shop-fault-injection-'));
let stage: Stage;

before(async () => {
  // Enough attempts that no order runs out of them, and a breaker that stays closed: this
  // test is about retries and keys; the breaker has its own tests.
  stage = await startStage(stageDir, {
    env: { DATA_DIR: tmp, FAULT_SEED: '7', PAYMENTS_ATTEMPTS: '10', PAYMENTS_BREAKER_THRESHOLD: '50' },
  });
  const res = await request(stage.url, 'POST', '/products', { sku: 'flaky-mug', name: 'Flaky mug', priceCents: 900, stock: 1000 });
  assert.equal(res.status, 201, res.text);
});
after(async () => {
  if (process.env.SHOW_OUTPUT) console.log(stage?.output());
  await stage?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function placeOrders(prefix: string, n: number): Promise<Order[]> {
  const orders: Order[] = [];
  for (let i = 0; i < n; i++) {
    const res = await request<Order>(stage.url, 'POST', '/orders', { customerId: `${prefix}-${i}`, items: [{ sku: 'flaky-mug', quantity: 1 }] });
    assert.equal(res.status, 201, res.text);
    orders.push(res.json);
  }
  return orders;
}

describe('retries under injected faults (errorRate 0.3, dropRate 0.2)', () => {
  it('PUT /ops/faults through the shop sets the faults and answers them', async () => {
    const res = await request<Record<string, unknown>>(stage.url, 'PUT', '/ops/faults', { errorRate: 0.3, dropRate: 0.2, seed: 7 });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { latencyMs: 0, errorRate: 0.3, dropRate: 0.2, idempotencyKeys: true, seed: 7 });
    const bad = await request<{ error: { code: string; message: string } }>(stage.url, 'PUT', '/ops/faults', { errorRate: 2 });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'invalid_request');
  });

  it('keys on: every order confirmed, every card charged exactly once', async () => {
    const orders = await placeOrders('keys-on', 20);
    assert.deepEqual(orders.map((o) => o.status), orders.map(() => 'confirmed'));
    const charges = (await request<Charges>(stage.url, 'GET', '/ops/charges')).json;
    for (const o of orders) assert.equal(charges.orders[o.id], 1, `${o.id} charged ${charges.orders[o.id]} times`);
    assert.deepEqual(charges.doubleCharged, []);
    assert.match(stage.output(), /retry 1 of 9/);
    assert.match(stage.output(), /replayed the charge for ord_/);
  });

  it('keys off: the same retries charge at least one card twice', async () => {
    const off = await request(stage.url, 'PUT', '/ops/faults', { idempotencyKeys: false });
    assert.equal(off.status, 200, off.text);
    const orders = await placeOrders('keys-off', 20);
    const charges = (await request<Charges>(stage.url, 'GET', '/ops/charges')).json;
    const doubled = orders.filter((o) => (charges.orders[o.id] ?? 0) > 1);
    assert.ok(doubled.length >= 1, `no double charge: ${JSON.stringify(orders.map((o) => charges.orders[o.id]))}`);
    // the shop recorded one payment per order: only the card processor saw the second charge
    const payments = (await request<unknown[]>(stage.url, 'GET', `/payments?orderId=${doubled[0]?.id}`)).json;
    assert.ok(payments.length >= 2, 'and the payments service recorded each of them');
  });

  it('GET /ops/breaker shows the breaker: closed, with its settings', async () => {
    await request(stage.url, 'PUT', '/ops/faults', { errorRate: 0, dropRate: 0, idempotencyKeys: true });
    const res = await request<{ state: string; settings: { attempts: number } }>(stage.url, 'GET', '/ops/breaker');
    assert.equal(res.json.state, 'closed');
    assert.equal(res.json.settings.attempts, 10);
  });
});
