// Checks the chapter's exercise, what was bought:
//   customers asked what they bought, so the confirmation should say it:
//     Order ord_7 is confirmed: 2 × Blue mug, 1 × Green tea, 100 g. Total: $32.50.
//   (the lines in the order's order, "<quantity> × <product name>", joined by ", ").
//   Product names belong to the inventory module, the text to the notifications module.
//   Add a public function productNames(skus) to the inventory module's index.ts, returning a
//   Map from sku to name; give the notifications module the inventory module in src/app.ts;
//   and use it there. Only through index.ts: the boundary check must stay green.
//
// Run it with `npm run check:exercise`. It runs the boundary check, then starts this stage
// with `npm start`, places an order of two products and reads the confirmation it printed.

import { readFileSync } from 'node:fs';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { checkModuleBoundaries } from '../src/boundaries.ts';

type Order = { id: string; status: string; totalCents: number };

const stageDir = new URL('..', import.meta.url);
const run = Math.random().toString(36).slice(2, 8);
const problems: string[] = [];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

for (const violation of checkModuleBoundaries(new URL('src/', stageDir))) {
  problems.push(`boundary check: ${violation}`);
}

const inventoryIndex = readFileSync(new URL('src/modules/inventory/index.ts', stageDir), 'utf8');
if (!/\bproductNames\s*\(/.test(inventoryIndex)) {
  problems.push('src/modules/inventory/index.ts has no productNames(skus) yet: add it to the Inventory interface and to createInventory');
}

if (problems.length === 0) {
  let stage: Stage | undefined;
  try {
    stage = await startStage(stageDir);
    const customerId = `buyer-${run}`;
    const products = [
      { sku: `names-kettle-${run}`, name: `Kettle ${run}`, priceCents: 4000, stock: 5 },
      { sku: `names-mug-${run}`, name: `Mug, blue ${run}`, priceCents: 1250, stock: 5 },
    ];
    for (const p of products) {
      const res = await request(stage.url, 'POST', '/products', p);
      if (res.status !== 201) throw new Error(`could not create ${p.sku}: ${res.status} ${res.text}`);
    }
    const placed = await request<Order>(stage.url, 'POST', '/orders', {
      customerId,
      items: [
        { sku: products[0]?.sku, quantity: 1 },
        { sku: products[1]?.sku, quantity: 2 },
      ],
    });
    if (placed.status !== 201 || placed.json.status !== 'confirmed') {
      throw new Error(`POST /orders answered ${placed.status} ${placed.text}`);
    }
    const id = placed.json.id;
    const expected = `Order ${id} is confirmed: 1 × Kettle ${run}, 2 × Mug, blue ${run}. Total: $65.00.`;
    // The shop prints as it goes; give the output a moment to arrive.
    const mine = () => stage?.output().split('\n').find((line) => line.includes(`to ${customerId}:`) && line.includes(id));
    for (let waited = 0; !mine() && waited < 2_000; waited += 50) await sleep(50);
    const line = mine();
    if (!line) {
      problems.push(`the shop printed no confirmation for order ${id}`);
    } else if (!line.endsWith(`: ${expected}`)) {
      const hint = line.includes('is confirmed. Total') ? ' (the text does not list what was bought yet)' : '';
      problems.push(`the confirmation reads "${line.trim()}"${hint}; expected it to end with "${expected}"`);
    }
  } catch (error) {
    problems.push(`the check could not run the shop: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await stage?.stop();
  }
}

if (problems.length === 0) {
  console.log('✔ exercise solved: the confirmation lists what was bought, and every module kept to its boundaries');
  process.exit(0);
} else {
  console.log('✘ exercise not solved yet:');
  for (const problem of problems) console.log(`  - ${problem}`);
  process.exit(1);
}
