// The compare page on a phone (390 px wide): nothing pushes the page sideways, even with every
// file's diff unfolded, and the changed code heads the file table.
import { expect, test } from '../fixtures.ts';

test.use({ viewport: { width: 390, height: 844 } });

for (const path of ['/compare/06-extract-payments/07-surviving-the-network/', '/compare/01-single-file/13-grpc-contracts/', '/compare/12-running-it-for-real/13-grpc-contracts/']) {
  test(`${path} has no horizontal overflow at 390 px`, async ({ page }) => {
    await page.goto(path);
    const files = page.getByRole('table').filter({ hasText: /files? differ/ });
    await expect(files).toBeVisible();
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    // The file table fits too, rather than scrolling inside itself.
    expect(await files.evaluate((table) => table.scrollWidth - table.clientWidth)).toBeLessThanOrEqual(1);
  });
}

test('the file table lists the code that changed before tests, the exercise and dotfiles', async ({ page }) => {
  // Stage 5 adds a .gitignore and changes code, tests and the exercise.
  await page.goto('/compare/04-modular-monolith/05-events-and-outbox/');
  const rows = page.getByRole('table').filter({ hasText: /files? differ/ }).getByRole('rowheader');
  const paths = (await rows.allTextContents()).map((text) => text.trim());
  expect(paths[0]).toMatch(/^(src|migrations)\//);
  const last = (prefix: RegExp) => paths.findLastIndex((p) => prefix.test(p));
  const first = (prefix: RegExp) => paths.findIndex((p) => prefix.test(p));
  for (const prefix of [/^test\//, /^exercise\//, /^\./]) expect(first(prefix), `a file matching ${prefix}`).toBeGreaterThan(0);
  expect(last(/^(src|migrations)\//)).toBeLessThan(first(/^test\//));
  expect(last(/^test\//)).toBeLessThan(first(/^exercise\//));
  expect(last(/^exercise\//)).toBeLessThan(first(/^\./));
});
