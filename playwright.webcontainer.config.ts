// Opt-in: the REAL WebContainer path in Chromium. Not part of `npm test`: it needs a machine
// whose browser can reach StackBlitz's runtime host (stackblitz.com), which CI and offline
// workshops cannot. Run it with:
//
//   npm run build && npm run test:webcontainer
//
// Without that route WebContainer.boot() never settles; the adapter's own boot timeout (20 s)
// turns that into a RuntimeError on the page, and the spec fails at once with its text.
import { defineConfig } from '@playwright/test';
import { chromiumArgs, findChromium } from './tests/support/browser.ts';

const port = Number(process.env.WEBCONTAINER_E2E_PORT ?? 4466);
const executablePath = findChromium();

export default defineConfig({
  testDir: './tests/webcontainer',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Cold boot (5-10 s reported) + mounting + npm start + a request, with room to spare.
  timeout: 120_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: { ...(executablePath ? { executablePath } : {}), args: chromiumArgs },
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
