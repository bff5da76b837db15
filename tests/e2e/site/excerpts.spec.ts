import { readFileSync } from 'node:fs';
import { expect, test } from '../fixtures.ts';
import { extractRegion } from '../../../site/lib/regions.ts';

const shop = readFileSync(new URL('../../../examples/01-single-file/src/shop.ts', import.meta.url), 'utf8');

test('chapter 1 shows regions of the real stage-1 file, highlighted', async ({ page }) => {
  await page.goto('/chapters/01-single-file/');
  const excerpts = page.getByRole('figure');
  expect(await excerpts.count()).toBeGreaterThanOrEqual(3);
  const placeOrder = page.locator('figure[data-region="place-order"]');
  await expect(placeOrder).toHaveCount(1);
  const region = extractRegion(shop, 'place-order');
  // The rendered code is the file's region line for line, not a copy that could drift.
  const rendered = await placeOrder.locator('pre').innerText();
  expect(rendered.trimEnd()).toBe(region.code.trimEnd());
  await expect(placeOrder.getByRole('link', { name: 'src/shop.ts' })).toHaveAttribute('href', '/stages/01-single-file/#file-src-shop-ts');
  await expect(placeOrder.locator('pre span[class*=" d"]').first()).toBeAttached();
});
