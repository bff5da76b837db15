// A page served by the project's own server (`npm start`, as here) runs stages on the Local
// runtime at once: no WebContainer boot first, so no wait for stackblitz.com to answer.
import { expect, test, type Page } from '../fixtures.ts';
import { chapter, workbench } from './helpers.ts';

/** Every text the status line showed, recorded in the page as it changes. */
async function recordStatusTexts(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (globalThis as { statusTexts?: string[] }).statusTexts = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[role="status"][data-status]')?.textContent ?? '';
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (globalThis as { statusTexts?: string[] }).statusTexts ?? []);
}

test('with no ?runtime=, Run reaches Ready on the Local runtime quickly and never tries WebContainer', async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  const statusTexts = await recordStatusTexts(page);
  await page.goto(chapter);
  const wb = workbench(page);

  const started = Date.now();
  await wb.getByRole('button', { name: 'Run' }).click();
  // WebContainer's boot alone would wait 20 s for its host before giving up.
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 10_000 });
  expect(Date.now() - started).toBeLessThan(10_000);
  await expect(wb.getByRole('region', { name: 'Output' })).toContainText(/ready on http:\/\/127\.0\.0\.1:\d+/);

  expect((await statusTexts()).join('\n')).not.toMatch(/WebContainer|in-browser runtime/i);
  await expect(wb.getByRole('region', { name: 'Output' })).not.toContainText(/WebContainer/i);
  expect(requested.filter((url) => /stackblitz|webcontainer/i.test(url))).toEqual([]);

  await wb.getByRole('button', { name: 'Stop' }).click();
  await expect(wb.getByRole('status')).toHaveText('Stopped', { timeout: 10_000 });
});

test('offline with ?runtime=webcontainer, Run fails at once and points to Download', async ({ page }) => {
  // The browser's own word for offline; the site itself still comes from this machine.
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'onLine', { get: () => false }));
  await page.goto(`${chapter}?runtime=webcontainer`);
  const wb = workbench(page);
  const started = Date.now();
  await wb.getByRole('button', { name: 'Run' }).click();
  const status = wb.getByRole('status');
  await expect(status).toContainText(/offline/, { timeout: 5_000 });
  expect(Date.now() - started).toBeLessThan(5_000);
  await expect(status).toContainText(/press Download in the workbench/);
  await expect(status).not.toContainText(/deploy\/|clone the project/);
});

test('a chosen WebContainer that cannot start falls back to Local, and the next chapter goes straight to Local', async ({ page }) => {
  // Offline as the browser reports it: WebContainer then fails at once instead of after 20 s.
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'onLine', { get: () => false }));
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });

  // The reader chooses WebContainer: this page obeys (and fails, offline), the tab remembers.
  await page.goto(`${chapter}?runtime=webcontainer`);
  await wb.getByRole('button', { name: 'Run' }).click();
  await expect(wb.getByRole('status')).toContainText(/offline/, { timeout: 5_000 });

  // The next chapter tries the remembered WebContainer first, then Local takes over.
  await page.goto('/chapters/00-how-to-use/');
  await wb.getByRole('button', { name: 'Run' }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 15_000 });
  await expect(output).toContainText(/webcontainer runtime could not start: .*offline[\s\S]*Using the local runtime instead/);
  await expect(output).toContainText(/next pages in this tab use the Local runtime at once; add \?runtime=webcontainer/);
  await wb.getByRole('button', { name: 'Stop' }).click();
  await expect(wb.getByRole('status')).toHaveText('Stopped', { timeout: 10_000 });

  // And the one after that goes to Local at once, saying why and how to retry.
  await page.goto('/chapters/02-ports-and-adapters/');
  await wb.getByRole('button', { name: 'Run' }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 15_000 });
  await expect(output).toContainText(/WebContainer failed on an earlier page in this tab\. Add \?runtime=webcontainer/);
  await expect(output).not.toContainText(/could not start/);
  await wb.getByRole('button', { name: 'Stop' }).click();
  await expect(wb.getByRole('status')).toHaveText('Stopped', { timeout: 10_000 });
});
