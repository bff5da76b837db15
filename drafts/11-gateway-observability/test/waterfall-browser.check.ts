// The trace view in a real Chromium, in both themes: the site's theme variables and base
// styles, the view's CSS, and renderWaterfall run on the real `document` (types stripped by
// Node, as the examples are). axe-core then checks it as scripts/check/accessibility.ts
// checks the built pages, and the table is found by role and name, as the e2e tests would.
// Run by name (it needs Chromium):
//   node --test drafts/11-gateway-observability/test/waterfall-browser.check.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire, stripTypeScriptTypes } from 'node:module';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright';
import type { Browser } from 'playwright';
import { chromiumArgs, findChromium } from '../../../tests/support/browser.ts';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const moduleJs = stripTypeScriptTypes(read('../site/trace-waterfall.ts'), { mode: 'strip' });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const t0 = 1_764_400_000_000;
const spans = [
  { spanId: 'a', service: 'gateway', name: 'POST /orders', kind: 'server', startMs: t0, durationMs: 45 },
  { spanId: 'b', parentSpanId: 'a', service: 'gateway', name: 'POST shop', kind: 'client', startMs: t0 + 1, durationMs: 43 },
  { spanId: 'c', parentSpanId: 'b', service: 'shop', name: 'POST /orders', kind: 'server', startMs: t0 + 2, durationMs: 40 },
  { spanId: 'd', parentSpanId: 'c', service: 'payments', name: 'POST /charges', kind: 'server', startMs: t0 + 5, durationMs: 310, status: 'error' },
  { spanId: 'f', parentSpanId: 'c', service: 'shop', name: 'publish OrderPlaced', kind: 'producer', startMs: t0 + 60, durationMs: 5 },
  { spanId: 'g', parentSpanId: 'f', service: 'inventory', name: 'process OrderPlaced', kind: 'consumer', startMs: t0 + 70, durationMs: 30 },
];

let browser: Browser;
before(async () => {
  const executablePath = findChromium();
  browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: chromiumArgs });
});
after(() => browser?.close());

for (const theme of ['light', 'dark']) {
  test(`the waterfall in the ${theme} theme: no axe violations, a named table, row headers, hidden bars`, async () => {
    const page = await browser.newPage();
    const html = `<!doctype html><html lang="en" data-theme="${theme}"><head><title>Trace</title>
      <style>${read('../../../site/styles/global.css')}${read('../site/trace-waterfall.css')}</style></head>
      <body><main><h1>Trace view</h1><div id="trace"></div></main>
      <script type="module">${moduleJs}
        document.getElementById('trace').append(renderWaterfall(document, '4bf92f3577b34da6a3ce929d0e0e4736', ${JSON.stringify(spans)}));
        document.body.dataset.done = 'yes';
      </script></body></html>`;
    await page.setContent(html);
    await page.waitForSelector('body[data-done="yes"]');
    const table = page.getByRole('table', { name: /^Trace 4bf92f35.*6 spans across 4 services/ });
    await table.waitFor();
    const slow = page.getByRole('rowheader', { name: 'POST /charges failed slowest (under shop POST /orders)', exact: true });
    assert.equal(await slow.count(), 1);
    assert.equal(await page.getByRole('row').count(), 7);
    // the bar of the slow span starts after 5 of 315 ms and is most of the width
    const bar = page.locator('tr[data-span-id="d"] .trace-bar');
    const [cell, box] = await Promise.all([page.locator('tr[data-span-id="d"] .trace-timeline').boundingBox(), bar.boundingBox()]);
    assert.ok(cell && box && box.width > cell.width * 0.9, `bar ${box?.width} of ${cell?.width}`);
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      // (this file is type-checked without the DOM library: the page's globals are typed here)
      const page = globalThis as unknown as { document: unknown; axe: { run(context: unknown, options: object): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } };
      const report = await page.axe.run(page.document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] });
      return report.violations.map((v) => `${v.id} (${v.nodes.length}): ${JSON.stringify(v.nodes).slice(0, 400)}`);
    });
    assert.deepEqual(violations, []);
    await page.close();
  });
}
