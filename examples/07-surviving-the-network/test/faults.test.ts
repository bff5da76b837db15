// Faults: during a burst of orders, kill -9 one process (the payments service, or the
// database process); the supervisor restarts it. Every order the shop accepted (201, or 202
// when payments gave no answer and the order waits for one) must reach a final status, and
// the contract's invariants must hold: no oversell, exactly one captured payment per
// confirmed order, no money kept for a rejected one, no order lost or doubled.
// (Linux: the processes are found in /proc.)

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { eventually, pidOf } from './support.ts';

type Order = { id: string; customerId: string; status: string; totalCents: number };
type Payment = { orderId: string; amountCents: number; status: string };

const stageDir = new URL('..', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'shop-faults-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const ORDERS = 40;
const STOCK = 25;

// #region burst
// ORDERS orders, 8 at a time, for a product with STOCK units; `kill` runs once 10 answers
// are in. Returns every answer.
async function burst(stage: Stage, sku: string, kill: () => void) {
  const answers: { status: number; order?: Order; text: string }[] = [];
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (next < ORDERS) {
      const i = next++;
      const res = await request<Order>(stage.url, 'POST', '/orders', { customerId: `${sku}-c${i}`, items: [{ sku, quantity: 1 }] }).catch(
        (error: Error) => ({ status: 0, json: undefined, text: error.message }),
      );
      answers.push({ status: res.status, order: res.json, text: res.text });
      if (answers.length === 10 && !killed) {
        killed = true;
        kill();
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return answers;
}
// #endregion burst

async function checkInvariants(stage: Stage, sku: string, answers: Awaited<ReturnType<typeof burst>>) {
  const refused = answers.filter((a) => ![200, 201, 202].includes(a.status));
  assert.deepEqual(refused.map((a) => `${a.status} ${a.text}`), [], 'every order was accepted');
  // every accepted order reaches a final status. 15 s, as in stages 8 to 12: an order that
  // waits for payments settles once the service is back and the breaker's 5 s are over.
  const final: Order[] = [];
  for (const { order } of answers) {
    let current = order as Order;
    await eventually(async () => {
      current = (await request<Order>(stage.url, 'GET', `/orders/${current.id}`)).json;
      return current.status === 'confirmed' || current.status === 'rejected';
    }, 15_000, `order ${current.id} to be final`);
    final.push(current);
  }
  const confirmed = final.filter((o) => o.status === 'confirmed');
  // no oversell, and the stock adds up (invariants 1 and 4)
  const product = (await request<{ sku: string; stock: number }[]>(stage.url, 'GET', '/products')).json.find((p) => p.sku === sku);
  assert.equal(confirmed.length, STOCK, 'all the stock was sold, and no more');
  assert.equal(product?.stock, STOCK - confirmed.length);
  for (const o of final) {
    // no order lost or doubled: each customer placed one order and has one
    const listed = (await request<{ items: Order[] }>(stage.url, 'GET', `/orders?customerId=${o.customerId}`)).json.items;
    assert.deepEqual(listed.map((l) => l.id), [o.id]);
    // money (invariants 2 and 3)
    const payments = (await request<Payment[]>(stage.url, 'GET', `/payments?orderId=${o.id}`)).json;
    const captured = payments.filter((p) => p.status === 'captured');
    if (o.status === 'confirmed') assert.deepEqual(captured.map((p) => p.amountCents), [o.totalCents], `${o.id}: ${JSON.stringify(payments)}`);
    else assert.deepEqual(captured, [], `${o.id} was rejected but kept money`);
  }
  // and at the card processor itself (its count starts again when the payments service restarts)
  const charges = (await request<{ doubleCharged: string[] }>(stage.url, 'GET', '/ops/charges')).json;
  assert.deepEqual(charges.doubleCharged, [], 'no card was charged twice');
}

async function product(stage: Stage, sku: string) {
  const res = await request(stage.url, 'POST', '/products', { sku, name: 'Fault-tolerant mug', priceCents: 700, stock: STOCK });
  assert.equal(res.status, 201, res.text);
}

describe('faults during a burst of orders', { skip: process.platform !== 'linux' }, () => {
  it('kill -9 the payments service (every payment goes to it, parallel run on)', async () => {
    const stage = await startStage(stageDir, { env: { DATA_DIR: join(tmp, 'payments'), PAYMENTS_SERVICE: '100', SHADOW: '1' } });
    try {
      await product(stage, 'mug-payments');
      const answers = await burst(stage, 'mug-payments', () => process.kill(pidOf('payments-main.ts', stage.port + 100) ?? 0, 'SIGKILL'));
      assert.match(stage.output(), /supervisor: payments exited \(signal SIGKILL\); restarting it/);
      await eventually(() => /supervisor: payments is back/.test(stage.output()), 20_000, 'payments back');
      await checkInvariants(stage, 'mug-payments', answers);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- output ---\n${stage.output().slice(-6000)}`);
    } finally {
      if (process.env.SHOW_OUTPUT) console.log(stage.output());
      await stage.stop();
    }
  });

  it('kill -9 the database process (half the payments go to the service)', async () => {
    const stage = await startStage(stageDir, { env: { DATA_DIR: join(tmp, 'database'), PAYMENTS_SERVICE: '50' } });
    try {
      await product(stage, 'mug-database');
      const answers = await burst(stage, 'mug-database', () => process.kill(pidOf('database-main.ts', stage.port + 200) ?? 0, 'SIGKILL'));
      assert.match(stage.output(), /supervisor: database exited \(signal SIGKILL\); restarting it/);
      await eventually(() => /supervisor: database is back/.test(stage.output()), 20_000, 'database back');
      await checkInvariants(stage, 'mug-database', answers);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- output ---\n${stage.output().slice(-6000)}`);
    } finally {
      if (process.env.SHOW_OUTPUT) console.log(stage.output());
      await stage.stop();
    }
  });
});
