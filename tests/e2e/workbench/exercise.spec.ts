// The exercise in the workbench: Check runs the stage's own check on the reader's files (Local
// runtime), the solution waits behind a confirmation, and the Files tree of a late stage shows
// its code first, its tests folded away and what the stage changed marked.
import { expect, test } from '../fixtures.ts';
import { workbench } from './helpers.ts';

const chapter07 = '/chapters/07-surviving-the-network/';
const chapter10 = '/chapters/10-scaling-out/';
const solutionFile = 'exercise/solution/src/adapters/resilience.ts';

test('Check fails on the unchanged stage with the check’s message, and passes once the exercise is solved', async ({ page }) => {
  test.setTimeout(90_000);
  // The deep link opens the line the exercise is about, selected, in the editor.
  await page.goto(`${chapter07}?runtime=local&file=src/adapters/resilience.ts&lines=24`);
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });
  await expect(wb.getByText('Showing src/adapters/resilience.ts line 24.')).toBeVisible({ timeout: 15_000 });

  await wb.getByRole('button', { name: 'Check' }).click();
  await expect(wb.getByText(/^Check failed/)).toBeVisible({ timeout: 30_000 });
  await expect(wb.getByText(/^Check failed/)).toContainText('isRetryable says 429 Too Many Requests is not worth retrying');
  await expect(output).toContainText('✘ exercise not solved yet');

  // Solve it: retry a 429 as well as a 5xx.
  await wb.getByRole('textbox', { name: 'Code editor' }).focus();
  await page.keyboard.insertText("  if (failure.kind === 'status') return failure.status === 429 || failure.status >= 500;");
  await expect(wb.getByRole('treeitem', { name: 'src/adapters/resilience.ts, modified' })).toBeVisible();
  await wb.getByRole('button', { name: 'Check' }).click();
  await expect(wb.getByText(/^Check passed/)).toBeVisible({ timeout: 30_000 });
  await expect(wb.getByText(/^Check passed/)).toContainText('✔ exercise solved');
  await expect(output).toContainText('Check passed.');
});

test('the solution stays out of the Files tree until the reader confirms they want it', async ({ page }) => {
  await page.goto(chapter07);
  const wb = workbench(page);
  const tree = wb.getByRole('tree', { name: 'Files' });
  // The code comes first, the answer nowhere, even with the exercise folder open.
  await expect(tree.getByRole('treeitem').first()).toHaveText(/^\s*src/);
  await tree.getByRole('treeitem', { name: 'exercise', exact: true }).click();
  await expect(tree.getByRole('treeitem', { name: 'exercise/check.ts', exact: true })).toBeVisible();
  await expect(tree.getByRole('treeitem', { name: solutionFile, exact: true })).toHaveCount(0);

  await wb.getByRole('button', { name: 'Solution' }).click();
  const dialog = page.getByRole('dialog', { name: 'Show the solution?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Not yet' }).click();
  await expect(dialog).toBeHidden();
  await expect(tree.getByRole('treeitem', { name: solutionFile, exact: true })).toHaveCount(0);

  await wb.getByRole('button', { name: 'Solution' }).click();
  await dialog.getByRole('button', { name: 'Show solution' }).click();
  await expect(tree.getByRole('treeitem', { name: solutionFile, exact: true })).toBeVisible();
  // Asked once, shown on the next visit too, until hidden again.
  await page.reload();
  await expect(tree.getByRole('treeitem', { name: solutionFile, exact: true })).toBeVisible();
  await wb.getByRole('button', { name: 'Hide solution' }).click();
  await expect(tree.getByRole('treeitem', { name: solutionFile, exact: true })).toHaveCount(0);
});

test('a deep link to a file of the solution opens it and shows where it is in the tree, for that visit only', async ({ page }) => {
  await page.goto(`${chapter07}?file=${solutionFile}&lines=1`);
  const wb = workbench(page);
  const tree = wb.getByRole('tree', { name: 'Files' });
  await expect(wb.getByText(`Showing ${solutionFile} line 1.`)).toBeVisible({ timeout: 15_000 });
  await expect(tree.getByRole('treeitem', { name: solutionFile, exact: true })).toBeVisible();
  await expect(tree.getByRole('treeitem', { name: solutionFile, exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(wb.getByRole('button', { name: 'Hide solution' })).toBeVisible();
  // Following a link is not the reader's choice to see the solution from now on.
  await page.goto(chapter07);
  await expect(tree.getByRole('treeitem', { name: 'src', exact: true })).toBeVisible();
  await expect(tree.getByRole('treeitem', { name: solutionFile, exact: true })).toHaveCount(0);
});

test('stage 10’s tree folds its tests away and marks the files the stage changed', async ({ page }) => {
  await page.goto(chapter10);
  const tree = workbench(page).getByRole('tree', { name: 'Files' });
  const item = (name: string) => tree.getByRole('treeitem', { name, exact: true });

  await expect(item('test')).toHaveAttribute('aria-expanded', 'false');
  await expect(item('test/load-balancer.test.ts')).toBeHidden();
  await expect(item('exercise')).toHaveAttribute('aria-expanded', 'false');
  await expect(item('src')).toHaveAttribute('aria-expanded', 'true');

  // Changed since stage 9: marked, named by its path as ever, described as changed.
  await expect(item('src/adapters/load-balancer.ts')).toBeVisible();
  await expect(item('src/adapters/load-balancer.ts')).toHaveAccessibleDescription('changed in this stage');
  await expect(item('src/adapters/resilience.ts')).toHaveAccessibleDescription('');
  await expect(item('test')).toHaveAccessibleDescription(/\d+ files changed in this stage/);

  // Typing a letter still finds a marked file by its name.
  await item('src/adapters/http.ts').focus();
  await page.keyboard.press('l');
  await expect(item('src/adapters/load-balancer.ts')).toBeFocused();

  // The folded folder opens from the keyboard, as the tree pattern says.
  await item('test').focus();
  await page.keyboard.press('ArrowRight');
  await expect(item('test')).toHaveAttribute('aria-expanded', 'true');
  await expect(item('test/load-balancer.test.ts')).toBeVisible();
  await expect(item('test/load-balancer.test.ts')).toHaveAccessibleDescription('changed in this stage');
});
