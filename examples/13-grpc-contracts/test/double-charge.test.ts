// No double charge across a crash of payments in the worst place: kill -9 the payments
// service after the card processor has charged the card and before payments has recorded
// the charge or stored the idempotency key. The retry that follows must not charge the card
// again: the processor's books (kept across the restart) must show one charge for the order.
// (Linux: the process is found in /proc.)

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { request, startStage } from '../../contract/src/launch.ts';
import { connectDatabase } from '../src/adapters/database.ts';
import { eventually, pidOf } from './support.ts';

type Order = { id: string; status: string; reason?: string; totalCents: number };
type Payment = { orderId: string; amountCents: number; status: string };

const stageDir = new URL('..', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'shop-double-charge-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// How long the processor holds its answer back after charging: the window the test kills in.
const ANSWER_DELAY_MS = 1500;

describe('kill -9 payments between the charge and its record', { skip: process.platform !== 'linux' }, () => {
  it('charges the card once: the retry is answered from the processor\'s books', async () => {
    const stage = await startStage(stageDir, { env: { DATA_DIR: tmp, CARD_PROCESSOR_ANSWER_DELAY_MS: String(ANSWER_DELAY_MS) }, timeoutMs: 90_000 });
    const db = connectDatabase({ url: `postgres://postgres@127.0.0.1:${stage.port + 200}/postgres`, name: 'test', log: () => {} });
    try {
      assert.equal((await request(stage.url, 'POST', '/products', { sku: 'window-mug', name: 'Mug', priceCents: 900, stock: 5 })).status, 201);
      const placed = request<Order>(stage.url, 'POST', '/orders', { customerId: 'c-window', items: [{ sku: 'window-mug', quantity: 1 }] });
      // The processor has charged (its answer is held back); payments has recorded nothing.
      const charged = /card processor: captured (\S+) 900 cents/;
      await eventually(() => charged.test(stage.output()), 20_000, 'the processor to charge the card');
      const orderId = charged.exec(stage.output())![1]!;
      const pid = pidOf('payments-main.ts', stage.port + 100);
      assert.ok(pid, 'the payments service is running');
      process.kill(pid, 'SIGKILL');

      const order = (await placed).json;
      let current = order;
      await eventually(async () => {
        current = (await request<Order>(stage.url, 'GET', `/orders/${order.id}`)).json;
        return current.status === 'confirmed' || current.status === 'rejected';
      }, 20_000, 'the order to be final');
      assert.equal(current.id, orderId);
      assert.match(stage.output(), /supervisor: payments exited \(signal SIGKILL\)/);
      const payments = (await request<Payment[]>(stage.url, 'GET', `/payments?orderId=${orderId}`)).json;
      const { rows } = await db.query<{ outcome: string }>('SELECT outcome FROM payments.card_processor_ledger WHERE order_id = $1 ORDER BY position', [orderId]);
      if (current.status === 'confirmed') {
        assert.deepEqual(payments.map((p) => `${p.status} ${p.amountCents}`), ['captured 900']);
        assert.deepEqual(rows.map((r) => r.outcome), ['captured'], 'the card was charged once');
      } else {
        // A saga (stage 9 on) may give the charge up while payments restarts on a busy machine:
        // then the charge the processor made is found under its key, recorded and refunded.
        assert.deepEqual([current.status, current.reason], ['rejected', 'payment_unavailable']);
        assert.deepEqual(payments.map((p) => `${p.status} ${p.amountCents}`), ['refunded 900']);
        assert.deepEqual(rows.map((r) => r.outcome), ['captured', 'refunded'], 'the card was charged once, and refunded');
      }
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- output ---\n${stage.output().slice(-6000)}`);
    } finally {
      if (process.env.SHOW_OUTPUT) console.log(stage.output());
      await db.close();
      await stage.stop();
    }
  });
});
