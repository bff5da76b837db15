import { expect, test } from '../fixtures.ts';

test('home lists every chapter and the whole stage path', async ({ page }) => {
  await page.goto('/');
  const chapters = page.getByRole('region', { name: 'Chapters' }).getByRole('listitem');
  await expect(chapters.first()).toBeVisible();
  await expect(page.getByRole('link', { name: /How to use this tutorial/ }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: /One file/ }).first()).toBeVisible();
  const path = page.getByRole('group', { name: 'The stages of the path' });
  await expect(path.getByRole('listitem')).toHaveCount(13);
});

test('previous and next walk through the chapters in order', async ({ page }) => {
  await page.goto('/chapters/00-how-to-use/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How to use this tutorial');
  await page.getByRole('navigation', { name: 'Chapters' }).getByRole('link', { name: /Next/ }).click();
  await expect(page).toHaveURL(/\/chapters\/01-single-file\/$/);
  await page.getByRole('navigation', { name: 'Chapters' }).getByRole('link', { name: /Previous/ }).click();
  await expect(page).toHaveURL(/\/chapters\/00-how-to-use\/$/);
});

test('the table of contents links to the headings of the chapter', async ({ page }) => {
  await page.goto('/chapters/01-single-file/');
  // On a wide screen the workbench sits beside the prose and the contents fold above it.
  const fold = page.locator('summary', { hasText: 'On this page' });
  if (await fold.isVisible()) await fold.click();
  const toc = page.getByRole('navigation', { name: 'On this page' });
  const first = toc.getByRole('link').first();
  const target = (await first.getAttribute('href'))!;
  await first.click();
  await expect(page).toHaveURL(new RegExp(`${target}$`));
  await expect(page.locator(target)).toBeInViewport();
});

test('a stage page lists its files and opens the one a link points at', async ({ page }) => {
  await page.goto('/stages/01-single-file/#file-src-shop-ts');
  await expect(page.getByRole('link', { name: 'src/shop.ts', exact: true })).toBeVisible();
  await expect(page.locator('#file-src-shop-ts')).toHaveAttribute('open', '');
  await expect(page.getByText('npm start', { exact: false }).first()).toBeVisible();
});

test('an unknown page answers 404', async ({ page }) => {
  const response = await page.goto('/chapters/99-nothing/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/not found/i);
});
