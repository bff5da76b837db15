// Stage 6 in the REAL WebContainer: a supervisor starting the shop, the payments service and
// PGlite served over the Postgres wire protocol (pglite-socket), which both reach with pg.
import { expect, test } from '@playwright/test';
import { openChapter, output, report, runUntilReady, send, stop, tabMemory } from './support.ts';

test('stage 6 runs its supervisor, pglite-socket and pg, and places an order through the payments service', async ({ page }) => {
  await openChapter(page, '06-extract-payments');
  const seconds = await runUntilReady(page);
  await expect(output(page)).toContainText(/shop ready on http:\/\/127\.0\.0\.1:\d+ \(\d+ processes/);
  report(`Run -> Ready ${seconds.toFixed(1)} s; tab memory ${await tabMemory(page)}`);
  await send(page, { preset: 'Place an order' }, '201');
  await stop(page);
});
