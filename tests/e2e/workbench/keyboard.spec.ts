import { expect, test } from '../fixtures.ts';
import { chapter, openEditor, workbench } from './helpers.ts';

test('the files tree follows the ARIA tree pattern', async ({ page }) => {
  await page.goto(chapter);
  const tree = workbench(page).getByRole('tree', { name: 'Files' });
  const item = (name: string) => tree.getByRole('treeitem', { name, exact: true });

  await item('src/shop.ts').focus();
  await expect(item('src/shop.ts')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(item('test')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(item('test')).toHaveAttribute('aria-expanded', 'false');
  await expect(item('test/shop.test.ts')).toBeHidden();
  await page.keyboard.press('ArrowRight');
  await expect(item('test/shop.test.ts')).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(item('test/contract.test.ts')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(item('test')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(tree.getByRole('treeitem').first()).toBeFocused();
  await page.keyboard.press('End');
  await expect(tree.getByRole('treeitem').last()).toBeFocused();

  // Enter opens a file in a tab of its own (and loads the editor).
  await item('test/shop.test.ts').focus();
  await page.keyboard.press('Enter');
  const tab = workbench(page).getByRole('tab', { name: 'shop.test.ts', selected: true });
  await expect(tab).toBeVisible({ timeout: 15_000 });
  await expect(item('test/shop.test.ts')).toHaveAttribute('aria-selected', 'true');
  // Delete on a tab closes it, back to the file before.
  await tab.focus();
  await page.keyboard.press('Delete');
  await expect(workbench(page).getByRole('tab', { name: 'shop.test.ts' })).toHaveCount(0);
  await expect(workbench(page).getByRole('tab', { name: 'shop.ts', selected: true })).toBeVisible();
});

test('the splitter resizes the panes from the keyboard and remembers it', async ({ page }) => {
  await page.goto(chapter);
  const splitter = workbench(page).getByRole('separator', { name: 'Resize the code and output panes' });
  const before = Number(await splitter.getAttribute('aria-valuenow'));
  await splitter.focus();
  await page.keyboard.press('ArrowRight');
  await expect(splitter).toHaveAttribute('aria-valuenow', String(before + 5));
  await page.keyboard.press('Home');
  await expect(splitter).toHaveAttribute('aria-valuenow', '25');
  await page.reload();
  await expect(workbench(page).getByRole('separator', { name: 'Resize the code and output panes' })).toHaveAttribute('aria-valuenow', '25');
});

test('on a phone the workbench shows one pane at a time, chosen with tabs', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto(chapter);
  const wb = workbench(page);
  const views = wb.getByRole('tablist', { name: 'Workbench view' });
  await expect(wb.getByRole('tree', { name: 'Files' })).toBeVisible();
  await expect(wb.getByRole('region', { name: 'Output' })).toBeHidden();
  await views.getByRole('tab', { name: 'Output' }).click();
  await expect(wb.getByRole('region', { name: 'Output' })).toBeVisible();
  await expect(wb.getByRole('tree', { name: 'Files' })).toBeHidden();
  await page.keyboard.press('ArrowRight');
  await expect(views.getByRole('tab', { name: 'Requests', selected: true })).toBeFocused();
  await expect(wb.getByRole('button', { name: 'Send' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('keys typed in the editor stay there, even ones the page uses as shortcuts', async ({ page }) => {
  await page.goto(chapter);
  await openEditor(page);
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('// a/b ');
  await expect(workbench(page).getByRole('textbox', { name: 'Code editor' })).toBeFocused();
  await expect(workbench(page).getByText('// a/b // The whole shop')).toBeVisible();
});
