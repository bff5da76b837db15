// Chapter 7's experiment, as a reader does it in the workbench: inject errors and lost
// answers in the payments service with the request console, watch the retries, count the
// card charges with idempotency keys on and off, then break payments: the breaker opens, and an
// order placed meanwhile waits, pending, until payments heals.
import { expect, test } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';

const stage = '07-surviving-the-network';

// FIXME (issue 27): since the processor takes the idempotency key (no double charge across a
// crash), the breaker reads closed with 4 failures right after it opened while payments still
// fails every call; the chapter's breaker step and the code part ways. Reported as skipped, never
// as passed, until one follows the other again.
test.fixme('experiment: retries double-charge without idempotency keys, not with them; the breaker opens', async ({ page }) => {
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
  const doubleCharged = async () => {
    await send('Card charges per order', '"doubleCharged"');
    const text = (await response.textContent()) ?? '';
    return /"doubleCharged": \[\s*"ord_/.test(text);
  };

  await wb.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 60_000 });
  await expect(output).toContainText(/shop ready on http:\/\/127\.0\.0\.1:\d+ \(3 processes/);

  await send('Faults', '"idempotencyKeys": true');
  await send('Inject errors and lost answers', '"errorRate": 0.3');
  await expect(output).toContainText('faults now: latency 0 ms, errors 0.3, dropped answers 0.2, idempotency keys on');

  // keys on: retries happen, every order is confirmed, no card is charged twice
  for (let i = 0; i < 5; i++) await send('Place an order', '"status": "confirmed"');
  await expect(output).toContainText(/payments: .*; retry 1 of 3 in \d+ ms/);
  // a lost answer, asked again with the same key: the service replays the charge
  await expect(output).toContainText(/payments +\| replayed the charge for ord_\w+ .*: no second charge/);
  expect(await doubleCharged()).toBe(false);
  await expect(response).toContainText('"doubleCharged": []');

  // keys off: the same retries charge some card twice
  await send('Keys off', '"idempotencyKeys": false');
  let doubled = false;
  for (let i = 0; i < 12 && !doubled; i++) {
    await send('Place an order', '"status": "confirmed"');
    doubled = await doubleCharged();
  }
  expect(doubled).toBe(true);
  await expect(output).toContainText('(no idempotency key)');
  await send('Keys on', '"idempotencyKeys": true');

  // 5: payments slower than the client's 3 s timeout: four attempts time out, the order waits
  await send('Slow payments down', '"latencyMs": 4000');
  // four attempts of 3 s each and the waits between them: the answer takes about 13 s
  await wb.getByRole('button', { name: 'Place an order', exact: true }).click();
  await wb.getByRole('button', { name: 'Send' }).click();
  await expect(response).toContainText('202', { timeout: 40_000 });
  await expect(response).toContainText('"status": "pending"');
  const slowOrder = /"id": "(ord_\w+)"/.exec((await response.textContent()) ?? '')?.[1];
  expect(slowOrder).toBeTruthy();
  await expect(output).toContainText(`orders: payments gave no answer for ${slowOrder}; its charge is asked again every 1 s`);
  await expect(output).toContainText('POST /charges: the caller hung up before the answer (ECONNRESET)');
  await send('Card charges per order', '"doubleCharged"');
  expect((await response.textContent()) ?? '').not.toContain(`"${slowOrder}"`);
  await send('Breaker', '"failures"');
  expect(Number(/"failures": (\d+)/.exec((await response.textContent()) ?? '')?.[1])).toBeGreaterThanOrEqual(4);
  // healed, the order it kept asking for is confirmed, charged once
  await send('Heal payments', '"errorRate": 0');
  await expect
    .poll(
      async () => {
        await send('This order', slowOrder!);
        return (await response.textContent()) ?? '';
      },
      { timeout: 20_000, intervals: [1_000] },
    )
    .toContain('"status": "confirmed"');

  // break payments: the breaker opens; an order placed then is answered 202 pending at once
  await send('Break payments', '"errorRate": 1');
  for (let i = 0; i < 3 && !/circuit breaker open/.test((await output.textContent()) ?? ''); i++) {
    await send('Place an order', '"status": "pending"');
  }
  await expect(output).toContainText('payments: circuit breaker open (after 5 failures in a row');
  await send('Place an order', '202');
  await expect(response).toContainText('"status": "pending"');
  const waiting = /"id": "(ord_\w+)"/.exec((await response.textContent()) ?? '')?.[1];
  expect(waiting).toBeTruthy();
  await expect(output).toContainText(/orders: payments gave no answer for ord_\w+; its charge is asked again every 1 s/);
  await send('Breaker', '"state": "open"');

  // heal: after the cooldown one trial call closes it again, and the waiting order settles
  await send('Heal payments', '"errorRate": 0');
  await expect(output).toContainText('payments: circuit breaker half-open', { timeout: 15_000 });
  await expect(output).toContainText('payments: circuit breaker closed');
  await expect(output).toContainText(`orders: payments answered for ${waiting}; it is settled`);
  await send('This order', '"status": "confirmed"');
  await send('Breaker', '"state": "closed"');

  await send('A rate out of range', 'invalid_request');
  await expect(response).toContainText('errorRate must be a number from 0 to 1');

  await wb.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(wb.getByRole('status')).not.toHaveText('Ready', { timeout: 15_000 });
});
