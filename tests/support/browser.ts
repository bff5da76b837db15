import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

// Chromium from the system (Debian's package on CI, where Playwright cannot download its own),
// else Playwright's own build, else a clear instruction.
const systemCandidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

export function findChromium(): string | undefined {
  const system = systemCandidates.find((path): path is string => Boolean(path && existsSync(path)));
  if (system) return system;
  const bundled = (() => {
    try {
      return chromium.executablePath();
    } catch {
      return undefined;
    }
  })();
  if (bundled && existsSync(bundled)) return undefined; // Playwright uses its own by default.
  throw new Error(
    'No Chromium found for the end-to-end tests. Either install one (Debian/Ubuntu: apt-get install chromium), ' +
      'set CHROMIUM_PATH to a Chrome or Chromium binary, or run "npx playwright install chromium".',
  );
}

// Flags that keep a root, headless, offline Chromium quiet and predictable.
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
