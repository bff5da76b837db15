// Makes docs/screenshot.png, the picture at the top of the README: a chapter whose workbench
// has run its stage and answered a request. Kept as a script so the picture can be redone
// after the UI changes instead of going stale.
//
//   npm run build && node scripts/screenshot.ts
import type { AddressInfo } from 'node:net';
import { startSiteServer } from '../server/main.ts';
import { newToken } from '../server/runner/security.ts';
import { runnerCookieState } from '../tests/support/runner-token.ts';
import { findChromium, launchChromium } from '../tests/support/browser.ts';

const chapter = '/chapters/05-events-and-outbox/?runtime=local';
const output = new URL('../docs/screenshot.png', import.meta.url);

const token = newToken();
const server = await startSiteServer({ port: 0, runner: { token } });
const port = (server.address() as AddressInfo).port;
const origin = `http://127.0.0.1:${port}`;
const browser = await launchChromium(findChromium());

try {
  // The runner cookie a reader's browser gets from the address `npm start` prints.
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', storageState: runnerCookieState(port, token) });
  await page.goto(origin + chapter);
  const workbench = page.getByRole('region', { name: 'Workbench' });
  await workbench.scrollIntoViewIfNeeded();
  await workbench.getByRole('button', { name: 'Run' }).click();
  await workbench.getByRole('status').filter({ hasText: 'Ready' }).waitFor({ timeout: 30_000 });
  await workbench.getByRole('button', { name: 'Place an order', exact: true }).click();
  await workbench.getByRole('button', { name: 'Send' }).click();
  await workbench.getByRole('region', { name: 'Response' }).getByText('201 Created').waitFor();
  await workbench.screenshot({ path: output.pathname });
  console.log(`wrote ${output.pathname}`);
} finally {
  await browser.close();
  await new Promise((resolve) => server.close(resolve));
}
