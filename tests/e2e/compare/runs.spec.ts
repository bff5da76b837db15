import { expect, test } from '../fixtures.ts';
import { numbersIn, pairWithLocalRuntime, side } from './helpers.ts';
import { scenario } from '../../../site/compare/scenario.ts';

test('Run both, then the scenario against both, then the cost of distribution', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(pairWithLocalRuntime);

  // Run both: each stage reaches Ready, and its output is its own.
  await page.getByRole('button', { name: 'Run both' }).click();
  for (const n of ['01', '02']) await expect(side(page, n).getByRole('status')).toHaveText('Ready', { timeout: 30_000 });
  await expect(page.getByRole('region', { name: 'Stage 01 output' })).toContainText(/ready on http:\/\/127\.0\.0\.1:\d+/);
  await expect(page.getByRole('region', { name: 'Stage 02 output' })).toContainText(/ready on http:\/\/127\.0\.0\.1:\d+/);
  await expect(page.getByRole('button', { name: 'Stop both' })).toBeEnabled();

  // One scenario: a row per request, with each stage's status.
  await page.getByRole('button', { name: 'Run scenario' }).click();
  const results = page.getByRole('table', { name: /^Scenario results/ });
  await expect(results).toBeVisible({ timeout: 30_000 });
  const rows = results.getByRole('row');
  await expect(rows).toHaveCount(scenario.steps.length + 1);
  for (const [i, step] of scenario.steps.entries()) {
    const row = rows.nth(i + 1);
    await expect(row.getByRole('rowheader')).toHaveText(step.label);
    const cells = row.getByRole('cell');
    // Sent, stage 01 status, stage 02 status, ...: both stages keep the contract.
    for (const column of [1, 2]) expect(step.expect).toContain(Number(await cells.nth(column).textContent()));
  }
  await expect(results.getByRole('row', { name: /An invalid order/ }).getByRole('cell').nth(3)).toContainText('ignored: error.message');

  // Measure: requests per second and processes, measured, for both stages.
  await page.getByRole('spinbutton', { name: 'Repetitions (N)' }).fill('3');
  await page.getByRole('button', { name: 'Measure' }).click();
  const cost = page.getByRole('table', { name: /^Measured: the scenario \(\d+ requests\) 3 times/ });
  await expect(cost).toBeVisible({ timeout: 60_000 });
  for (const measure of ['Requests per second', 'Processes', 'Latency, median (p50)', 'Memory (resident)']) {
    const cells = cost.getByRole('row', { name: new RegExp(`^${measure.replace(/[()]/g, '\\$&')}`) }).getByRole('cell');
    await expect(cells).toHaveCount(2);
    for (const cell of await cells.all()) expect(numbersIn((await cell.textContent()) ?? '')[0]).toBeGreaterThan(0);
  }
  await expect(cost.getByRole('row', { name: /^Requests measured/ }).getByRole('cell')).toHaveText([String(3 * scenario.steps.length), String(3 * scenario.steps.length)]);

  await page.getByRole('button', { name: 'Stop both' }).click();
  for (const n of ['01', '02']) await expect(side(page, n).getByRole('status')).toHaveText('Stopped', { timeout: 15_000 });
});
