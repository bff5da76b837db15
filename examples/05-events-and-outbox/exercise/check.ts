// Checks the chapter's exercise, the welcome email:
//   the first time a customer's order is confirmed, the customer gets one extra email,
//     Welcome to the shop, <customerId>! Thank you for your first order.
//   exactly once per customer: not again for later orders, and not twice when the event is
//   delivered twice. Add it as a new consumer of OrderConfirmed in the notifications module.
//   Events arrive at least once, so the consumer must be idempotent; remember who was
//   welcomed in a table of the notifications module (a new migration), so that it holds
//   across restarts too.
//
// Run it with `npm run check:exercise`. It starts this stage on a fresh database in the OS
// temp folder with DELIVER_TWICE=1 (every event is published twice), places orders for
// three customers, restarts the shop on the same data and places one more, and counts the
// welcome emails the shop printed.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { checkModuleBoundaries } from '../src/boundaries.ts';

type Order = { id: string; status: string };

const stageDir = new URL('..', import.meta.url);
const run = Math.random().toString(36).slice(2, 8);
const problems: string[] = [];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const welcome = (customerId: string) => `email to ${customerId}: Welcome to the shop, ${customerId}! Thank you for your first order.`;

for (const violation of checkModuleBoundaries(new URL('src/', stageDir))) {
  problems.push(`boundary check: ${violation}`);
}

const first = `first-${run}`;
const second = `second-${run}`;
const refused = `refused-${run}`;
const sku = `welcome-mug-${run}`;

async function order(stage: Stage, customerId: string, quantity = 1): Promise<Order> {
  const res = await request<Order>(stage.url, 'POST', '/orders', { customerId, items: [{ sku, quantity }] });
  if (res.status !== 201) throw new Error(`POST /orders answered ${res.status} ${res.text}`);
  return res.json;
}

// Waits until the customer's confirmations have all been handled (so any welcome is printed).
async function settled(stage: Stage, customerId: string, confirmed: number): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    const res = await request<{ kind: string }[]>(stage.url, 'GET', `/notifications?customerId=${customerId}`);
    if (res.json.filter((n) => n.kind === 'order_confirmed').length >= confirmed) break;
    await sleep(100);
  }
  await sleep(300); // and a moment for the other consumers of the same events
}

function count(output: string, customerId: string): number {
  return output.split('\n').filter((line) => line.trim() === welcome(customerId)).length;
}

if (problems.length === 0) {
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-exercise-data-'));
  const env = { DATA_DIR: dataDir, DELIVER_TWICE: '1' };
  let stage: Stage | undefined;
  try {
    stage = await startStage(stageDir, { env });
    const created = await request(stage.url, 'POST', '/products', { sku, name: 'Welcome mug', priceCents: 900, stock: 100 });
    if (created.status !== 201) throw new Error(`could not create ${sku}: ${created.status} ${created.text}`);
    await order(stage, first);
    await order(stage, first);
    await order(stage, second);
    const rejected = await order(stage, refused, 101);
    if (rejected.status !== 'rejected') throw new Error(`an order for 101 of 100 mugs ended ${rejected.status}`);
    await settled(stage, first, 2);
    await settled(stage, second, 1);
    const output = stage.output();
    await stage.stop();

    const times = count(output, first);
    if (times === 0) {
      problems.push(
        `no welcome email for ${first} after their first order: add a consumer of OrderConfirmed to the ` +
          `notifications module that sends "Welcome to the shop, <customerId>! Thank you for your first order."`,
      );
    } else if (times > 1) {
      problems.push(
        `${first} was welcomed ${times} times: every event was delivered twice and they ordered twice; ` +
          'remember who was welcomed (in a table of the notifications module) and welcome each customer once',
      );
    }
    if (count(output, second) !== 1) problems.push(`${second} was welcomed ${count(output, second)} times after one order, expected once`);
    if (count(output, refused) > 0) problems.push(`${refused}, whose only order was rejected, was welcomed`);

    // All well so far: a restart on the same data, and one more order from the first customer.
    if (problems.length === 0) {
      stage = await startStage(stageDir, { env });
      await order(stage, first);
      await settled(stage, first, 3);
      if (count(stage.output(), first) > 0) {
        problems.push(`after a restart, ${first} was welcomed again: keep who was welcomed in the database, not in memory`);
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
  console.log('✔ exercise solved: each customer is welcomed once, however often the event arrives');
  process.exit(0);
} else {
  console.log('✘ exercise not solved yet:');
  for (const problem of problems) console.log(`  - ${problem}`);
  process.exit(1);
}
