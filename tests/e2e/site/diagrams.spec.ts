import { expect, test, type Page } from '../fixtures.ts';
import { problemsOf } from './drawing-problems.ts';

// The diagrams drawn from the stages' code, as a reader sees them: in both themes, on a desktop
// and on a phone. No text on other text, none sticking out of its box or cut by the edge, text
// that stands out from what is behind it; on a phone the drawing keeps its text at a reading
// size (scrolling sideways within its own frame) and the page itself never scrolls sideways.
const pages = {
  '/chapters/06-extract-payments/': ['parallel-run'],
  '/chapters/07-surviving-the-network/': ['lost-answer', 'breaker-states'],
  '/chapters/08-message-broker/': ['publish-ack-commit', 'cancel-before-order'],
  '/chapters/09-saga/': ['saga-happy-path', 'saga-out-of-stock', 'saga-declined', 'saga-gave-up', 'saga-cancelled'],
  '/chapters/10-scaling-out/': ['lease-timeline'],
  '/order-lifecycle/': ['order-lifecycle'],
};
const screens = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } };
const pageBackground = { light: 'rgb(255, 255, 255)', dark: 'rgb(13, 17, 23)' };

async function expectDiagramsReadable(page: Page, ids: string[], where: string) {
  for (const id of ids) {
    const figure = page.locator(`figure[data-diagram="${id}"]`);
    const svg = figure.getByRole('img');
    await expect(svg, `${id} on ${where}`).toBeVisible();
    expect(await problemsOf(svg), `${id} on ${where}`).toEqual([]);
    // drawn at 80 % of its size at least: 12 px labels stay at 9.6 px or more
    const scale = await svg.evaluate((el: SVGSVGElement) => el.getBoundingClientRect().width / el.viewBox.baseVal.width);
    expect(scale, `${id} on ${where}: the drawing's scale`).toBeGreaterThanOrEqual(0.8);
  }
}

for (const [path, ids] of Object.entries(pages)) {
  for (const [screen, size] of Object.entries(screens)) {
    test(`the diagrams of ${path} are readable in both themes on a ${screen}`, async ({ page }) => {
      await page.setViewportSize(size);
      await page.goto(path);
      for (const theme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: theme });
        await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(pageBackground[theme]);
        await expectDiagramsReadable(page, ids, `${path}, ${screen}, ${theme} theme`);
      }
      if (screen === 'phone') {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, 'the page scrolls sideways on a phone').toBeLessThanOrEqual(0);
      }
    });
  }
}

test('every diagram has its content as text: a title, a description, and the steps in a list', async ({ page }) => {
  await page.goto('/chapters/07-surviving-the-network/');
  const figure = page.locator('figure[data-diagram="breaker-states"]');
  await expect(figure.getByRole('img', { name: "The circuit breaker's states" })).toBeVisible();
  await figure.getByText('The diagram as text').click();
  const steps = figure.getByRole('listitem');
  await expect(steps.first()).toHaveText('starts closed');
  await expect(steps.filter({ hasText: /^closed → open: \d+ failures in a row$/ })).toHaveCount(1);
});
