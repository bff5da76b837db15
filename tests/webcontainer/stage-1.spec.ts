// The real thing: chapter 1's workbench boots WebContainer (from stackblitz.com), runs stage 1
// with `npm start` inside it, and sends a request to the running shop. Opt-in, needs internet:
//   npm run build && npm run test:webcontainer
// Offline it fails after the adapter's 20 s boot timeout with the page's own message.
import { expect, test } from '@playwright/test';

test('stage 1 runs in WebContainer and answers a request', async ({ page }) => {
  await page.goto('/chapters/01-single-file/?runtime=webcontainer');
  expect(await page.evaluate(() => crossOriginIsolated), 'the page must be cross-origin isolated').toBe(true);

  const workbench = page.getByRole('region', { name: 'Workbench' });
  await workbench.getByRole('button', { name: 'Run' }).click();

  const ready = workbench.getByRole('status').filter({ hasText: /\bReady\b/ });
  const failed = workbench.getByText(/did not boot within|cannot start|failed to boot/).first();
  await expect(ready.or(failed).first()).toBeVisible({ timeout: 90_000 });
  if (await failed.isVisible()) {
    throw new Error(
      `WebContainer did not start: ${await failed.innerText()}\n` +
        'This test needs a browser that can reach stackblitz.com (it cannot run offline or on CI).',
    );
  }

  const requests = workbench.getByRole('tab', { name: 'Requests' });
  if (await requests.isVisible()) await requests.click();
  await workbench.getByRole('button', { name: 'Send' }).click();
  const response = workbench.getByRole('region', { name: 'Response' });
  await expect(response).toContainText('200', { timeout: 30_000 });
  await expect(response).toContainText('coffee-beans');
});
