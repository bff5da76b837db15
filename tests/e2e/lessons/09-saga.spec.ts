// Chapter 9's experiment, as a reader does it in the workbench: order an espresso machine,
// whose charge the card processor declines, and watch the saga give the stock back; then hold
// the sagas after reserve, crash the orchestrator, and watch the restarted one carry the
// saga on until the order is confirmed, charged once.
import { expect, test } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';

const stage = '09-saga';

test('experiment: a declined card is compensated; a saga resumes after the orchestrator crashes', async ({ page }) => {
  test.setTimeout(180_000);
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
  // Sends a request again and again until its answer shows `expected` (a saga takes a moment).
  const sendUntil = async (label: string, expected: RegExp) => {
    await expect
      .poll(
        async () => {
          await wb.getByRole('button', { name: label, exact: true }).click();
          await wb.getByRole('button', { name: 'Send' }).click();
          await page.waitForTimeout(300);
          return (await response.textContent()) ?? '';
        },
        { timeout: 15_000, intervals: [200] },
      )
      .toMatch(expected);
  };

  await wb.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 60_000 });
  await expect(output).toContainText(/shop ready on http:\/\/127\.0\.0\.1:\d+ \(7 processes/);

  // 1-2: the espresso machine costs more than the card processor allows
  await send('Stock', /"sku": "espresso-machine",[^}]*"priceCents": 549000,[^}]*"stock": 3/);
  await send('Order an espresso machine', '"status": "pending"');
  await sendUntil('This order', /"status": "rejected",\s*"reason": "payment_declined"/);
  await send('Its saga', /"reserve: reserved",\s*"charge: declined",\s*"release: done",\s*"reject: done"/);
  await send('Stock', /"sku": "espresso-machine",[^}]*"stock": 3/);
  await send('Its payments', '"status": "declined"');
  // one payment, declined: no money kept
  expect(((await response.textContent()) ?? '').match(/"status"/g)).toHaveLength(1);
  await expect(output).toContainText(/saga ord_\w+: charge -> declined; next: release, reject/);

  // 3: held after reserve, the order waits with its stock taken and no payment
  const mugStock = async () => {
    await send('Stock', '"mug-blue"');
    return Number(/"sku": "mug-blue"[^}]*"stock": (\d+)/.exec((await response.textContent()) ?? '')?.[1]);
  };
  const mugsBefore = await mugStock();
  await send('Pause after reserve', '"after": "reserve"');
  await send('Place an order', '"status": "pending"');
  await sendUntil('Its saga', /"done": \[\s*"reserve: reserved"\s*\],\s*"todo": \[\s*"charge",\s*"confirm"\s*\]/);
  await expect(output).toContainText(/saga ord_\w+: paused after reserve \(next: charge\)/);
  await send('This order', '"status": "pending"');
  await send('Its payments', '[]');
  expect(await mugStock()).toBe(mugsBefore - 1);

  // 4: crash the orchestrator; the supervisor starts a new one, which carries the saga on
  await send('Crash the orchestrator', '"crashing": true');
  await expect(output).toContainText('supervisor: orchestrator exited (signal SIGKILL)', { timeout: 15_000 });
  await sendUntil('This order', /"status": "confirmed"/);
  await expect(output).toContainText(/saga ord_\w+: charge -> captured; next: confirm/);
  await send('Its saga', /"reserve: reserved",\s*"charge: captured",\s*"confirm: done"/);
  await send('Its payments', /"status": "captured"/);
  expect(((await response.textContent()) ?? '').match(/"status"/g)).toHaveLength(1);
  expect(await mugStock()).toBe(mugsBefore - 1);

  // 5: held after the charge, the order is cancelled; resumed, the saga turns round
  await send('Pause after charge', '"after": "charge"');
  await send('Place an order', '"status": "pending"');
  await sendUntil('Its saga', /"charge: captured"/);
  await send('Cancel this order', /\d{3}/);
  await send('Resume', '"after": null');
  await sendUntil('Its saga', /"refund: done",\s*"release: done",\s*"cancel: done"/);
  await sendUntil('This order', /"status": "cancelled"/);

  await send('A step that does not exist', 'invalid_request');
  await expect(response).toContainText('after must be one of reserve, charge');

  await wb.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(wb.getByRole('status')).not.toHaveText('Ready', { timeout: 15_000 });
});
