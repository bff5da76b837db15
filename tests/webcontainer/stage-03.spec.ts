// Stage 3 in the REAL WebContainer: PGlite (Postgres compiled to WebAssembly) in the shop's
// process, from the dependency snapshot.
import { test } from '@playwright/test';
import { openChapter, report, runUntilReady, send, stop, tabMemory } from './support.ts';

test('stage 3 runs with PGlite and stores an order', async ({ page }) => {
  await openChapter(page, '03-real-persistence');
  const seconds = await runUntilReady(page);
  report(`Run -> Ready ${seconds.toFixed(1)} s; tab memory ${await tabMemory(page)}`);
  await send(page, { preset: 'Place an order' }, '201');
  await stop(page);
});
