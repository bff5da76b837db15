// Stage 1 in the REAL WebContainer: one process, no dependencies. Opt-in, needs internet:
//   npm run build && npm run test:webcontainer
import { test } from '@playwright/test';
import { openChapter, report, runUntilReady, send, stop, tabMemory } from './support.ts';

test('stage 1 runs in WebContainer and answers a request', async ({ page }) => {
  await openChapter(page, '01-single-file');
  const seconds = await runUntilReady(page);
  report(`Run -> Ready ${seconds.toFixed(1)} s (cold: boot, snapshot, probe, start); tab memory ${await tabMemory(page)}`);
  await send(page, { get: '/products' }, 'coffee-beans');
  await stop(page);
});
