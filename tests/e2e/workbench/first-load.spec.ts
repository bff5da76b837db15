import { gzipSync } from 'node:zlib';
import { expect, test } from '../fixtures.ts';
import { chapter, workbench } from './helpers.ts';

// The chapter page's first load carries no editor and no runtime, and little JavaScript
// (budget: 60 KB gzipped); the editor arrives when the reader reaches for the code.
test('a chapter page loads no editor or runtime code until the reader interacts', async ({ page }) => {
  const urls: string[] = [];
  const sizes: Promise<number>[] = [];
  let firstLoad = true;
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    urls.push(response.url());
    if (firstLoad) sizes.push(response.body().then((body) => gzipSync(body).length));
  });
  await page.goto(chapter, { waitUntil: 'networkidle' });
  firstLoad = false;
  const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent ?? ''));
  const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0) + inline.reduce((a, code) => a + gzipSync(code).length, 0);
  // "/load." is the runtime loader's chunk; Vite's "preload-helper" chunk (shared by every page
  // script that lazy-loads, two of them since the compare page) is neither editor nor runtime.
  expect(urls.filter((url) => /editor|monaco|session|\/load\.|local|webcontainer|worker/i.test(url))).toEqual([]);
  expect(total).toBeLessThan(60 * 1024);

  const before = urls.length;
  await workbench(page).getByRole('tabpanel', { name: 'shop.ts' }).click();
  await expect(workbench(page).getByRole('textbox', { name: 'Code editor' })).toBeFocused({ timeout: 15_000 });
  expect(urls.slice(before).some((url) => /editor/.test(url))).toBe(true);
});
