import { expect, test } from '../fixtures.ts';
import { pair } from './helpers.ts';

test('a chapter links to what changed since the stage before it; the first stage’s chapter does not', async ({ page }) => {
  await page.goto('/chapters/02-ports-and-adapters/');
  await page.getByRole('link', { name: 'What changed since stage 01' }).click();
  await expect(page).toHaveURL(pair);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What changed from stage 01 to stage 02');

  await page.goto('/chapters/01-single-file/');
  await expect(page.getByRole('link', { name: /What changed since/ })).toHaveCount(0);
});

test('the file list shows each file that differs with its line counts', async ({ page }) => {
  await page.goto(pair);
  const files = page.getByRole('table', { name: /files differ/ });
  const row = files.getByRole('row', { name: /package\.json/ });
  await expect(row.getByRole('cell')).toHaveText(['changed', /^\+[1-9]\d*$/, /^−[1-9]\d*$/]);
  await expect(files.getByRole('row', { name: /src\/main\.ts/ }).getByRole('cell').first()).toHaveText('added');
  await expect(files.getByRole('row', { name: /src\/shop\.ts/ }).getByRole('cell').first()).toHaveText('removed');
});

test('opening a file loads the diff editor with both versions', async ({ page }) => {
  await page.goto(pair);
  await page.getByRole('table', { name: /files differ/ }).getByRole('link', { name: 'package.json' }).click();
  await expect(page.getByRole('textbox', { name: 'package.json, Stage 02 (after)' })).toBeAttached({ timeout: 15_000 });
  await expect(page.getByRole('textbox', { name: 'package.json, Stage 01 (before)' })).toBeAttached();
  await expect(page.locator('.monaco-diff-editor')).toBeVisible();
});

test('the picker goes to the page of any two stages, earlier stage first', async ({ page }) => {
  await page.goto(pair);
  await page.getByRole('combobox', { name: 'From' }).selectOption('03-real-persistence');
  await page.getByRole('combobox', { name: 'To' }).selectOption('01-single-file');
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL('/compare/01-single-file/03-real-persistence/');
  // A wider pair sends each file to the steps that changed it for its text.
  await page.getByRole('table', { name: /files differ/ }).getByRole('link', { name: 'package.json' }).click();
  await expect(page.getByRole('link', { name: 'stage 01 → 02' }).first()).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a file’s diff is there as text', async ({ page }) => {
    await page.goto(pair);
    await page.getByText('package.json changed, +').click();
    const text = page.locator('#file-package-json pre');
    await expect(text).toBeVisible();
    await expect(text).toContainText('--- a/package.json');
    await expect(text).toContainText(/^\+\s+"name": "@shop\/02-ports-and-adapters"/m);
  });
});
