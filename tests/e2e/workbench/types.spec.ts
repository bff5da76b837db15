// The editor's type checking through the real page: a stage as shipped shows no problem (its
// packages' real declarations resolve, solutions are left out), and a wrong line still shows
// exactly one. Every stage is checked the same way in Node by
// site/workbench/types/editor-check.test.ts (the editor's own TypeScript worker, models and
// declarations, a second each); here two stages go through the browser end to end: 07, the
// first with a package of its own (cockatiel), and 12, the one with the most (pg, mqtt, jose,
// OpenTelemetry). Each costs a page, Monaco and a full check, about 7 s.
import { expect, test, type Locator, type Page } from '../fixtures.ts';
import { chapter, workbench } from './helpers.ts';

// Every stage's chapter has the stage's name (chapters/07-surviving-the-network.mdx).
const stages = ['07-surviving-the-network', '12-running-it-for-real'];

const problemsOf = (page: Page) => workbench(page).getByRole('list', { name: /^Problems/, includeHidden: true });
const problemItems = (problems: Locator) => problems.getByRole('listitem', { includeHidden: true });

/** The checker marks the list busy until every file's errors are in: no guessing with sleeps. */
async function checked(page: Page, timeout = 60_000): Promise<Locator> {
  const problems = problemsOf(page);
  await expect(problems).toHaveAttribute('aria-busy', 'false', { timeout });
  return problems;
}

/** Opens a file from the tree and waits until it is the editor's file. */
async function openFile(page: Page, path: string): Promise<void> {
  const wb = workbench(page);
  await wb.getByRole('treeitem', { name: path, exact: true }).click();
  await expect(wb.getByRole('tablist', { name: 'Open files' }).getByRole('tab', { selected: true })).toHaveAttribute('title', path);
}

/** Stage source files that import a package or another file: the ones whose imports must resolve. */
async function importingSources(page: Page, stage: string): Promise<string[]> {
  const { files } = (await (await page.request.get(`/runtime/files/${stage}.json`)).json()) as { files: Record<string, string> };
  return Object.keys(files).filter((path) => /^src\/.*\.ts$/.test(path) && /^\s*import\s[^;]*?from\s+['"]/m.test(files[path] ?? ''));
}

for (const stage of stages) {
  test(`stage ${stage} as shipped has no type errors, and a planted one shows`, async ({ page }) => {
    test.setTimeout(150_000);
    await page.goto(`/chapters/${stage}/?file=exercise/check.ts&lines=1`);
    await expect(workbench(page).getByText('Showing exercise/check.ts line 1.')).toBeVisible({ timeout: 20_000 });
    const sources = await importingSources(page, stage);
    expect(sources.length).toBeGreaterThan(0);
    // The checker covers every file of the stage, open or not (tests, exercise/check.ts, every
    // src/ file): opening one that imports others is enough, and keeps this test short.
    const last = sources.at(-1)!;
    await openFile(page, last);

    const problems = await checked(page);
    await expect(problemItems(problems), `problems: ${await problems.textContent()}`).toHaveCount(0);
    await expect(problems).toBeHidden();

    // The checker is really on: one wrong line at the end of the open file is exactly one error.
    await workbench(page).getByRole('textbox', { name: 'Code editor' }).focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText("\nexport const planted: number = 'x';\n");
    await expect(problems).toBeVisible({ timeout: 20_000 });
    await checked(page);
    await expect(problemItems(problems)).toHaveCount(1);
    await expect(problems).toContainText(`${last}:`);
    await expect(problems).toContainText("Type 'string' is not assignable to type 'number'.");
    await expect(problems).toHaveAccessibleName('Problems: 1 type error');
  });
}

test('breaking an interface shows a type error in the editor', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(`${chapter}?file=src/shop.ts&lines=13`);
  const wb = workbench(page);
  await expect(wb.getByText('Showing src/shop.ts line 13.')).toBeVisible({ timeout: 15_000 });
  // The stage as shipped type-checks, Node's modules included (node:http resolves).
  const problems = await checked(page);
  await expect(problems).toBeHidden();

  // Line 13 is `type Product = {...; stock: number }`: drop `stock` and its users break.
  await page.keyboard.insertText('type Product = { sku: string; name: string; priceCents: number };');
  await expect(problems).toBeVisible({ timeout: 30_000 });
  await expect(problems).toContainText("Property 'stock' does not exist on type 'Product'");
  await expect(problems).toHaveAccessibleName(/Problems: \d+ type errors?/);

  // A problem is a button that takes the cursor to it.
  await problems.getByRole('button').first().click();
  await expect(wb.getByRole('textbox', { name: 'Code editor' })).toBeFocused();
});
