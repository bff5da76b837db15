import { expect, test } from '../fixtures.ts';

test('search finds a chapter by a word in its prose, from the keyboard alone', async ({ page }) => {
  await page.goto('/');
  const box = page.getByRole('searchbox', { name: 'Search the chapters' });
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await page.keyboard.type('idempotency');
  const results = page.locator('#search-results');
  await expect(page.getByRole('status').filter({ hasText: /result/ })).toContainText('for “idempotency”');
  await expect(results.getByRole('link', { name: 'One file' })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(results.getByRole('link').first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/chapters\/\d\d-[a-z-]+\//);
});

test('search says so when nothing matches', async ({ page }) => {
  await page.goto('/chapters/00-how-to-use/');
  await page.getByRole('searchbox', { name: 'Search the chapters' }).fill('zzqxjv');
  await expect(page.getByRole('status').filter({ hasText: 'Nothing found' })).toBeVisible();
});
