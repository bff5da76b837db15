import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from '@playwright/test';

// Chromium from the system (Debian's package on CI, where Playwright cannot download its own),
// else Playwright's own build, else a clear instruction.
const systemCandidates = () => [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

// Chromium's headless shell: the same engine (Blink and V8 of the same version) without the
// desktop browser around it, and what Playwright itself launches for headless runs. Debian ships
// it as chromium-headless-shell. Driving pages with it took half the CPU of the desktop browser
// on two cores (the end-to-end page specs: 215 -> 107 CPU-seconds).
const headlessShellCandidates = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell'];

const firstExisting = (paths: (string | undefined)[]) => paths.find((path): path is string => Boolean(path && existsSync(path)));

/** The desktop Chromium: for what should look and measure as a reader's browser (Lighthouse, screenshots). */
export function findChromium(): string | undefined {
  const system = firstExisting(systemCandidates());
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

/**
 * The browser that tests and checks drive: CHROMIUM_PATH when set, else the system's headless
 * shell, else the desktop Chromium as findChromium() finds it (Playwright's own build picks its
 * headless shell by itself).
 */
export function findTestChromium(headlessShells = headlessShellCandidates): string | undefined {
  if (process.env.CHROMIUM_PATH) return findChromium();
  return firstExisting(headlessShells) ?? findChromium();
}

// Flags that keep a root, headless, offline Chromium quiet and predictable.
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** How to launch Chromium with those flags; no path means Playwright's own build. */
export function chromiumLaunchOptions(executablePath: string | undefined): LaunchOptions {
  return { ...(executablePath ? { executablePath } : {}), args: chromiumArgs };
}

export function launchChromium(executablePath: string | undefined): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions(executablePath));
}
