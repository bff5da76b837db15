import { expect, test } from '@playwright/test';

test('a chapter links to what changed since the previous stage; the page lists files with counts and diffs', async ({ page }) => {
  await page.goto('/chapters/05-events-and-outbox/');
  await page.getByRole('link', { name: 'What changed since stage 4' }).click();
  await expect(page).toHaveURL(/\/compare\/04-modular-monolith\/05-events-and-outbox\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What changed from stage 4 to stage 5');

  const files = page.getByRole('table');
  const relay = files.getByRole('row', { name: /src\/modules\/orders\/relay\.ts/ });
  await expect(relay.getByRole('cell').first()).toHaveText('new');
  await expect(relay.getByRole('cell').nth(1)).toHaveText(/^\+\d+$/);
  const service = files.getByRole('row', { name: /src\/modules\/orders\/service\.ts/ });
  await expect(service.getByRole('cell').first()).toHaveText('changed');

  // The text diff is there without any script: a line the outbox added to the orders table code.
  const section = page.getByRole('region', { name: /src\/modules\/orders\/relay\.ts/ }).first();
  await expect(section.getByText('+++ b/src/modules/orders/relay.ts')).toBeAttached();
});

test('"Side by side" opens Monaco\'s diff editor with both versions of the file', async ({ page }) => {
  await page.goto('/compare/04-modular-monolith/05-events-and-outbox/');
  const button = page.getByRole('button', { name: 'Side by side: src/app.ts' });
  await button.click();
  const view = page.getByRole('region', { name: 'Side by side: src/app.ts' });
  await expect(view.locator('.monaco-diff-editor')).toBeVisible({ timeout: 15_000 });
  // Stage 5's app.ts creates the event bus; stage 4's does not.
  await expect(view.locator('.modified-in-monaco-diff-editor, .editor.modified').getByText('EventBus').first()).toBeVisible();
  await expect(button).toBeHidden();
});

test('the compare index lists every step, and chapter 1 has no previous stage to compare with', async ({ page }) => {
  await page.goto('/compare/');
  await expect(page.getByRole('link', { name: 'Stage 1 → stage 2' })).toBeVisible();
  await page.getByRole('link', { name: 'Stage 5 → stage 6' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What changed from stage 5 to stage 6');
  await page.goto('/chapters/01-single-file/');
  await expect(page.getByRole('link', { name: /What changed since/ })).toHaveCount(0);
});
