// The search form's own page, where the header's form goes without its script.
import { expect, test } from '../fixtures.ts';

test('/search/?q=saga answers 200 and lists the chapters that match', async ({ page }) => {
  const response = await page.goto('/search/?q=saga');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Search' })).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Words to find in the chapters' })).toHaveValue('saga');
  await expect(page.getByRole('status').filter({ hasText: /for “saga”/ })).toContainText(/\d+ results? for “saga”/);
  await expect(page.getByRole('list', { name: 'Search results' }).getByRole('link', { name: /saga/i }).first()).toBeVisible();
});

test('without JavaScript, /search/ says why and lists every chapter', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.goto('/search/?q=saga');
  expect(response?.status()).toBe(200);
  await expect(page.getByText(/needs JavaScript/)).toBeVisible();
  const chapters = page.getByRole('list', { name: 'All chapters' }).getByRole('link');
  expect(await chapters.count()).toBeGreaterThanOrEqual(13);
  await expect(chapters.filter({ hasText: /saga/i }).first()).toBeVisible();
  await context.close();
});

test('the header search form without its script lands on a page that works', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Search the chapters' }).fill('outbox');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/search\/\?q=outbox/);
  await expect(page.getByRole('heading', { level: 1, name: 'Search' })).toBeVisible();
  await context.close();
});
