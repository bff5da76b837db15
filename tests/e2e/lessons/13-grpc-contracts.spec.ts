// Chapter 13's experiment, as a reader does it in the workbench on the Local runtime: the saga's
// calls are gRPC over HTTP/2 and the order's trace shows them as RPC spans; with payments slower
// than an order's 3 s deadline the charge is given up at the deadline, the order is rejected and
// no card is charged; and one line of src/orchestrator-main.ts moves the same calls to the
// Connect protocol over HTTP/1.1, with the same spans.
import { expect, test, type Page } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';
import { lineOf, openInEditor, pressRun, replaceLine, send, stageFiles } from './steps.ts';

const stage = '13-grpc-contracts';
const sentAtOnce = (label: string) => `${label} (sent at once)`;

/** Sends `label` until its answer contains `expected` (the saga finishes after the 202). */
async function sendUntil(page: Page, label: string, expected: string | RegExp, timeout = 20_000): Promise<string> {
  let body = '';
  await expect
    .poll(
      async () => {
        body = await send(page, label);
        return typeof expected === 'string' ? body.includes(expected) : expected.test(body);
      },
      { timeout, intervals: [500, 1_000] },
    )
    .toBe(true);
  return body;
}

test('experiment: one order over gRPC, one past its deadline, then the same calls over Connect', async ({ page, request }) => {
  test.setTimeout(300_000);
  const orchestrator = (await stageFiles(request, stage))['src/orchestrator-main.ts']!;
  await page.goto(`/chapters/${stage}/?runtime=local`);
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });

  // 1: Run; the orchestrator says which wire it chose
  await pressRun(page, 180_000);
  await expect(output).toContainText('saga commands go to inventory and payments as RPCs over gRPC (HTTP/2)');

  // 2: an order, and its trace: the saga's calls are RPC spans, served over gRPC
  expect(await send(page, 'Place an order')).toContain('202 Accepted');
  const trace = await sendUntil(page, 'Trace of the last request', 'RPC shop.payments.v1.PaymentsService/Charge');
  for (const span of ['RPC inventory', 'RPC shop.inventory.v1.InventoryService/Reserve', 'RPC payments']) expect(trace).toContain(span);
  expect(trace).toContain('"rpc.protocol": "application/grpc+proto"');
  await wb.getByRole('region', { name: 'Response' }).getByText('RPC shop.payments.v1.PaymentsService/Charge').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('trace-over-grpc.png') });

  // 3: payments slower than the order's deadline: the charge goes with the time left, and at the
  // deadline the saga gives it up and undoes the reservation; payments charged nothing
  // (from the Steps panel this time: its buttons send the step's requests at once)
  const view = wb.getByRole('tablist', { name: 'Workbench view' });
  await view.getByRole('tab', { name: 'Steps' }).click();
  const steps = wb.getByRole('tabpanel', { name: 'Steps' });
  await expect(steps.getByRole('listitem')).toHaveCount(5);
  const step3 = steps.getByRole('group', { name: 'Requests of step 3' });
  const response = wb.getByRole('region', { name: 'Response' });
  await step3.getByRole('button', { name: sentAtOnce('Slow payments past the deadline') }).click();
  await expect(response).toContainText('"latencyMs": 2500', { timeout: 20_000 });
  await page.screenshot({ path: test.info().outputPath('steps-panel.png') });
  await step3.getByRole('button', { name: sentAtOnce('Place an order due in 3 s') }).click();
  await expect(response).toContainText('202 Accepted', { timeout: 20_000 });
  const placed = (await response.textContent()) ?? '';
  const orderId = /"id": "(ord_\w+)"/.exec(placed)?.[1];
  expect(orderId).toBeTruthy();
  await expect(output).toContainText(`saga ${orderId}: charge gave up: the order's deadline passed; next: refund, release, reject`, { timeout: 30_000 });
  // back to the Code view, where the console's own request buttons are
  await view.getByRole('tab', { name: 'Code' }).click();

  // 4: back to normal: the undoing goes through, the order is rejected, and no card was charged
  expect(await send(page, 'Payments back to normal')).toContain('"latencyMs": 0');
  const final = await sendUntil(page, 'This order', /"status": "(confirmed|rejected)"/, 30_000);
  expect(final).toContain('"status": "rejected"');
  expect(final).toContain('"reason": "payment_unavailable"');
  const payments = await send(page, 'Its payments');
  expect(payments).toContain('200 OK');
  // the body is an empty list: no payment of any kind for this order
  expect(payments.trim()).toMatch(/\[\]$/);
  expect(payments).not.toContain('"status"');

  // 5: one line moves the same calls to the Connect protocol over HTTP/1.1
  await openInEditor(page, 'src/orchestrator-main.ts');
  await replaceLine(page, lineOf(orchestrator, 'const protocol = await chooseProtocol();'), "const protocol = await chooseProtocol({ RPC_PROTOCOL: 'connect' });");
  await expect(wb.getByRole('treeitem', { name: 'src/orchestrator-main.ts, modified' })).toBeVisible();
  await pressRun(page, 180_000);
  await expect(output).toContainText('saga commands go to inventory and payments as RPCs over the Connect protocol (HTTP/1.1)');
  expect(await send(page, 'Place an order')).toContain('202 Accepted');
  const overConnect = await sendUntil(page, 'Trace of the last request', 'RPC shop.payments.v1.PaymentsService/Charge');
  expect(overConnect).toContain('"rpc.protocol": "application/proto"');
  expect(overConnect).not.toContain('application/grpc');
  await wb.getByRole('region', { name: 'Response' }).getByText('RPC shop.payments.v1.PaymentsService/Charge').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('trace-over-connect.png') });

  await wb.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(wb.getByRole('status')).not.toHaveText('Ready', { timeout: 15_000 });
});
