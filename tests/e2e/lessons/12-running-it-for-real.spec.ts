// Chapter 12's experiment, as a reader does it in the workbench (on PGlite, the part the
// workbench can do): the shop is alive and ready through the gateway; with the notifications
// consumer stopped an order is still confirmed, notifications still answers (a stopped consumer
// stops its writes, not its reads) and the shop stays ready; started again, the consumer
// delivers the notification the broker kept for it.
import { expect, test } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';

const stage = '12-running-it-for-real';

test('experiment: alive and ready through the gateway; a stopped consumer keeps reads and readiness, and its message waits', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(`/chapters/${stage}/?runtime=local`);
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });
  const response = wb.getByRole('region', { name: 'Response' });
  // Picks a request, sends it, and waits for ITS answer (the one before may look alike).
  const send = async (label: string, expected: string | RegExp) => {
    const before = (await response.textContent()) ?? '';
    await wb.getByRole('button', { name: label, exact: true }).click();
    await wb.getByRole('button', { name: 'Send' }).click();
    await expect.poll(async () => (await response.textContent()) ?? '', { timeout: 30_000 }).not.toBe(before);
    await expect(response).toContainText(expected);
  };
  const body = async () => (await response.textContent()) ?? '';

  await wb.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 180_000 });
  await expect(output).toContainText(/shop ready on http:\/\/127\.0\.0\.1:\d+ \(\d+ processes: gateway/);

  // 1: alive is the shop's /health through the gateway; ready is the gateway's readiness,
  // made of the /ready of each service it sends requests to
  await send('Is the shop alive?', '200 OK');
  await expect(response).toContainText('"status": "ok"');
  await send('Is the shop ready?', '200 OK');
  await expect(response).toContainText('"status": "ready"');
  for (const upstream of ['shop', 'payments', 'collector']) {
    await expect(response).toContainText(new RegExp(`"${upstream}": \\{\\s*"ok": true`));
  }

  // 2: the consumer stopped, an order is still confirmed; notifications answers without it
  await send('Stop the notifications consumer', '200 OK');
  await expect(response).toContainText('"running": false');
  await expect(output).toContainText('consumer notifications: stopped (its session stays on the broker, which queues its messages)');
  await send('Place an order', '"status": "pending"');
  const orderId = /"id": "(ord_\w+)"/.exec(await body())?.[1];
  expect(orderId).toBeTruthy();
  await expect
    .poll(
      async () => {
        await send('This order', orderId!);
        return body();
      },
      { timeout: 20_000, intervals: [1_000] },
    )
    .toContain('"status": "confirmed"');
  await send('Its notifications', '200 OK');
  expect(await body()).not.toContain(orderId!);
  await send('Is the shop ready?', '200 OK');
  await expect(response).toContainText('"status": "ready"');

  // 3: started again, the consumer gets the event the broker kept, and the notification is there
  await send('Start the notifications consumer', '200 OK');
  await expect(response).toContainText('"running": true');
  await expect
    .poll(
      async () => {
        await send('Its notifications', '200 OK');
        return body();
      },
      { timeout: 20_000, intervals: [1_000] },
    )
    .toContain(`"orderId": "${orderId}"`);
  await expect(response).toContainText('"kind": "order_confirmed"');

  await wb.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(wb.getByRole('status')).not.toHaveText('Ready', { timeout: 15_000 });
});
