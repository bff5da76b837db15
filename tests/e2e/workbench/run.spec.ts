import { expect, test } from '../fixtures.ts';
import { editShop, editedLine, openEditor, runUntilReady, withLocalRuntime, workbench } from './helpers.ts';

test('Run starts the stage: the status reaches Ready and the Output shows its ready line', async ({ page }) => {
  await page.goto(withLocalRuntime);
  const wb = workbench(page);
  await expect(wb.getByRole('button', { name: 'Stop' })).toBeDisabled();
  await runUntilReady(page);
  await expect(wb.getByRole('region', { name: 'Output' })).toContainText(/ready on http:\/\/127\.0\.0\.1:\d+/);
  await expect(wb.getByRole('button', { name: 'Stop' })).toBeEnabled();

  await wb.getByRole('button', { name: 'Stop' }).click();
  await expect(wb.getByRole('status')).toHaveText('Stopped', { timeout: 10_000 });
  await expect(wb.getByRole('button', { name: 'Stop' })).toBeDisabled();
});

test('an edit made in the editor changes what the stage prints', async ({ page }) => {
  await page.goto(withLocalRuntime);
  await editShop(page);
  await runUntilReady(page);
  const output = workbench(page).getByRole('region', { name: 'Output' });
  await expect(output).toContainText('edited in the workbench');
  await expect(output).toContainText(/ready on http:\/\/127\.0\.0\.1:\d+/);
  expect(editedLine).toContain('edited in the workbench');
});

test('Ctrl+Enter runs, from the files tree and from the editor', async ({ page }) => {
  await page.goto(withLocalRuntime);
  const wb = workbench(page);
  await wb.getByRole('treeitem', { name: 'src/shop.ts', exact: true }).focus();
  await page.keyboard.press('Control+Enter');
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 20_000 });

  await wb.getByRole('button', { name: 'Stop' }).click();
  await expect(wb.getByRole('status')).toHaveText('Stopped', { timeout: 10_000 });
  await openEditor(page);
  await page.keyboard.press('Control+Enter');
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 20_000 });
});

test('a stage that fails to start says so and how to go on', async ({ page }) => {
  await page.goto(withLocalRuntime);
  await openEditor(page);
  await page.keyboard.press('Control+Home');
  await page.keyboard.insertText("throw new Error('broken on purpose');\n");
  const wb = workbench(page);
  await wb.getByRole('button', { name: 'Run' }).click();
  await expect(wb.getByRole('status')).toContainText(/error|exited/i, { timeout: 20_000 });
  await expect(wb.getByRole('region', { name: 'Output' })).toContainText('broken on purpose');
});
