// Checks the chapter's exercise: the order of the steps decides what a failure costs. This
// stage reserves the stock first and charges the card second. Turn it round: charge first,
// then reserve, then confirm (FORWARD in src/modules/orders/saga/model.ts), and see what
// the compensations become: a declined card now has nothing to undo, while an order that
// finds no stock has to be refunded.
//
// Run it with `npm run check:exercise`. It runs the saga's state machine (no services, no
// database) through the three ways an order can go, and says what it saw.

import { afterStep, FORWARD, giveUp, startSaga } from '../src/modules/orders/saga/model.ts';
import type { Saga } from '../src/modules/orders/saga/model.ts';

const now = new Date().toISOString();
const start = startSaga({ id: 'ord_exercise', customerId: 'ada', lines: [{ sku: 'mug-blue', quantity: 1 }], totalCents: 1200 }, now);
const plan = (saga: Saga) => `${saga.todo.join(', ')}${saga.reason ? ` (${saga.reason})` : ''}`;
const problems: string[] = [];

function expect(what: string, got: () => string, wanted: string): void {
  let seen: string;
  try {
    seen = got();
  } catch (error) {
    seen = `an error: ${(error as Error).message}`;
  }
  if (seen !== wanted) problems.push(`${what}: expected ${wanted}, got ${seen}`);
}

expect('the forward steps', () => FORWARD.join(', '), 'charge, reserve, confirm');
expect('a new saga starts with', () => plan(start), 'charge, reserve, confirm');
expect('a declined card leaves to do', () => plan(afterStep(start, 'charge', 'declined', now)), 'reject (payment_declined)');
expect(
  'an order out of stock after its charge leaves to do',
  () => plan(afterStep(afterStep(start, 'charge', 'captured', now), 'reserve', 'out_of_stock', now)),
  'refund, reject (out_of_stock)',
);
expect(
  'a reserve given up after the charge leaves to do',
  () => plan(giveUp(afterStep(start, 'charge', 'captured', now), now)),
  'release, refund, reject (out_of_stock)',
);
expect(
  'the happy path still ends confirmed',
  () => ['charge', 'reserve', 'confirm'].reduce((s, step) => afterStep(s, step as 'charge', step === 'charge' ? 'captured' : step === 'reserve' ? 'reserved' : 'done', now), start).status,
  'confirmed',
);

if (problems.length > 0) {
  console.error('✘ exercise not solved yet:');
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log('✔ exercise solved: the card is charged first; a declined card touches no stock, and an order out of stock is refunded.');
