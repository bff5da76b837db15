import { expect, test } from '../fixtures.ts';
import { chapter, editShop, editedLine, workbench } from './helpers.ts';

test('an edit survives a reload and is marked in the files tree', async ({ page }) => {
  await page.goto(chapter);
  await editShop(page);
  await page.reload();
  const wb = workbench(page);
  await expect(wb.getByRole('treeitem', { name: 'src/shop.ts, modified' })).toBeVisible();
  // Before the editor loads, the code pane already shows the saved text...
  await expect(wb.getByText(editedLine)).toBeVisible();
  // ...and the editor opens on it.
  await wb.getByRole('tabpanel', { name: 'shop.ts' }).click();
  await expect(wb.getByRole('textbox', { name: 'Code editor' })).toBeFocused({ timeout: 15_000 });
  await expect(wb.getByText(editedLine)).toBeVisible();
});

test('the other chapter on the same stage sees the same edits', async ({ page }) => {
  await page.goto(chapter);
  await editShop(page);
  await page.goto('/chapters/00-how-to-use/');
  await expect(workbench(page).getByRole('treeitem', { name: 'src/shop.ts, modified' })).toBeVisible();
});

test('Reset files asks first, brings back the originals, and can be undone', async ({ page }) => {
  await page.goto(chapter);
  await editShop(page);
  const wb = workbench(page);

  await wb.getByRole('button', { name: 'Reset files' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset files?' });
  await expect(dialog).toContainText('src/shop.ts');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(wb.getByRole('treeitem', { name: 'src/shop.ts, modified' })).toBeVisible();

  await wb.getByRole('button', { name: 'Reset files' }).click();
  await dialog.getByRole('button', { name: 'Reset' }).click();
  await expect(wb.getByRole('treeitem', { name: 'src/shop.ts', exact: true })).toBeVisible();
  await expect(wb.getByText(editedLine)).toHaveCount(0);

  await wb.getByRole('button', { name: 'Undo reset' }).click();
  await expect(wb.getByRole('treeitem', { name: 'src/shop.ts, modified' })).toBeVisible();
  await expect(wb.getByText(editedLine)).toBeVisible();

  // The reset is remembered too: a reload after it shows the originals.
  await wb.getByRole('button', { name: 'Reset files' }).click();
  await dialog.getByRole('button', { name: 'Reset' }).click();
  await expect(wb.getByRole('treeitem', { name: 'src/shop.ts', exact: true })).toBeVisible();
  await page.reload();
  await expect(workbench(page).getByRole('treeitem', { name: 'src/shop.ts', exact: true })).toBeVisible();
});

test('Download saves the stage with the edits as a zip', async ({ page }) => {
  await page.goto(chapter);
  await editShop(page);
  const download = page.waitForEvent('download');
  await workbench(page).getByRole('button', { name: 'Download' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('01-single-file.zip');
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile((await file.path())!);
  expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  expect(bytes.includes(Buffer.from('01-single-file/src/shop.ts'))).toBe(true);
  expect(bytes.includes(Buffer.from(editedLine))).toBe(true);
});
