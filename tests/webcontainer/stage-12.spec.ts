// Stage 12 in the REAL WebContainer: every process of the finished system (database, broker,
// services, shop replicas, workers, balancer, gateway with the span collector), one request,
// Stop, then Run again and one more request: Stop must leave no process or port behind.
import { expect, test } from '@playwright/test';
import { openChapter, output, report, runUntilReady, send, stop, tabMemory } from './support.ts';

test('stage 12 runs all its processes, stops, and runs again', async ({ page }) => {
  test.setTimeout(420_000);
  await openChapter(page, '12-running-it-for-real');
  const first = await runUntilReady(page, 240_000);
  const text = (await output(page).textContent()) ?? '';
  const processes = Number(/shop ready on http:\/\/127\.0\.0\.1:\d+ \((\d+) processes/.exec(text)?.[1] ?? 0);
  expect(processes, 'the ready line counts the processes').toBeGreaterThanOrEqual(13);
  // Where the probe found AsyncLocalStorage broken, the stage says how it links spans.
  if (text.includes('AsyncLocalStorage across await: lost')) expect(text).toContain('tracing: AsyncLocalStorage loses context here; spans are linked by');
  report(`${processes} processes; Run -> Ready ${first.toFixed(1)} s; tab memory ${await tabMemory(page)}`);
  await send(page, { get: '/products' }, '200');

  await stop(page);
  const again = await runUntilReady(page, 240_000);
  report(`after Stop, Run -> Ready ${again.toFixed(1)} s; tab memory ${await tabMemory(page)}`);
  await send(page, { get: '/products' }, '200');
  await stop(page);
});
