// Chapter 3, as a reader does it in the workbench: the database line before the ready line,
// an all-or-nothing reservation, then the experiment: a foreign key from payments into orders
// stops the shop from starting, and Reset files brings it back.
import { expect, test } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';
import { lineOf, openInEditor, pressRun, replaceLine, send, stageFiles } from './steps.ts';

const stage = '03-real-persistence';
const migration = 'migrations/003-payments.sql';

test('chapter 3: reserve is all or nothing; a cross-schema foreign key stops the shop', async ({ page, request }) => {
  test.setTimeout(120_000);
  const sql = (await stageFiles(request, stage))[migration]!;
  await page.goto(`/chapters/${stage}/?runtime=local`);
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });

  // Run it: a database line, then the ready line.
  await pressRun(page, 60_000);
  await expect(output).toContainText(/database opened in \d+ ms \(PGlite [^)]*migrations applied: /);
  await expect(output).toContainText(/shop ready on http:\/\/127\.0\.0\.1:\d+/);
  const mugsBefore = /"sku": "mug-blue"[^}]*"stock": (\d+)/.exec(await send(page, 'List products (stock from Postgres)'))?.[1];
  expect(mugsBefore).toBeTruthy();
  const kettles = await send(page, 'Three kettles (two in stock)');
  expect(kettles).toContain('"status": "rejected"');
  expect(kettles).toContain('"reason": "out_of_stock"');
  // The blue mug on the same order was not taken either.
  const after = await send(page, 'List products (stock from Postgres)');
  expect(/"sku": "mug-blue"[^}]*"stock": (\d+)/.exec(after)?.[1]).toBe(mugsBefore);

  // 1. The one line of 003-payments.sql gets a foreign key into the orders schema.
  await openInEditor(page, migration);
  await replaceLine(page, lineOf(sql, 'order_id     text NOT NULL,'), 'order_id     text NOT NULL REFERENCES orders.orders (id),');
  await expect(wb.getByRole('treeitem', { name: `${migration}, modified` })).toBeVisible();
  // 2. Run. 3. The shop does not start, and says why.
  await wb.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(output).toContainText('shop could not start: the migrations break the schema boundaries', { timeout: 60_000 });
  await expect(output).toContainText(
    'foreign key payments_order_id_fkey reaches from payments.payments into orders.orders: a module refers to another module\'s rows by id only, never by a foreign key into its schema',
  );
  await expect(wb.getByRole('status')).not.toHaveText('Ready');

  // 4. Reset files, and the shop starts again.
  await wb.getByRole('button', { name: 'Reset files' }).click();
  await page.getByRole('dialog', { name: 'Reset files?' }).getByRole('button', { name: 'Reset' }).click();
  await expect(wb.getByRole('treeitem', { name: migration, exact: true })).toBeVisible();
  await pressRun(page, 60_000);
});
