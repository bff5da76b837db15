// Chapter 1, as a reader does it in the workbench: run the shop, place an order and replay it,
// break it on purpose, then the experiment: search for the places that work out what an order
// costs, change only one of them, and see the customer shown one total and charged another.
import { expect, test } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';
import { lineOf, openInEditor, pressRun, replaceLine, send, stageFiles } from './steps.ts';

const stage = '01-single-file';
const searched = 'unitPriceCents * line.quantity';
// The line the chapter tells the reader to type, exactly as the chapter shows it.
const discounted =
  'for (const line of order.items) totalCents += line.quantity >= 10 ? Math.floor((line.unitPriceCents * line.quantity * 90) / 100) : line.unitPriceCents * line.quantity;';

test('chapter 1: run, order, replay, break it; change one place and the totals part ways', async ({ page, request }) => {
  test.setTimeout(120_000);
  const shop = (await stageFiles(request, stage))['src/shop.ts']!;
  await page.goto(`/chapters/${stage}/?runtime=local`);
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });
  const article = page.getByRole('main');

  // The chapter shows the line to type, and what the search finds is what the file holds.
  await expect(article).toContainText(discounted);
  const found = shop.split('\n').filter((line) => line.includes(searched)).length;
  await expect(article).toContainText(`It finds ${found} lines`);
  expect(found).toBe(4);

  // Run it: one ready line, an order, the same order again for the same key, one payment.
  await pressRun(page, 20_000);
  await expect(output).toContainText(/ready on http:\/\/127\.0\.0\.1:\d+/);
  const placed = await send(page, 'Place an order');
  expect(placed).toContain('201 Created');
  const orderId = /"id": "(ord_\w+)"/.exec(placed)?.[1];
  expect(orderId).toBeTruthy();
  const replayed = await send(page, 'Replay it (same Idempotency-Key)');
  expect(replayed).toContain(`"id": "${orderId}"`);
  const payments = await send(page, 'Payments of the last order');
  expect(payments.match(/"id": "pay_/g)).toHaveLength(1);

  // Try to break it: every error is JSON with a code.
  expect(await send(page, 'An invalid request')).toMatch(/400 Bad Request[\s\S]*"code": "invalid_request"/);
  expect(await send(page, 'An order the card declines')).toMatch(/"status": "rejected"[\s\S]*"reason": "payment_declined"/);

  // The experiment: change only the total in orderJson, the one the chapter quotes.
  const orderJsonStart = lineOf(shop, 'function orderJson(');
  const line = orderJsonStart + shop.split('\n').slice(orderJsonStart).findIndex((l) => l.includes(searched)) + 1;
  await openInEditor(page, 'src/shop.ts');
  await replaceLine(page, line, discounted);
  await expect(wb.getByRole('treeitem', { name: 'src/shop.ts, modified' })).toBeVisible();

  await pressRun(page, 20_000);
  const bulk = await send(page, 'Place a bulk order (10 mugs)');
  expect(bulk).toContain('201 Created');
  expect(bulk).toContain('"totalCents": 10800');
  expect(bulk).toContain('"status": "confirmed"');
  const charged = await send(page, 'Payments of the last order');
  expect(charged).toContain('200 OK');
  expect(charged).toContain('"amountCents": 12000');
  await expect(output).toContainText(/email to ada: Order ord_\w+ is confirmed\. Total: \$120\.00\./);
});
