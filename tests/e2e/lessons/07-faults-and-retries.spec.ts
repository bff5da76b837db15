// Chapter 7's experiment, as a reader does it in the workbench: inject errors and lost
// answers in the payments service with the request console, watch the retries, count the
// card charges with idempotency keys on and off, then break payments: the breaker opens, and an
// order placed meanwhile waits, pending, until payments heals.
import { readConstant } from '../../../site/lib/source-figures.ts';
import { expect, test } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';

const stage = '07-surviving-the-network';
// The times the chapter claims, from the same constants it renders them from.
const setting = (name: string) => readConstant(stage, 'src/adapters/http-payments.ts', name);
const timeoutMs = setting('timeoutMs');
const attempts = setting('attempts');
const baseMs = setting('baseMs');
const capMs = setting('capMs');
const cooldownMs = setting('breakerCooldownMs');
const everyMs = readConstant(stage, 'src/modules/orders/ask-again.ts', 'everyMs');
// The most the backoff can wait in all before attempt n+1: full jitter up to baseMs, doubling, capped.
const waitsUpTo = (n: number) => Array.from({ length: n }, (_, k) => Math.min(capMs, baseMs * 2 ** k)).reduce((a, b) => a + b, 0);
// What this spec adds to a time it reads off the page: it polls every 50 ms, and each request
// crosses the browser and the workbench's local runtime before the shop sees it. Not a share of
// the time measured: a fixed allowance, the same for every claim below.
const observeMs = 750;

