// Chapter 4's experiment, as a reader does it in the workbench: take the shortcut past the
// inventory module's public interface, first with an import and then with a SQL join; each
// time the boundary checker stops the shop and names the file.
import { expect, test } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';
import { lineOf, openInEditor, pressRun, replaceLine, send, stageFiles } from './steps.ts';

const stage = '04-modular-monolith';
const service = 'src/modules/orders/service.ts';
const orders = 'src/modules/orders/orders.ts';

test('chapter 4: an import or a query past a module boundary stops the shop', async ({ page, request }) => {
  test.setTimeout(150_000);
  const files = await stageFiles(request, stage);
  await page.goto(`/chapters/${stage}/?runtime=local`);
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });
  const stopped = async (why: string) => {
    await wb.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(output).toContainText('shop could not start: a module reaches past another module\'s public interface', { timeout: 60_000 });
    await expect(output).toContainText(why);
    await expect(wb.getByRole('status')).not.toHaveText('Ready');
  };
  const reset = async () => {
    await wb.getByRole('button', { name: 'Reset files' }).click();
    await page.getByRole('dialog', { name: 'Reset files?' }).getByRole('button', { name: 'Reset' }).click();
  };

  // From the outside nothing has changed: an order is placed, and ada is told.
  await pressRun(page, 60_000);
  expect(await send(page, 'Place an order')).toContain('"status": "confirmed"');
  expect(await send(page, 'What ada was told')).toContain('"kind": "order_confirmed"');

  // 1. One more import in the experiment's block: the inventory module's table code.
  await openInEditor(page, service);
  const lastImport = lineOf(files[service]!, "import type { Payments } from '../payments/index.ts';");
  await replaceLine(page, lastImport, "import type { Payments } from '../payments/index.ts';\nimport { PostgresProducts } from '../inventory/products.ts';");
  await expect(wb.getByRole('treeitem', { name: `${service}, modified` })).toBeVisible();
  // 2. Run. 3. The shop does not start.
  await stopped('src/modules/orders/service.ts imports src/modules/inventory/products.ts: only src/modules/inventory/index.ts is public');
  // 4. Take the line out.
  await reset();

  // The same shortcut for data: a join into the inventory schema inside SELECT_ORDER.
  const source = files[orders]!;
  const joinLine = lineOf(source, 'FROM orders.order_lines l WHERE');
  const joined = source.split('\n')[joinLine - 1]!.trim().replace('FROM orders.order_lines l WHERE', 'FROM orders.order_lines l JOIN inventory.products p ON p.sku = l.sku WHERE');
  await openInEditor(page, orders);
  await replaceLine(page, joinLine, joined);
  await expect(wb.getByRole('treeitem', { name: `${orders}, modified` })).toBeVisible();
  await stopped(
    'src/modules/orders/orders.ts queries inventory.products: the inventory schema belongs to the inventory module; ask for what you need through src/modules/inventory/index.ts',
  );
  await reset();
  await pressRun(page, 60_000);
});
