import { expect, test } from '../fixtures.ts';
import { side } from './helpers.ts';

// Two of the heavy stages in the browser's runtime: Run both refuses before starting anything
// (WebContainer is forced, so the refusal comes without its host being reachable), and says
// why and what to do on each side.
test('Run both refuses in the browser a pair over the process budget, and says what to do', async ({ page }) => {
  await page.goto('/compare/11-gateway-and-observability/12-running-it-for-real/?runtime=webcontainer');
  await page.getByRole('button', { name: 'Run both' }).click();
  for (const n of ['11', '12']) {
    const status = side(page, n).getByRole('status');
    await expect(status).toContainText('Not started: together these stages run 28 Node processes (Stage 11 14, Stage 12 14)');
    await expect(status).toContainText('run the project on your computer (npm start)');
  }
  await expect(page.getByRole('button', { name: 'Stop both' })).toBeDisabled();
});
