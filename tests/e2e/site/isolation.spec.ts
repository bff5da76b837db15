import { readFileSync } from 'node:fs';
import { expect, test } from '../fixtures.ts';

const expected = JSON.parse(readFileSync(new URL('../../../deploy/isolation-headers.json', import.meta.url), 'utf8')) as Record<string, string>;

test('every page is served cross-origin isolated', async ({ page }) => {
  for (const path of ['/', '/chapters/00-how-to-use/', '/chapters/01-single-file/', '/stages/01-single-file/']) {
    const response = await page.goto(path);
    const headers = response!.headers();
    for (const [name, value] of Object.entries(expected)) expect(headers[name.toLowerCase()], `${name} on ${path}`).toBe(value);
    expect(await page.evaluate(() => crossOriginIsolated), `crossOriginIsolated on ${path}`).toBe(true);
  }
  // A host that sends the headers gets no service worker (the fallback for hosts without them).
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
});
