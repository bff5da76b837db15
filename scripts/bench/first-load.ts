// First-load JavaScript of a page: every script the browser fetches before the reader
// touches anything, gzipped as a static host would serve it.
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext } from 'playwright-core';

export interface FirstLoad {
  path: string;
  scripts: number;
  gzipBytes: number;
  /** Script URLs that look like editor or runtime code, which must not load up front. */
  forbidden: string[];
}

const heavy = /monaco|editor\.api|webcontainer|runtime\/(local|webcontainer)|ts\.worker|typescript/i;

export async function measureFirstLoad(browser: Browser | BrowserContext, origin: string, path: string): Promise<FirstLoad> {
  const page = await browser.newPage();
  const bodies: Promise<{ url: string; bytes: number }>[] = [];
  page.on('response', (response) => {
    const type = response.request().resourceType();
    if (type !== 'script' && !response.headers()['content-type']?.includes('javascript')) return;
    bodies.push(response.body().then((body) => ({ url: response.url(), bytes: gzipSync(body, { level: 9 }).length })));
  });
  await page.goto(origin + path, { waitUntil: 'networkidle' });
  // Astro inlines small scripts into the HTML; they are first-load JavaScript too.
  const inline = await page.evaluate(() =>
    [...document.querySelectorAll('script:not([src])')]
      .filter((s) => !s.getAttribute('type') || s.getAttribute('type') === 'module')
      .map((s) => s.textContent ?? ''),
  );
  const scripts = [
    ...(await Promise.all(bodies)),
    ...inline.map((code, i) => ({ url: `${path}#inline-${i}`, bytes: gzipSync(code, { level: 9 }).length })),
  ];
  await page.close();
  return {
    path,
    scripts: scripts.length,
    gzipBytes: scripts.reduce((sum, s) => sum + s.bytes, 0),
    forbidden: scripts.map((s) => s.url).filter((url) => heavy.test(url)),
  };
}
