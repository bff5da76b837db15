// Checks the chapter's exercise, the fourth move of an extraction:
//   the flag has been at 100 % for weeks and the parallel run found no difference. Delete
//   the in-process payments module from the shop: src/app.ts stops building it (no more
//   createPayments there) and the orders module always gets the payments service, through
//   HttpPayments. The orders module itself does not change.
//
// Run it with `npm run check:exercise`. It reads src/app.ts, then starts this stage on a
// fresh database in the OS temp folder (without any flag set), places three orders, cancels
// one, and checks from the payments service's own Output lines that the service made every
// charge and the refund, and from the API that the money adds up.

import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { checkModuleBoundaries } from '../src/boundaries.ts';

type Order = { id: string; status: string; totalCents: number };
type Payment = { orderId: string; amountCents: number; status: string };

const stageDir = new URL('..', import.meta.url);
const run = Math.random().toString(36).slice(2, 8);
const problems: string[] = [];

for (const violation of checkModuleBoundaries(new URL('src/', stageDir))) {
  problems.push(`boundary check: ${violation}`);
}
const app = readFileSync(new URL('src/app.ts', stageDir), 'utf8').replace(/\/\/[^\n]*/g, '');
if (/\bcreatePayments\s*\(/.test(app)) {
  problems.push(
    'src/app.ts still builds the in-process payments module (createPayments): a flag at 100 % is not the end ' +
      'of an extraction; delete the in-process module from the shop and hand the orders module an HttpPayments',
  );
}

if (problems.length === 0) {
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-exercise-data-'));
  let stage: Stage | undefined;
  try {
    // No PAYMENTS_SERVICE, no SHADOW: whatever the shop does by itself.
    stage = await startStage(stageDir, { env: { DATA_DIR: dataDir } });
    const sku = `exercise-mug-${run}`;
    const created = await request(stage.url, 'POST', '/products', { sku, name: 'Exercise mug', priceCents: 900, stock: 10 });
    if (created.status !== 201) throw new Error(`could not create ${sku}: ${created.status} ${created.text}`);
    const place = async (items: { sku: string; quantity: number }[]) => {
      const res = await request<Order>(stage!.url, 'POST', '/orders', { customerId: `exercise-${run}`, items });
      if (res.status !== 201) throw new Error(`POST /orders answered ${res.status} ${res.text}`);
      return res.json;
    };
    const orders = [await place([{ sku, quantity: 1 }]), await place([{ sku, quantity: 2 }]), await place([{ sku: 'espresso-machine', quantity: 1 }])];
    const cancelled = await request<Order>(stage.url, 'POST', `/orders/${orders[0]!.id}/cancel`, { reason: 'exercise' });
    if (cancelled.status !== 200) throw new Error(`cancelling answered ${cancelled.status} ${cancelled.text}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const output = stage.output().split('\n');

    const byService = orders.filter((o) => output.some((line) => line.startsWith('payments ') && line.includes(`charged ${o.id} `)));
    if (byService.length < orders.length) {
      problems.push(
        `${orders.length - byService.length} of ${orders.length} charges were made inside the shop process, not by the payments ` +
          'service (its Output shows "payments | charged <order> ..." for each charge it makes)',
      );
    }
    if (!output.some((line) => line.startsWith('payments ') && line.includes(`refunded ${orders[0]!.id}`))) {
      problems.push(`the refund of the cancelled order ${orders[0]!.id} was not made by the payments service`);
    }
    const expected = ['refunded', 'captured', 'declined'];
    for (const [i, o] of orders.entries()) {
      const payments = (await request<Payment[]>(stage.url, 'GET', `/payments?orderId=${o.id}`)).json;
      if (payments.length !== 1 || payments[0]?.status !== expected[i] || payments[0]?.amountCents !== o.totalCents) {
        problems.push(`order ${o.id}: expected one ${expected[i]} payment of ${o.totalCents} cents, found ${JSON.stringify(payments)}`);
      }
    }
  } catch (error) {
    problems.push(`the check could not run the shop: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await stage?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (problems.length === 0) {
  console.log('✔ exercise solved: the shop has no payments module of its own any more; the payments service made every charge');
  process.exit(0);
} else {
  console.log('✘ exercise not solved yet:');
  for (const problem of problems) console.log(`  - ${problem}`);
  process.exit(1);
}
