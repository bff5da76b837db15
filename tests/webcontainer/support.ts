// Steps shared by the specs that run the REAL WebContainer (npm run test:webcontainer). They
// use the workbench as a reader does (role and label locators), time Run -> Ready, and read
// the tab's memory, printing both so a run leaves figures behind.
import { expect, test, type Page } from '@playwright/test';

export const workbench = (page: Page) => page.getByRole('region', { name: 'Workbench' });

/** The page's own words when WebContainer cannot start (boot timeout, no isolation, old browser). */
const cannotStart = /did not boot within|cannot start|failed to boot/;

/** Opens a chapter with WebContainer forced, checks isolation. */
export async function openChapter(page: Page, chapter: string): Promise<void> {
  await page.goto(`/chapters/${chapter}/?runtime=webcontainer`);
  expect(await page.evaluate(() => crossOriginIsolated), 'the page must be cross-origin isolated').toBe(true);
}

/** Presses Run and waits for Ready; fails at once with the page's message if WebContainer cannot start. Returns seconds. */
export async function runUntilReady(page: Page, timeoutMs = 180_000): Promise<number> {
  const wb = workbench(page);
  const started = Date.now();
  await wb.getByRole('button', { name: 'Run', exact: true }).click();
  const ready = wb.getByRole('status').filter({ hasText: /^Ready$/ });
  const failed = wb.getByText(cannotStart).first();
  await expect(ready.or(failed).first()).toBeVisible({ timeout: timeoutMs });
  if (await failed.isVisible()) {
    throw new Error(`WebContainer did not start: ${await failed.innerText()}\nThis check needs a browser that can reach stackblitz.com.`);
  }
  return (Date.now() - started) / 1000;
}

export async function stop(page: Page): Promise<void> {
  const wb = workbench(page);
  await wb.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(wb.getByRole('status')).not.toHaveText('Ready', { timeout: 30_000 });
}

/** Picks a ready-made request (or fills the path for a GET), sends it and waits for its answer. */
export async function send(page: Page, request: { preset: string } | { get: string }, expected: string | RegExp): Promise<string> {
  const wb = workbench(page);
  const response = wb.getByRole('region', { name: 'Response' });
  const before = (await response.textContent()) ?? '';
  if ('preset' in request) await wb.getByRole('button', { name: request.preset, exact: true }).click();
  else {
    await wb.getByLabel('Method').selectOption('GET');
    await wb.getByLabel('Path').fill(request.get);
  }
  await wb.getByRole('button', { name: 'Send' }).click();
  await expect.poll(async () => (await response.textContent()) ?? '', { timeout: 60_000 }).not.toBe(before);
  await expect(response).toContainText(expected);
  return (await response.textContent()) ?? '';
}

export const output = (page: Page) => workbench(page).getByRole('region', { name: 'Output' });

/**
 * The tab's memory: performance.measureUserAgentSpecificMemory() where the browser has it
 * (Chromium, cross-origin isolated pages; it counts the WebContainer's frames and workers
 * too), else the JS heap of the page (performance.memory), else nothing.
 */
export async function tabMemory(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const perf = performance as Performance & {
      measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
      memory?: { usedJSHeapSize: number };
    };
    const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
    if (typeof perf.measureUserAgentSpecificMemory === 'function') {
      // It may wait for the next garbage collection; do not wait forever.
      const measured = await Promise.race([perf.measureUserAgentSpecificMemory().catch(() => null), new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000))]);
      if (measured) return `${mb(measured.bytes)} (measureUserAgentSpecificMemory)`;
    }
    if (perf.memory) return `${mb(perf.memory.usedJSHeapSize)} JS heap (performance.memory)`;
    return 'not measurable in this browser';
  });
}

/** Prints a figure and attaches it to the test's report. */
export function report(what: string): void {
  console.log(`[webcontainer] ${test.info().title}: ${what}`);
  test.info().annotations.push({ type: 'figure', description: what });
}
