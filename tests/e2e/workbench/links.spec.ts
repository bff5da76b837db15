import { expect, test } from '../fixtures.ts';
import { chapter, editShop, editedLine, workbench } from './helpers.ts';

test('a deep link opens the file, highlights the lines and scrolls the workbench into view', async ({ page }) => {
  await page.goto(`${chapter}?file=test/shop.test.ts&lines=2-4`);
  const wb = workbench(page);
  await expect(wb.getByRole('tab', { name: 'shop.test.ts', selected: true })).toBeVisible({ timeout: 15_000 });
  await expect(wb.getByRole('treeitem', { name: 'test/shop.test.ts', selected: true })).toBeVisible();
  await expect(wb.getByText('Showing test/shop.test.ts lines 2–4.')).toBeVisible();
  await expect(wb.getByRole('textbox', { name: 'Code editor' })).toBeFocused();
  await expect(wb).toBeInViewport();
});

test('a deep link to a line of src/shop.ts selects that line in the editor', async ({ page }) => {
  await page.goto(`${chapter}?file=src/shop.ts&lines=14`);
  const wb = workbench(page);
  await expect(wb.getByText('Showing src/shop.ts line 14.')).toBeVisible({ timeout: 15_000 });
  // Typing replaces the selection: line 14 (and only it) becomes the typed text.
  await page.keyboard.insertText('// line fourteen was here');
  await expect(wb.getByText('// line fourteen was here')).toBeVisible();
  await expect(wb.getByText('type Product = {')).toHaveCount(0);
  await expect(wb.getByText('type OrderStatus =')).toBeVisible();
});

test('a share link carries the edits to a fresh browser, which loads them only when asked', async ({ page, browser }) => {
  // two browsers, each loading the editor from an empty cache: 15-20 s on a quiet machine
  test.setTimeout(90_000);
  await page.goto(chapter);
  await editShop(page);
  await workbench(page).getByRole('button', { name: 'Share' }).click();
  const link = await workbench(page).getByRole('textbox', { name: 'Share link' }).inputValue();
  expect(link).toMatch(/#edits=[A-Za-z0-9_-]+$/);

  const other = await browser.newContext();
  try {
    const fresh = await other.newPage();
    // The reader there has edits of their own, which the link must not silently replace.
    await fresh.goto(chapter);
    await fresh.evaluate(() => localStorage.setItem('workbench:edits:01-single-file', JSON.stringify({ v: 1, files: { 'package.json': '{"mine": true}\n' }, savedAt: 0 })));
    await fresh.goto('about:blank');
    await fresh.goto(link);
    const wb = workbench(fresh);
    await expect(wb.getByText(/This link carries edits to src\/shop\.ts\. Loading them replaces your own edits \(package\.json\)/)).toBeVisible({ timeout: 15_000 });
    await expect(wb.getByRole('treeitem', { name: 'package.json, modified' })).toBeVisible();

    await wb.getByRole('button', { name: 'Load shared edits' }).click();
    await expect(wb.getByRole('treeitem', { name: 'src/shop.ts, modified' })).toBeVisible();
    await expect(wb.getByRole('treeitem', { name: 'package.json', exact: true })).toBeVisible();
    // the editor shows them once Monaco has loaded, which in a fresh browser takes seconds
    await expect(wb.getByText(editedLine)).toBeVisible({ timeout: 15_000 });
    expect(fresh.url()).not.toContain('#edits=');

    // Undo brings the reader's own edits back.
    await wb.getByRole('button', { name: 'Undo' }).click();
    await expect(wb.getByRole('treeitem', { name: 'package.json, modified' })).toBeVisible();
    await expect(wb.getByRole('treeitem', { name: 'src/shop.ts', exact: true })).toBeVisible();

    // Pasting the link into the open chapter (only the hash changes) offers it again.
    await fresh.goto(link);
    await expect(wb.getByRole('button', { name: 'Load shared edits' })).toBeVisible();
  } finally {
    await other.close();
  }
});
