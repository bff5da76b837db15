// GitHub Pages cannot send COOP/COEP. The built site, served by a plain static server that
// sends none, must still become cross-origin isolated (its service worker adds the headers,
// after one reload) so that the workbench gets past the isolation check to WebContainer's boot.
// The boot itself needs stackblitz.com, which tests cannot reach: the test stops at the
// attempt, which is as far as a page that is not isolated never gets.
import { readFileSync } from 'node:fs';
import { startPlainStaticServer, type PlainServer } from '../../support/plain-static-server.ts';
import { expect, test } from '../fixtures.ts';

const dist = new URL('../../../dist', import.meta.url).pathname;
const isolationHeaders = Object.keys(JSON.parse(readFileSync(new URL('../../../deploy/isolation-headers.json', import.meta.url), 'utf8')) as Record<string, string>);
const workbench = (page: import('@playwright/test').Page) => page.getByRole('region', { name: 'Workbench' });

let host: PlainServer;
test.beforeAll(async () => {
  host = await startPlainStaticServer(dist);
});
test.afterAll(async () => {
  await host?.close();
});

test('on a host without isolation headers the page isolates itself and the workbench reaches the WebContainer boot', async ({ page }) => {
  // Every document the tab asks for (a reload can come before the first page's load event).
  const loads: string[] = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) loads.push(request.url());
  });
  const bootAttempts: string[] = [];
  // WebContainer boots in a frame from stackblitz.com; nothing here can reach it, so fail it at once.
  await page.route(/^https:\/\/([a-z0-9-]+\.)*(stackblitz\.com|webcontainer-api\.io|staticblitz\.com)\//, (route) => {
    bootAttempts.push(route.request().url());
    return route.abort();
  });

  const first = await page.goto(`${host.origin}/chapters/01-single-file/`);
  for (const name of isolationHeaders) expect(first!.headers()[name.toLowerCase()], `${name} from the plain host`).toBeUndefined();

  // The worker takes control and the page reloads itself, once, isolated.
  await expect.poll(() => page.evaluate(() => crossOriginIsolated && navigator.serviceWorker.controller !== null), { timeout: 20_000 }).toBe(true);
  await expect.poll(() => loads.length).toBe(2);

  // The next page is isolated from its first load: no second reload.
  await page.getByRole('link', { name: 'Stages', exact: true }).click();
  await expect(page).toHaveURL(`${host.origin}/stages/`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(loads).toHaveLength(3);
  // A redirect (the host adds a folder's slash, as Pages does) passes through the worker too.
  await page.goto(`${host.origin}/chapters/01-single-file`);
  await expect(page).toHaveURL(`${host.origin}/chapters/01-single-file/`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  // No local server here, so Run goes to WebContainer: past the isolation check, to the boot.
  const wb = workbench(page);
  await wb.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(wb.getByRole('status')).toHaveText(/^Booting/, { timeout: 15_000 });
  await expect.poll(() => bootAttempts.length, { timeout: 15_000 }).toBeGreaterThan(0);
  await expect(wb.getByText(/not cross-origin isolated/)).toHaveCount(0);
});
