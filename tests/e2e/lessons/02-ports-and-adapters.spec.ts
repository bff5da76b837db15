// Chapter 2's experiment, as a reader does it in the workbench: swap the notifier behind its
// port in one line of src/main.ts; the email line leaves the Output, the notification stays.
import { expect, test } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';
import { lineOf, openInEditor, pressRun, replaceLine, send, stageFiles } from './steps.ts';

const stage = '02-ports-and-adapters';
const email = 'email to ada: Order ord_1 is confirmed. Total: $24.00.';

test('chapter 2: the notifier swapped in src/main.ts; the domain records the notification all the same', async ({ page, request }) => {
  test.setTimeout(90_000);
  const main = (await stageFiles(request, stage))['src/main.ts']!;
  await page.goto(`/chapters/${stage}/?runtime=local`);
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });

  // Run it: the same email line as in stage 1.
  await pressRun(page, 20_000);
  expect(await send(page, 'Place an order')).toContain('201 Created');
  await expect(output).toContainText(email);

  // 1. The notifier line in the wiring becomes `notifier: new InMemoryNotifier(),`.
  await openInEditor(page, 'src/main.ts');
  await replaceLine(page, lineOf(main, 'notifier: new ConsoleNotifier()'), 'notifier: new InMemoryNotifier(),');
  await expect(wb.getByRole('treeitem', { name: 'src/main.ts, modified' })).toBeVisible();
  // 2. Run, Place an order.
  await pressRun(page, 20_000);
  const placed = await send(page, 'Place an order');
  expect(placed).toContain('201 Created');
  expect(placed).toContain('"id": "ord_1"');
  // 3. The email line is no longer there.
  await expect(output).toContainText(/ready on http:\/\/127\.0\.0\.1:\d+/);
  await expect(output).not.toContainText('email to ada');
  // 4. What ada was told: the order_confirmed notification is still listed.
  const told = await send(page, 'What ada was told');
  expect(told).toContain('200 OK');
  expect(told).toMatch(/"orderId": "ord_1"[\s\S]*"kind": "order_confirmed"|"kind": "order_confirmed"[\s\S]*"orderId": "ord_1"/);
});
