// What the container's Node can do, as the adapter's probe reports it in the first run's
// Output (site/runtime/webcontainer/probe.ts): its version, type stripping, and whether
// AsyncLocalStorage keeps context across await. The stages need the first two; stages 11-12
// work without the third (they say so in their Output).
import { expect, test } from '@playwright/test';
import { openChapter, output, report, runUntilReady, stop } from './support.ts';

const probeLine = /Node in the container: (v[\d.]+); type stripping: (\S+) \((a \.ts file ran|a \.ts file did NOT run)\); AsyncLocalStorage across await: (kept|lost)\./;

test('the container runs Node 22.18+ with type stripping; AsyncLocalStorage is reported', async ({ page }) => {
  await openChapter(page, '01-single-file');
  await runUntilReady(page);
  const text = (await output(page).textContent()) ?? '';
  const found = probeLine.exec(text);
  expect(found, `the probe's line in the Output:\n${text.slice(0, 2000)}`).not.toBeNull();
  const [, version, typescript, ranTs, asyncContext] = found!;
  report(`node ${version}; process.features.typescript ${typescript}; ${ranTs}; AsyncLocalStorage across await: ${asyncContext}`);
  const [major = 0, minor = 0] = version!.slice(1).split('.').map(Number);
  expect(major > 22 || (major === 22 && minor >= 18), `Node ${version} strips types by default`).toBe(true);
  expect(ranTs).toBe('a .ts file ran');
  await stop(page);
});
