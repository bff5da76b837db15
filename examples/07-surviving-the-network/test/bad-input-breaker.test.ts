// One client must not open the payments breaker for everyone. Requests that fail validation
// (U+0000 in a query, an order total above the bound) are answered 400 by the shop itself,
// so they never reach payments and the breaker never counts them: after a burst of them,
// an honest customer's order still goes through.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';

const stageDir = new URL('..', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'shop-bad-input-'));
let stage: Stage;

before(async () => {
  stage = await startStage(stageDir, { env: { DATA_DIR: tmp } });
  for (const product of [
    { sku: 'plain-mug', name: 'Plain mug', priceCents: 400, stock: 10 },
    { sku: 'gold-mug', name: 'Gold mug', priceCents: 10_000_000, stock: 1000 },
  ]) {
    const res = await request(stage.url, 'POST', '/products', product);
    assert.equal(res.status, 201, res.text);
  }
});
after(async () => {
  if (process.env.SHOW_OUTPUT) console.log(stage?.output());
  await stage?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('bad input and the breaker', () => {
  it('a burst of invalid requests is answered 400 and leaves the breaker closed', async () => {
    const bad = await Promise.all([
      ...Array.from({ length: 8 }, () => request(stage.url, 'GET', '/payments?orderId=a%00b')),
      ...Array.from({ length: 4 }, (_, i) =>
        request(stage.url, 'POST', '/orders', { customerId: `greedy-${i}`, items: [{ sku: 'gold-mug', quantity: 101 + i }] }),
      ),
    ]);
    for (const res of bad) assert.equal(res.status, 400, res.text);

    const breaker = await request<{ state: string }>(stage.url, 'GET', '/ops/breaker');
    assert.equal(breaker.json.state, 'closed', breaker.text);
    const gold = (await request<{ sku: string; stock: number }[]>(stage.url, 'GET', '/products')).json.find((p) => p.sku === 'gold-mug');
    assert.equal(gold?.stock, 1000, 'refused orders hold no stock');

    const honest = await request<{ status: string }>(stage.url, 'POST', '/orders', { customerId: 'honest', items: [{ sku: 'plain-mug', quantity: 1 }] });
    assert.equal(honest.status, 201, honest.text);
    assert.equal(honest.json.status, 'confirmed');
  });
});
