import { expect, test } from '../fixtures.ts';
import { runUntilReady, withLocalRuntime, workbench } from './helpers.ts';

test('Send goes to the running shop and the Response shows status, headers and JSON', async ({ page }) => {
  await page.goto(withLocalRuntime);
  await runUntilReady(page);
  const wb = workbench(page);
  const response = wb.getByRole('region', { name: 'Response' });

  await wb.getByRole('button', { name: 'List products' }).click();
  await expect(wb.getByLabel('Path')).toHaveValue('/products');
  await wb.getByRole('button', { name: 'Send' }).click();
  await expect(response).toContainText('200 OK');
  await expect(response).toContainText('"sku": "coffee-beans"');
  await expect(response).toContainText(/\d+ ms/);
  await expect(response.getByText(/Headers \(\d+\)/)).toBeVisible();
});

test('ready-made requests: order, replay with the same key, cancel the last order, an invalid one', async ({ page }) => {
  await page.goto(withLocalRuntime);
  await runUntilReady(page);
  const wb = workbench(page);
  const response = wb.getByRole('region', { name: 'Response' });
  const send = async (label: string) => {
    await wb.getByRole('button', { name: label, exact: true }).click();
    await wb.getByRole('button', { name: 'Send' }).click();
  };

  await send('Place an order');
  await expect(response).toContainText('201 Created');
  await expect(response).toContainText('"status": "confirmed"');
  const first = /"id": "(ord_\d+)"/.exec((await response.textContent()) ?? '')?.[1];
  expect(first).toBeTruthy();

  await send('Replay it (same Idempotency-Key)');
  await expect(response).toContainText('200 OK');
  await expect(response).toContainText(`"id": "${first}"`);

  await wb.getByRole('button', { name: 'Cancel the last order' }).click();
  await expect(wb.getByLabel('Path')).toHaveValue(`/orders/${first}/cancel`);
  await wb.getByRole('button', { name: 'Send' }).click();
  await expect(response).toContainText('"status": "cancelled"');

  await send('An invalid request');
  await expect(response).toContainText('400 Bad Request');
  await expect(response).toContainText('invalid_request');
});

test('Send before Run starts the stage first', async ({ page }) => {
  await page.goto(withLocalRuntime);
  const wb = workbench(page);
  await wb.getByRole('button', { name: 'Send' }).click();
  await expect(wb.getByRole('region', { name: 'Response' })).toContainText('200 OK', { timeout: 20_000 });
  await expect(wb.getByRole('status')).toHaveText('Ready');
});
