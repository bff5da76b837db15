// Checks the chapter's exercise, the bulk discount:
//   every order line with quantity >= 10 gets 10% off that line, rounded down to whole
//   cents; the order total, the captured payment and the confirmation email all show the
//   discounted amount; unitPriceCents stays the list price.
//
// Run it with `npm run check:exercise`. It starts this stage with `npm start`, places one
// order that qualifies and one that does not, and says what is still wrong.

import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';

type Line = { sku: string; quantity: number; unitPriceCents: number };
type Order = { id: string; items: Line[]; totalCents: number; status: string };
type Payment = { amountCents: number; status: string };

const stageDir = new URL('..', import.meta.url);
const run = Math.random().toString(36).slice(2, 8);
const problems: string[] = [];

// The rule, written with whole numbers so no floating-point rounding can creep in.
function expectedLineCents(quantity: number, unitPriceCents: number): number {
  const full = quantity * unitPriceCents;
  return quantity >= 10 ? Math.floor((full * 90) / 100) : full;
}

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function checkOrder(stage: Stage, label: string, lines: { sku: string; quantity: number; priceCents: number }[]) {
  const customerId = `exercise-${run}`;
  const placed = await request<Order>(stage.url, 'POST', '/orders', {
    customerId,
    items: lines.map(({ sku, quantity }) => ({ sku, quantity })),
  });
  if (placed.status !== 201 && placed.status !== 202) {
    problems.push(`${label}: POST /orders answered ${placed.status} ${placed.text}`);
    return;
  }
  let order = placed.json;
  for (let waited = 0; order.status === 'pending' && waited < 10_000; waited += 100) {
    await sleep(100);
    order = (await request<Order>(stage.url, 'GET', `/orders/${order.id}`)).json;
  }
  if (order.status !== 'confirmed') {
    problems.push(`${label}: the order ended ${order.status}, expected confirmed`);
    return;
  }

  const expected = lines.reduce((sum, l) => sum + expectedLineCents(l.quantity, l.priceCents), 0);
  const listTotal = lines.reduce((sum, l) => sum + l.quantity * l.priceCents, 0);
  const how = lines
    .map((l) => `${l.quantity} × ${money(l.priceCents)}${l.quantity >= 10 ? ' (10% off)' : ''}`)
    .join(' + ');

  for (const line of lines) {
    const got = order.items.find((i) => i.sku === line.sku);
    if (got?.unitPriceCents !== line.priceCents) {
      problems.push(
        `${label}: unitPriceCents of ${line.sku} is ${got?.unitPriceCents}, expected the list price ${line.priceCents}; ` +
          'the discount belongs in the total, not in the unit price',
      );
    }
  }

  if (order.totalCents !== expected) {
    const hint = order.totalCents === listTotal ? '; that is the full price, so no discount was applied' : '';
    problems.push(`${label}: totalCents is ${order.totalCents}, expected ${expected} (${how})${hint}`);
  }

  const payments = (await request<Payment[]>(stage.url, 'GET', `/payments?orderId=${order.id}`)).json;
  const captured = payments.filter((p) => p.status === 'captured');
  if (captured.length !== 1 || captured[0]?.amountCents !== expected) {
    const got = captured.map((p) => p.amountCents).join(', ') || 'nothing';
    problems.push(`${label}: the card was charged ${got}, expected one capture of ${expected} (the discounted total)`);
  }

  // The confirmation email is printed by the shop; give the output a moment to arrive.
  const idPattern = new RegExp(`\\b${order.id}\\b.*confirmed`);
  let email: string | undefined;
  for (let waited = 0; !email && waited < 2_000; waited += 50) {
    email = stage.output().split('\n').find((line) => idPattern.test(line));
    if (!email) await sleep(50);
  }
  if (!email) {
    problems.push(`${label}: no confirmation email for order ${order.id} in the shop's output`);
  } else if (!email.includes(money(expected))) {
    problems.push(`${label}: the confirmation email says "${email.trim()}", but the customer pays ${money(expected)}`);
  }
}

let stage: Stage | undefined;
try {
  stage = await startStage(stageDir);
  const products = [
    { sku: `bulk-tea-${run}`, priceCents: 1999 },
    { sku: `bulk-mug-${run}`, priceCents: 333 },
    { sku: `bulk-pot-${run}`, priceCents: 500 },
  ];
  for (const p of products) {
    const res = await request(stage.url, 'POST', '/products', { ...p, name: 'Exercise product', stock: 1000 });
    if (res.status !== 201) throw new Error(`could not create ${p.sku}: ${res.status} ${res.text}`);
  }
  const [tea, mug, pot] = products as [(typeof products)[0], (typeof products)[0], (typeof products)[0]];

  // Exactly 10 and 11 qualify (11 × 3.33 also needs rounding down); 9 does not.
  await checkOrder(stage, 'bulk order', [
    { sku: tea.sku, quantity: 10, priceCents: tea.priceCents },
    { sku: mug.sku, quantity: 11, priceCents: mug.priceCents },
    { sku: pot.sku, quantity: 9, priceCents: pot.priceCents },
  ]);
  await checkOrder(stage, 'small order', [{ sku: tea.sku, quantity: 9, priceCents: tea.priceCents }]);
} catch (error) {
  problems.push(`the check could not run: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await stage?.stop();
}

if (problems.length === 0) {
  console.log('✔ exercise solved: lines of 10 or more get 10% off, in the total, the payment and the email');
  process.exit(0);
} else {
  console.log('✘ exercise not solved yet:');
  for (const problem of problems) console.log(`  - ${problem}`);
  process.exit(1);
}
