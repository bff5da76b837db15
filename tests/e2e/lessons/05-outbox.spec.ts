// Chapter 5's experiment A, as a reader does it in the workbench: crash the shop between the
// commit and the publish, run it again, and the outbox delivers the event that was in flight.
import { expect, test, type Page } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';

const stage = '05-events-and-outbox';
const switchLine = "crashAfterCommit: process.env.CRASH_AFTER_COMMIT === '1',";

/** Replaces the whole of line `line` (1-based) of the open file, keeping its indentation. */
async function replaceLine(page: Page, line: number, text: string): Promise<void> {
  await page.keyboard.press('Control+g');
  await page.keyboard.insertText(String(line));
  await page.keyboard.press('Enter');
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.insertText(text);
}

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
  await expect(output).toContainText(/email to ada: Order ord_\w+ is confirmed/, { timeout: 10_000 });
  await wb.getByRole('button', { name: 'What ada was told', exact: true }).click();
  await wb.getByRole('button', { name: 'Send' }).click();
  await expect(response).toContainText('order_confirmed');
});
