import { expect, test } from '../fixtures.ts';

test('every chapter heading has a link to itself', async ({ page }) => {
  await page.goto('/chapters/01-single-file/');
  const headings = page.locator('article h2[id], article h3[id]').filter({ hasNot: page.locator('#goals-heading') });
  const ids = await headings.evaluateAll((els) => els.map((e) => e.id).filter((id) => id !== 'goals-heading'));
  expect(ids.length).toBeGreaterThanOrEqual(5);
  for (const id of ids) {
    const text = (await page.locator(`#${id}`).innerText()).trim();
    await expect(page.getByRole('link', { name: `Link to the section “${text}”` })).toHaveAttribute('href', `#${id}`);
  }
  // The anchor is beside the heading, so the heading's own name stays clean.
  await expect(page.getByRole('heading', { name: 'Run it', exact: true })).toBeVisible();
});

test('the print view keeps the prose and drops the controls', async ({ page }) => {
  await page.goto('/chapters/01-single-file/');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('figure[data-region="place-order"]')).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Search the chapters' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Dark theme' })).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'On this page' })).toBeHidden();
  // Printing opens the folded solution and notes so the copy on paper is complete.
  await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
  await expect(page.getByText('Common slip')).toBeVisible();
});

test('instructor notes are folded for readers', async ({ page }) => {
  await page.goto('/chapters/01-single-file/');
  await expect(page.getByText('Common slip')).toBeHidden();
  await page.getByText('Instructor notes').click();
  await expect(page.getByText('Common slip')).toBeVisible();
});

test('the exercises page lists each exercise with its check and links to it', async ({ page }) => {
  await page.goto('/exercises/');
  const row = page.getByRole('row', { name: /One file/ });
  await expect(row).toContainText('npm run check:exercise');
  await expect(row).toContainText('bulk discount');
  await row.getByRole('link', { name: /One file/ }).click();
  await expect(page).toHaveURL(/#exercise-/);
  await expect(page.getByRole('heading', { name: /^Exercise/ })).toBeInViewport();
});
