// The chapter's experiment, run for real: the shop is stopped dead right after an order's
// change is committed and before its event is published (CRASH_AFTER_COMMIT=1), then
// started again on the same data. With the outbox the event is delivered after the restart;
// without it (OUTBOX=off) it is lost for good.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { request, startStage } from '../../contract/src/launch.ts';

type Order = { id: string; status: string };
type Notification = { orderId: string; kind: string };

const stageDir = new URL('..', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'shop-outbox-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Places one order on a shop that crashes right after committing it; returns what the
// crash left behind once the shop is started again (without the crash) on the same data.
async function crashAndRestart(dataDir: string, env: Record<string, string>) {
  const crashing = await startStage(stageDir, { env: { ...env, DATA_DIR: dataDir, CRASH_AFTER_COMMIT: '1' } });
  const customerId = `crash-${Math.random().toString(36).slice(2, 8)}`;
  await assert.rejects(
    request(crashing.url, 'POST', '/orders', { customerId, items: [{ sku: 'mug-blue', quantity: 1 }] }),
    'the shop dies before it can answer',
  );
  await crashing.stop();
  assert.match(crashing.output(), /CRASH_AFTER_COMMIT: the change is committed/);

  const restarted = await startStage(stageDir, { env: { ...env, DATA_DIR: dataDir } });
  return { restarted, customerId };
}

async function notificationsOf(url: string, customerId: string): Promise<Notification[]> {
  return (await request<Notification[]>(url, 'GET', `/notifications?customerId=${customerId}`)).json;
}

describe('crash between commit and publish', () => {
  it('with the outbox, the event is delivered after the restart', async () => {
    const { restarted, customerId } = await crashAndRestart(join(tmp, 'with-outbox'), {});
    try {
      const orders = (await request<{ items: Order[] }>(restarted.url, 'GET', `/orders?customerId=${customerId}`)).json.items;
      assert.equal(orders.length, 1, 'the order was committed before the crash');
      assert.equal(orders[0]?.status, 'confirmed');
      let notes: Notification[] = [];
      for (let waited = 0; notes.length === 0 && waited < 10_000; waited += 100) {
        notes = await notificationsOf(restarted.url, customerId);
        if (notes.length === 0) await sleep(100);
      }
      assert.deepEqual(notes.map((n) => [n.orderId, n.kind]), [[orders[0]?.id, 'order_confirmed']]);
      assert.match(restarted.output(), new RegExp(`email to ${customerId}: Order ${orders[0]?.id} is confirmed`));
    } finally {
      await restarted.stop();
    }
  });

  it('without the outbox (OUTBOX=off), the event is lost: the order is confirmed and nobody is told', async () => {
    const { restarted, customerId } = await crashAndRestart(join(tmp, 'without-outbox'), { OUTBOX: 'off' });
    try {
      const orders = (await request<{ items: Order[] }>(restarted.url, 'GET', `/orders?customerId=${customerId}`)).json.items;
      assert.equal(orders[0]?.status, 'confirmed');
      // Long enough for several rounds of a relay, if there were anything to relay.
      await sleep(1_500);
      assert.deepEqual(await notificationsOf(restarted.url, customerId), []);
    } finally {
      await restarted.stop();
    }
  });
});
