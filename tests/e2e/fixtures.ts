// The `test` every end-to-end spec uses: Playwright's own, plus one automatic fixture.
//
// A test that presses Run leaves a stage running when its page closes; the runner stops it only
// after its disconnect grace, and until then the stage's processes take CPU from the next test
// and count against the runner's limit of runs at once (a test that starts right after two
// busy ones was refused: "3 stages are already running"). So every run a test's pages started
// is stopped when the test ends, and the next test starts on a quiet machine.
import { test as base } from '@playwright/test';
import { tokenHeader } from '../../server/runner/security.ts';
import { sharedRunnerToken } from '../support/runner-token.ts';

export { expect } from '@playwright/test';
export type { Locator, Page } from '@playwright/test';

export const test = base.extend<{ stopRunsAfterTest: void }>({
  stopRunsAfterTest: [
    async ({ context, baseURL }, use) => {
      const started: Promise<string | undefined>[] = [];
      context.on('response', (response) => {
        const request = response.request();
        if (request.method() !== 'POST' || new URL(response.url()).pathname !== '/__runner/runs' || response.status() !== 201) return;
        started.push(response.json().then((body: { id?: string }) => body.id, () => undefined));
      });
      await use();
      const ids = (await Promise.all(started)).filter((id): id is string => Boolean(id));
      // DELETE answers once every process of the run is gone; a run that already ended answers
      // 404, which is just as good. Anything else means runs were left behind: say so.
      await Promise.all(
        ids.map(async (id) => {
          const response = await context.request.delete(`/__runner/runs/${encodeURIComponent(id)}`, {
            headers: { [tokenHeader]: sharedRunnerToken(), origin: baseURL ?? '' },
          });
          if (response.status() !== 200 && response.status() !== 404) {
            throw new Error(`stopping run ${id} after the test: ${response.status()} ${await response.text()}`);
          }
        }),
      );
    },
    { auto: true },
  ],
});
