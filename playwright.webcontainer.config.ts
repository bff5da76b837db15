// Opt-in: the REAL WebContainer path in Chromium. Not part of `npm test`: it needs a machine
// whose browser can reach StackBlitz's runtime host (stackblitz.com), which CI and offline
// workshops cannot. Run it with:
//
//   npm run build && npm run test:webcontainer
//
// Specs: the probe (the container's Node, type stripping, AsyncLocalStorage), stages 1, 3
// (PGlite), 6 (supervisor, pglite-socket, pg) and 12 (every process, Stop, Run again); each
// prints Run -> Ready and the tab's memory. Without a route to stackblitz.com
// WebContainer.boot() never settles, so tests/webcontainer/reachable.ts checks the host first
// and fails in seconds with a clear message instead.
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, findChromium } from './tests/support/browser.ts';

const port = Number(process.env.WEBCONTAINER_E2E_PORT ?? process.env.E2E_PORT ?? 4466);

export default defineConfig({
  testDir: './tests/webcontainer',
  globalSetup: './tests/webcontainer/reachable.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Cold boot (5-10 s reported) + mounting + the probe + start + a request, with room to spare
  // (stage 12 sets its own).
  timeout: 240_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromiumLaunchOptions(findChromium()),
    trace: 'retain-on-failure',
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // The built site with the cross-origin isolation headers, as `npm start` serves it.
    command: 'node server/main.ts',
    env: { PORT: String(port) },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
