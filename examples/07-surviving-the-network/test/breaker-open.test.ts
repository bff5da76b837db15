// The chapter's experiment step 6 as a test, on the whole stage: payments answers every
// request with 503 until the breaker opens. Orders placed then are answered 202 pending at
// once, with their stock reserved; a cancellation asked meanwhile is answered 202. Once
// payments heals and the breaker lets a trial call through, every one of them settles: each
// card charged once, the cancelled order refunded, the stock adding up.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { eventually } from './support.ts';

type Order = { id: string; status: string; totalCents: number };
type Charges = { orders: Record<string, number>; doubleCharged: string[] };

const stageDir = new URL('..', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'shop-breaker-open-'));
let stage: Stage;

before(async () => {
  stage = await startStage(stageDir, { env: { DATA_DIR: tmp, PAYMENTS_BREAKER_COOLDOWN_MS: '2000' } });
  const res = await request(stage.url, 'POST', '/products', { sku: 'patient-mug', name: 'Patient mug', priceCents: 400, stock: 10 });
  assert.equal(res.status, 201, res.text);
});
after(async () => {
  if (process.env.SHOW_OUTPUT) console.log(stage?.output());
  await stage?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const place = (customerId: string) => request<Order>(stage.url, 'POST', '/orders', { customerId, items: [{ sku: 'patient-mug', quantity: 1 }] });
const stock = async () => (await request<{ sku: string; stock: number }[]>(stage.url, 'GET', '/products')).json.find((p) => p.sku === 'patient-mug')?.stock;

describe('the breaker opens while orders come in', () => {
  it('orders are answered 202 pending, then settle once payments heals: charged once each', async () => {
    assert.equal((await request(stage.url, 'PUT', '/ops/faults', { errorRate: 1 })).status, 200);
    const pending: Order[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await place(`patient-${i}`);
      assert.equal(res.status, 202, res.text);
      assert.equal(res.json.status, 'pending');
      pending.push(res.json);
    }
    assert.equal((await request<{ state: string }>(stage.url, 'GET', '/ops/breaker')).json.state, 'open');
    assert.match(stage.output(), /orders: payments gave no answer for ord_\w+; its charge is asked again every 1 s/);
    assert.equal(await stock(), 4, 'the pending orders hold their stock');

    const cancel = await request<Order>(stage.url, 'POST', `/orders/${pending[0]?.id}/cancel`, { reason: 'too slow' });
    assert.equal(cancel.status, 202, cancel.text);
    const replay = await request<Order>(stage.url, 'GET', `/orders/${pending[1]?.id}`);
    assert.equal(replay.json.status, 'pending');

    assert.equal((await request(stage.url, 'PUT', '/ops/faults', { errorRate: 0 })).status, 200);
    const final = new Map<string, string>();
    await eventually(async () => {
      for (const o of pending) final.set(o.id, (await request<Order>(stage.url, 'GET', `/orders/${o.id}`)).json.status);
      return [...final.values()].every((s) => s !== 'pending');
    }, 10_000, 'every pending order to settle');
    assert.deepEqual([...final.values()], ['cancelled', 'confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed']);

    const charges = (await request<Charges>(stage.url, 'GET', '/ops/charges')).json;
    for (const o of pending) assert.equal(charges.orders[o.id], 1, `${o.id} charged ${charges.orders[o.id]} times`);
    assert.deepEqual(charges.doubleCharged, []);
    const money = (await request<{ status: string }[]>(stage.url, 'GET', `/payments?orderId=${pending[0]?.id}`)).json;
    assert.deepEqual(money.map((p) => p.status), ['refunded'], 'the cancelled order keeps no money');
    assert.equal(await stock(), 5, 'ten, less the five confirmed');
  });
});
