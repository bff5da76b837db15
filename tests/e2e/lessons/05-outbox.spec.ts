// Chapter 5's experiments, as a reader does them in the workbench. A: crash the shop between the
// commit and the publish, run it again, and the outbox delivers the event that was in flight.
// B: the same without the outbox, and bob is never told. C: every event delivered twice, and
// the inbox keeps one notification per order.
import { expect, test } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';
import { lineOf, openInEditor, pressRun, replaceLine, send, stageFiles } from './steps.ts';

const stage = '05-events-and-outbox';
const switchLine = "crashAfterCommit: process.env.CRASH_AFTER_COMMIT === '1',";

test('experiment A: a crash after the commit loses no event when the outbox is on', async ({ page, request }) => {
  test.setTimeout(120_000);
  const { files } = (await (await request.get(`/runtime/files/${stage}.json`)).json()) as { files: Record<string, string> };
  const line = files['src/app.ts']!.split('\n').findIndex((text) => text.includes(switchLine)) + 1;
  expect(line).toBeGreaterThan(0);

  await page.goto(`/chapters/${stage}/?runtime=local&file=src/app.ts`);
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });
  const response = wb.getByRole('region', { name: 'Response' });
  await wb.getByRole('tabpanel', { name: 'app.ts' }).click();
  await expect(wb.getByRole('textbox', { name: 'Code editor' })).toBeFocused({ timeout: 15_000 });

  await replaceLine(page, line, 'crashAfterCommit: true,');
  await expect(wb.getByRole('treeitem', { name: 'src/app.ts, modified' })).toBeVisible();
  await wb.getByRole('button', { name: 'Run' }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 30_000 });
  await wb.getByRole('button', { name: 'Place an order', exact: true }).click();
  await wb.getByRole('button', { name: 'Send' }).click();
  await expect(output).toContainText('stopping now, before its event is published', { timeout: 15_000 });
  await expect(response).not.toContainText('201 Created');
  await expect(output).not.toContainText('email to ada');

  await wb.getByRole('tabpanel', { name: 'app.ts' }).click();
  await replaceLine(page, line, switchLine);
  await wb.getByRole('button', { name: 'Run' }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 30_000 });
  await expect(output).toContainText('PGlite opened from disk');
  await expect(output).toContainText(/email to ada: Order ord_\w+ is confirmed\. Total: \$24\.00\./, { timeout: 10_000 });
  await wb.getByRole('button', { name: 'What ada was told', exact: true }).click();
  await wb.getByRole('button', { name: 'Send' }).click();
  await expect(response).toContainText('order_confirmed');
});

test('experiment B: without the outbox, the event a crash interrupts is lost for good', async ({ page, request }) => {
  test.setTimeout(150_000);
  const app = (await stageFiles(request, stage))['src/app.ts']!;
  const outboxLine = lineOf(app, "useOutbox: process.env.OUTBOX !== 'off',");
  const crashLine = lineOf(app, switchLine);
  await page.goto(`/chapters/${stage}/?runtime=local`);
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });
  const response = wb.getByRole('region', { name: 'Response' });

  // Both switches: no outbox, and a crash right after the commit.
  await openInEditor(page, 'src/app.ts');
  await replaceLine(page, outboxLine, 'useOutbox: false,');
  await replaceLine(page, crashLine, 'crashAfterCommit: true,');
  await pressRun(page);
  // Repeat A for bob: the ready-made order, its body edited to say "bob".
  await wb.getByRole('button', { name: 'Place an order', exact: true }).click();
  const body = wb.getByLabel('Body (JSON)');
  await body.fill(((await body.inputValue()) ?? '').replace('"ada"', '"bob"'));
  await expect(body).toHaveValue(/"bob"/);
  await wb.getByRole('button', { name: 'Send' }).click();
  await expect(output).toContainText('stopping now, before its event is published', { timeout: 15_000 });
  await expect(response).not.toContainText('201 Created');

  // Change the crash line back and Run again: bob's order is confirmed, and no one told him.
  await openInEditor(page, 'src/app.ts');
  await replaceLine(page, crashLine, switchLine);
  await pressRun(page);
  const ask = async (path: string) => {
    const before = (await response.textContent()) ?? '';
    await wb.getByRole('button', { name: 'List products', exact: true }).click();
    await wb.getByLabel('Path').fill(path);
    await wb.getByRole('button', { name: 'Send' }).click();
    await expect.poll(async () => (await response.textContent()) ?? '').not.toBe(before);
    await expect(response).toContainText('200 OK');
    return (await response.textContent()) ?? '';
  };
  expect(await ask('/orders?customerId=bob')).toContain('"status": "confirmed"');
  // "for good": still nothing after a wait longer than the relay's poll.
  await page.waitForTimeout(3_000);
  expect(await ask('/notifications?customerId=bob')).toMatch(/200 OK[\s\S]*\[\]/);
  await expect(output).not.toContainText('email to bob');
});

test('experiment C: every event delivered twice, one notification per order', async ({ page, request }) => {
  test.setTimeout(120_000);
  const app = (await stageFiles(request, stage))['src/app.ts']!;
  await page.goto(`/chapters/${stage}/?runtime=local`);
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });
  await openInEditor(page, 'src/app.ts');
  await replaceLine(page, lineOf(app, "deliverTwice: process.env.DELIVER_TWICE === '1',"), 'deliverTwice: true,');
  await pressRun(page);
  const orders: string[] = [];
  for (let i = 0; i < 3; i++) {
    const placed = await send(page, 'Place an order');
    orders.push(/"id": "(ord_\w+)"/.exec(placed)![1]!);
  }
  for (const id of orders) await expect(output).toContainText(`email to ada: Order ${id} is confirmed`, { timeout: 10_000 });
  const told = await send(page, 'What ada was told');
  for (const id of orders) expect(told.split(`"orderId": "${id}"`).length - 1, id).toBe(1);
  const text = (await output.textContent()) ?? '';
  for (const id of orders) expect(text.split(`Order ${id} is confirmed`).length - 1, id).toBe(1);
  // Deliveries to notifications: every event handed over twice, one notification each, and the
  // other half turned away by the inbox (the relay may still be handing over the last copy)
  const body = wb.getByRole('region', { name: 'Response' }).getByLabel('Response body');
  const deliveries = async () => {
    await wb.getByRole('button', { name: 'Deliveries to notifications', exact: true }).click();
    await wb.getByRole('button', { name: 'Send' }).click();
    await page.waitForTimeout(400);
    return JSON.parse((await body.textContent()) ?? 'null') as Record<string, number> | null;
  };
  await expect.poll(deliveries, { timeout: 10_000 }).toEqual({ delivered: 2 * orders.length, notified: orders.length, ignoredAsSeen: orders.length });
});
