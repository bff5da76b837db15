import { expect, test } from '@playwright/test';
import { chapter, workbench } from './helpers.ts';

test('breaking an interface shows a type error in the editor', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(`${chapter}?file=src/shop.ts&lines=13`);
  const wb = workbench(page);
  await expect(wb.getByText('Showing src/shop.ts line 13.')).toBeVisible({ timeout: 15_000 });
  const problems = wb.getByRole('list', { name: /^Problems/ });
  // The stage as shipped type-checks, Node's modules included (node:http resolves).
  await page.waitForTimeout(3000);
  await expect(problems).toBeHidden();

  // Line 13 is `type Product = {...; stock: number }`: drop `stock` and its users break.
  await page.keyboard.insertText('type Product = { sku: string; name: string; priceCents: number };');
  await expect(problems).toBeVisible({ timeout: 30_000 });
  await expect(problems).toContainText("Property 'stock' does not exist on type 'Product'");
  await expect(problems).toHaveAccessibleName(/Problems: \d+ type errors?/);

  // A problem is a button that takes the cursor to it.
  await problems.getByRole('button').first().click();
  await expect(wb.getByRole('textbox', { name: 'Code editor' })).toBeFocused();
});
