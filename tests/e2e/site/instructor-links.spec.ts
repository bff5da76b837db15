// The README's "For instructors" table promises link forms; every address it shows must work.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '../fixtures.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const table = readme.slice(readme.indexOf('**Linking into a lesson.**'), readme.indexOf('**A class without internet.**'));
/** Every site address written in the table, e.g. `/chapters/01-single-file/?file=src/shop.ts&lines=13`. */
const addresses = [...table.matchAll(/`(\/[^`\s]*)`/g)].map((match) => match[1]!);

const workbench = (page: Page) => page.getByRole('region', { name: 'Workbench' });

async function expectLinkWorks(page: Page, address: string): Promise<void> {
  // From a blank page, so that an address differing only in its #hash is a real load too.
  await page.goto('about:blank');
  const response = await page.goto(address);
  expect(response?.status(), address).toBe(200);
  const url = new URL(address, 'http://site');
  if (url.hash) await expect(page.locator(`[id="${decodeURIComponent(url.hash.slice(1))}"]`), address).toBeInViewport();
  const file = url.searchParams.get('file');
  if (file) {
    const lines = url.searchParams.get('lines');
    const shown = lines ? `Showing ${file} ${lines.includes('-') ? `lines ${lines.replace('-', '–')}` : `line ${lines}`}.` : undefined;
    if (shown) await expect(workbench(page).getByText(shown), address).toBeVisible({ timeout: 15_000 });
    await expect(workbench(page).getByRole('treeitem', { name: file, selected: true }), address).toBeVisible({ timeout: 15_000 });
  }
}

test('every address in the instructors’ table opens what it says', async ({ page }) => {
  expect(addresses.length).toBeGreaterThanOrEqual(6);
  for (const address of addresses) await expectLinkWorks(page, address);
});

test('a file link takes a range, works without lines, and combines with a runtime choice', async ({ page }) => {
  for (const address of [
    '/chapters/01-single-file/?file=src/shop.ts&lines=10-20',
    '/chapters/01-single-file/?file=package.json',
    '/chapters/01-single-file/?runtime=local&file=src/shop.ts&lines=13',
  ]) {
    await expectLinkWorks(page, address);
  }
});