test('experiment: retries double-charge without idempotency keys, not with them; the breaker opens', async ({ page }) => {
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
  // How many times Output shows a line: the breaker opens in step 5 and again in step 6, so
  // step 6 waits for a new line, never for one step 5 left there.
  const times = async (line: string) => ((await output.textContent()) ?? '').split(line).length - 1;
  const opened = 'payments: circuit breaker open (after 5 failures in a row; calls fail at once for 5 s)';
  // Milliseconds until `done` holds, polled every 50 ms.
  const msUntil = async (done: () => Promise<boolean>, timeout: number) => {
    const start = Date.now();
    await expect.poll(done, { timeout, intervals: [50] }).toBe(true);
    return Date.now() - start;
  };

  await wb.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 60_000 });
  await expect(output).toContainText(/shop ready on http:\/\/127\.0\.0\.1:\d+ \(3 processes/);

  await send('Faults', '"idempotencyKeys": true');
  await send('Inject errors and lost answers', '"errorRate": 0.3');
  await expect(response).toContainText('"dropRate": 0.2');
  await expect(output).toContainText('faults now: latency 0 ms, errors 0.3, dropped answers 0.2, idempotency keys on');

  // keys on: retries happen, every order is confirmed, no card is charged twice
  for (let i = 0; i < 5; i++) await send('Place an order', '"status": "confirmed"');
  await expect(output).toContainText(/payments: .*; retry 1 of 3 in \d+ ms/);
  // each wait is full jitter below its ceiling: up to baseMs before the second attempt, then 2x, 4x
  const retries = [...((await output.textContent()) ?? '').matchAll(/; retry (\d) of 3 in (\d+) ms/g)];
  expect(retries.length).toBeGreaterThan(0);
  for (const [, retry, ms] of retries) expect(Number(ms), `retry ${retry}`).toBeLessThanOrEqual(Math.min(capMs, baseMs * 2 ** (Number(retry) - 1)));
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
  const opensBeforeSlow = await times(opened);
  // four attempts of 3 s each and the waits between them (at most 100 + 200 + 400 ms): the
  // answer takes a little over 12 s, never less than the four timeouts
  await wb.getByRole('button', { name: 'Place an order', exact: true }).click();
  await wb.getByRole('button', { name: 'Send' }).click();
  const answeredMs = await msUntil(async () => ((await response.textContent()) ?? '').includes('202 Accepted'), 40_000);
  expect(answeredMs).toBeGreaterThanOrEqual(attempts * timeoutMs);
  expect(answeredMs).toBeLessThanOrEqual(attempts * timeoutMs + waitsUpTo(attempts - 1) + observeMs);
  await expect(response).toContainText('"status": "pending"');
  const slowOrder = /"id": "(ord_\w+)"/.exec((await response.textContent()) ?? '')?.[1];
  expect(slowOrder).toBeTruthy();
  await expect(output).toContainText(`orders: payments gave no answer for ${slowOrder}; its charge is asked again every 1 s`);
  await expect(output).toContainText('POST /charges: the caller hung up before the answer (ECONNRESET)');
  const answeredAt = Date.now();
  await send('Card charges per order', '"doubleCharged"');
  expect((await response.textContent()) ?? '').not.toContain(`"${slowOrder}"`);
  // a second after the 202 the shop asks again; that attempt times out too: the fifth failure,
  // about everyMs + timeoutMs after the 202
  await expect.poll(() => times(opened), { timeout: 10_000, intervals: [50] }).toBe(opensBeforeSlow + 1);
  const openedAt = Date.now();
  expect(openedAt - answeredAt).toBeGreaterThanOrEqual(everyMs + timeoutMs - observeMs);
  expect(openedAt - answeredAt).toBeLessThanOrEqual(everyMs + timeoutMs + observeMs);
  await send('Breaker', '"state": "open"');
  expect(Number(/"failures": (\d+)/.exec((await response.textContent()) ?? '')?.[1])).toBe(5);
  // healed: once the 5 s are out, the shop's next ask is the trial call, and the order is
  // confirmed, charged once (at most about 9 s: a trial already on its way still times out,
  // 3 s, then the breaker is open 5 s more, then the next ask within 1 s)
  await send('Heal payments', '"errorRate": 0');
  const healedAt = Date.now();
  const settledSlow = `orders: payments answered for ${slowOrder}; it is settled`;
  await expect.poll(async () => ((await output.textContent()) ?? '').includes(settledSlow), { timeout: 15_000, intervals: [50] }).toBe(true);
  // not before the breaker's cooldown is out, and at most about timeoutMs + cooldownMs + everyMs after healing
  expect(Date.now() - openedAt).toBeGreaterThanOrEqual(cooldownMs - observeMs);
  expect(Date.now() - healedAt).toBeLessThanOrEqual(timeoutMs + cooldownMs + everyMs + observeMs);
  await expect(output).toContainText('payments: circuit breaker half-open (letting one trial call through)');
  await expect(output).toContainText('payments: circuit breaker closed (the trial call succeeded)');
  await send('This order', '"status": "confirmed"');
  await expect(response).toContainText(slowOrder!);
  await send('Card charges per order', `"${slowOrder}": 1`);

  // 6: break payments: place orders until the breaker opens again
  const opensBefore = await times(opened);
  await send('Break payments', '"errorRate": 1');
  const whileBroken: string[] = [];
  const orderId = async () => /"id": "(ord_\w+)"/.exec((await response.textContent()) ?? '')?.[1] ?? '';
  for (let i = 0; i < 3 && (await times(opened)) === opensBefore; i++) {
    await send('Place an order', '"status": "pending"');
    whileBroken.push(await orderId());
  }
  await expect.poll(() => times(opened), { timeout: 5_000 }).toBeGreaterThan(opensBefore);
  // an order placed while it is open is answered 202 pending at once, and waits
  await send('Place an order', '202');
  await expect(response).toContainText('"status": "pending"');
  const waiting = await orderId();
  expect(waiting).toMatch(/^ord_/);
  await expect(output).toContainText(`orders: payments gave no answer for ${waiting}; its charge is asked again every 1 s`);
  await send('Breaker', '"state": "open"');
  expect(Number(/"retryInMs": (\d+)/.exec((await response.textContent()) ?? '')?.[1])).toBeGreaterThan(0);

  // heal: within about 6 s one trial call closes it again, and every waiting order settles
  const closedBefore = await times('payments: circuit breaker closed (the trial call succeeded)');
  const halfOpenBefore = await times('payments: circuit breaker half-open');
  await send('Heal payments', '"errorRate": 0');
  const healedAgainAt = Date.now();
  const settledAll = async () => {
    const text = (await output.textContent()) ?? '';
    return [...whileBroken, waiting].every((id) => text.includes(`orders: payments answered for ${id}; it is settled`));
  };
  await expect.poll(settledAll, { timeout: 15_000, intervals: [50] }).toBe(true);
  // within about cooldownMs + everyMs: what is left of the cooldown, then the next ask
  expect(Date.now() - healedAgainAt).toBeLessThanOrEqual(cooldownMs + everyMs + observeMs);
  expect(await times('payments: circuit breaker half-open')).toBeGreaterThan(halfOpenBefore);
  expect(await times('payments: circuit breaker closed (the trial call succeeded)')).toBe(closedBefore + 1);
  await send('This order', '"status": "confirmed"');
  await expect(response).toContainText(waiting);
  await send('Card charges per order', `"${waiting}": 1`);
  for (const id of whileBroken) await expect(response).toContainText(`"${id}": 1`);
  await send('Breaker', '"state": "closed"');

  await wb.getByRole('button', { name: 'A rate out of range', exact: true }).click();
  await expect(wb.getByLabel('Body (JSON)')).toHaveValue(/"errorRate": 1.5/);
  await send('A rate out of range', 'invalid_request');
  await expect(response).toContainText('errorRate must be a number from 0 to 1');

  await wb.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(wb.getByRole('status')).not.toHaveText('Ready', { timeout: 15_000 });
});
