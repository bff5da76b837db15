// Chapter 11's experiment, as a reader does it in the workbench: place an order and open its
// trace (a waterfall with spans from several services), slow payments down and find the slow
// span, then meet the gateway's 401 without a token (payments never sees the request) and its
// 429 once the rate limit is low (counted in Metrics), and read the gateway's readiness, made
// of each upstream's.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { expect, test } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';

const stage = '11-gateway-and-observability';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

test('experiment: one order\'s trace as a waterfall, the slow span, and the gateway\'s 401 and 429', async ({ page }) => {
  test.setTimeout(240_000);
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
  // Sends a request again and again until `done` holds (the spans arrive in batches).
  const sendUntil = async (label: string, done: () => Promise<boolean>) => {
    await expect
      .poll(
        async () => {
          await wb.getByRole('button', { name: label, exact: true }).click();
          await wb.getByRole('button', { name: 'Send' }).click();
          await page.waitForTimeout(500);
          return done();
        },
        { timeout: 20_000, intervals: [300] },
      )
      .toBe(true);
  };
  const waterfall = response.getByRole('table', { name: /^Trace [0-9a-f]{32}: \d+ spans across \d services/ });
  const row = (name: string | RegExp) => waterfall.getByRole('rowheader', { name });

  await wb.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 120_000 });
  await expect(output).toContainText(/shop ready on http:\/\/127\.0\.0\.1:\d+ \(13 processes: gateway/);

  // 1: one order, one trace, from the gateway to the worker that sends its email
  await send('Place an order', '"status": "pending"');
  await sendUntil('Trace of the last request', async () => (await row(/^job send-notification/).count()) === 1);
  await expect(waterfall).toHaveAccessibleName(/spans across 7 services/);
  for (const name of [/^POST \/orders \(under/, /^saga reserve/, /^saga charge/, /^POST \/charges/, /^publish OrderConfirmed/, /^process OrderConfirmed/]) {
    await expect(row(name).first()).toBeVisible();
  }
  for (const service of ['gateway', 'shop', 'orchestrator', 'inventory', 'payments', 'notifications', 'worker']) {
    await expect(waterfall.getByRole('cell', { name: service, exact: true }).first()).toBeVisible();
  }
  // the JSON the reader would get with curl stays under the view
  await expect(response.getByLabel('Response body')).toContainText('"spans"');

  // the view passes axe, in both themes
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: unknown, options: object): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe;
      const report = await axe.run(document.querySelector('.trace-waterfall'), { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] });
      return report.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
    expect(violations, theme).toEqual([]);
  }

  // 2: payments slowed down is the span with the most time of its own
  await send('Slow payments down', '"latencyMs": 300');
  await send('Place an order', '"status": "pending"');
  await sendUntil('Trace of the last request', async () => (await row(/^job send-notification/).count()) === 1);
  await expect(row(/^POST \/charges slowest/)).toBeVisible();
  await expect(waterfall).toHaveAccessibleName(/most time in payments POST \/charges \((2\d\d|3\d\d|[4-9]\d\d) ms of its own\)/);
  await send('Payments back to normal', '"latencyMs": 0');

  // 3: the operators' routes need a token
  await send('Faults without a token', '401 Unauthorized');
  await expect(response).toContainText('"code": "unauthorized"');
  // ... and payments never saw the request: the answer's request id, which every service's log
  // line carries (the gateway passes it on as baggage), is in the gateway's lines and in no
  // payments line. A gateway that forwarded the request before refusing it would leave one.
  await response.getByText(/^Headers \(\d+\)$/).click();
  const requestId = ((await response.locator('dt', { hasText: /^x-request-id$/ }).locator('xpath=following-sibling::dd[1]').textContent()) ?? '').trim();
  expect(requestId).toMatch(/^[\w-]{8,}$/);
  const linesWith = async (id: string) => ((await output.textContent()) ?? '').split('\n').filter((line) => line.includes(id));
  const fromGateway = (line: string) => /^gateway +\| /.test(line);
  // the gateway logs the request once it has answered: payments, had it been asked, answered first
  await expect.poll(async () => (await linesWith(requestId)).some((line) => fromGateway(line) && line.includes('"status":401')), { timeout: 10_000 }).toBe(true);
  expect((await linesWith(requestId)).filter((line) => !fromGateway(line))).toEqual([]);

  // 4: a low rate limit: the sixth request in a row is refused, with when to try again
  await send('Lower the rate limit', '"burst": 5');
  for (let i = 0; i < 5; i++) await send('Products', /200 OK|429 Too Many Requests/);
  await send('Products', '429 Too Many Requests');
  await expect(response).toContainText('"code": "rate_limited"');
  await response.getByText(/^Headers \(\d+\)$/).click();
  await expect(response.getByRole('term').filter({ hasText: /^retry-after$/ })).toBeVisible();
  // Metrics counts the refusal against its route; the gateway's own routes are never limited
  await send('Metrics', 'gateway_rate_limited_total');
  await expect(response).toContainText(/gateway_rate_limited_total\{route="\/products"\} [1-9]/);
  // Restore the rate limit: it may be refused too until a token is back (one every 10 s)
  await expect
    .poll(
      async () => {
        await send('Restore the rate limit', /200 OK|429 Too Many Requests/);
        return (await response.textContent()) ?? '';
      },
      { timeout: 15_000, intervals: [2_000] },
    )
    .toContain('"burst": 200');
  await send('Products', '200 OK');

  // 5: Ready? is the gateway's readiness, made of the /ready of each service it sends to
  await send('Ready?', '"status": "ready"');
  for (const upstream of ['shop', 'payments', 'collector']) {
    await expect(response).toContainText(new RegExp(`"${upstream}": \\{\\s*"ok": true,\\s*"ms": \\d+`));
  }

  await wb.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(wb.getByRole('status')).not.toHaveText('Ready', { timeout: 15_000 });
});
