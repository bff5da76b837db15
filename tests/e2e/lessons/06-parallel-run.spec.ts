// Chapter 6's experiment, as a reader does it in the workbench: turn the parallel run on, move
// the payments flag 0 -> 50 -> 100 % with the request console while the stage runs, and read
// the parallel run's diff log, which catches a bug planted in the service before the flag moves.
import { expect, test, type Locator } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';

const stage = '06-extract-payments';

test('experiment: move payments to the service with the flag, and read the parallel-run log', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`/chapters/${stage}/?runtime=local`);
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });
  const response = wb.getByRole('region', { name: 'Response' });
  // Picks a request, sends it, and waits for ITS answer (the one before may look alike).
  const send = async (label: string, expected: string | RegExp) => {
    const before = (await response.textContent()) ?? '';
    await wb.getByRole('button', { name: label, exact: true }).click();
    await wb.getByRole('button', { name: 'Send' }).click();
    await expect.poll(async () => (await response.textContent()) ?? '').not.toBe(before);
    await expect(response).toContainText(expected);
  };
  const count = async (where: Locator, text: RegExp) => ((await where.textContent()) ?? '').match(new RegExp(text, 'g'))?.length ?? 0;

  await wb.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 60_000 });
  await expect(output).toContainText(/shop ready on http:\/\/127\.0\.0\.1:\d+ \(3 processes/);

  // 0 %: everything in process, as in stage 5; the service is not asked
  await send('Flags', /"paymentsService": 0,\s*"shadow": false/);
  await send('Place an order', '201');
  await expect(output).toContainText('email to ada');
  expect(await count(output, /payments \| charged/)).toBe(0);

  // the parallel run: the service's shadow instance answers too
  await send('Compare both sides', '"shadow": true');
  await send('Place an order', '201');
  await expect(output).toContainText(/parallel run: same charge ord_\w+: in-process captured 1200 .*\| service captured 1200 .*; in-process answered/);

  // a planted bug in the service: at 0 % the diff log catches it, and nobody pays for it
  await send('Plant a rounding bug', '"rounding": true');
  await expect(output).toContainText('payments | planted bug ON: charges are rounded up to whole euros');
  const sameBefore = await count(output, /parallel run: same charge/);
  await send('Place an order', '201');
  await expect.poll(() => count(output, /parallel run: same charge/)).toBe(sameBefore + 1);
  await send('Order green tea', '"totalCents": 850');
  await expect(output).toContainText(/parallel run: DIFFERENT charge ord_\w+: in-process captured 850 .*\| service captured 900 .*; in-process answered/);
  await send('Read the diff log', '"different": 1');
  // the entry shows both answers, and the one the caller got (ada paid 850) is the in-process one
  await expect(response).toContainText('"amountCents": 900');
  await expect(response).toContainText('"amountCents": 850');
  await expect(response).toContainText('"primary": "in-process"');
  await expect(response).not.toContainText('"primary": "service"');
  await send('Remove the rounding bug', '"rounding": false');
  await expect(output).toContainText('payments | planted bug off');

  // 50 %: some orders go to the service, the rest stay in process
  await send('Half to the service', '"paymentsService": 50');
  for (let i = 0; i < 20 && (await count(output, /; service answered/)) === 0; i++) await send('Place an order', '201');
  await expect(output).toContainText('; service answered');
  await expect(output).toContainText(/payments \| charged ord_\w+ 1200 cents: captured/);
  // the diff log counts the calls each side served, and still one difference: the green tea
  await send('Read the diff log', /"served": \{\s*"in-process": [1-9]\d*,\s*"service": [1-9]\d*\s*\}/);
  await expect(response).toContainText('"different": 1');

  // 100 %: every order; the log has compared every call and found no difference
  await send('All to the service', '"paymentsService": 100');
  const charged = await count(output, /payments \| charged/);
  await send('Place an order', '201');
  await expect.poll(() => count(output, /payments \| charged/)).toBe(charged + 1);
  await send('Payments of the last order', '"status": "captured"');
  // only the green tea differed: every call since the bug was removed agreed
  await send('Read the diff log', '"different": 1');
  await expect(response).toContainText('"primary": "service"');
  await expect(response).toContainText('"primary": "in-process"');
  // an espresso machine (the body edited): both sides decline it, the card limit is the same code
  await wb.getByRole('button', { name: 'Place an order', exact: true }).click();
  const body = wb.getByLabel('Body (JSON)');
  await body.fill((await body.inputValue()).replace(/"mug-blue"/, '"espresso-machine"').replace(/"quantity":\s*\d+/, '"quantity": 1'));
  await expect(body).toHaveValue(/"espresso-machine"/);
  const before = (await response.textContent()) ?? '';
  await wb.getByRole('button', { name: 'Send' }).click();
  await expect.poll(async () => (await response.textContent()) ?? '').not.toBe(before);
  await expect(response).toContainText('"reason": "payment_declined"');
  await expect(output).toContainText(/parallel run: same charge ord_\w+: in-process declined [^|]*\| service declined [^;]*; service answered/);

  // a bad flag is a contract-style error and changes nothing
  await send('A flag out of range', 'invalid_request');
  await expect(response).toContainText('paymentsService must be an integer from 0 to 100');
  await send('Flags', /"paymentsService": 100,\s*"shadow": true/);

  await wb.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(wb.getByRole('status')).not.toHaveText('Ready', { timeout: 15_000 });
});
