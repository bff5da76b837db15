// The lesson beside the code: on a wide screen the chapter's steps and the workbench are seen
// at once (prose scrolling, workbench sticky), the experiment's steps are inside the workbench
// with their request buttons, and the answer has room to be read. A phone stays one column.
import { expect, test, type Locator, type Page } from '../fixtures.ts';
import { workbench } from './helpers.ts';

const chapter07 = '/chapters/07-surviving-the-network/';
/** A step's request button sends at once, and its name says so: the console's button of the same label only fills the form. */
const sentAtOnce = (label: string) => `${label} (sent at once)`;

/** The part of `box` inside the viewport, as a share of its height (0 when off screen). */
async function visibleShare(page: Page, target: Locator): Promise<number> {
  const box = await target.boundingBox();
  const view = page.viewportSize();
  if (!box || !view || box.height === 0) return 0;
  const top = Math.max(0, box.y);
  const bottom = Math.min(view.height, box.y + box.height);
  return Math.max(0, bottom - top) / box.height;
}

test('at 1440x900 the Experiment and the whole workbench are on screen together', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(chapter07);
  const heading = page.getByRole('heading', { name: /^Experiment: retries/ });
  await heading.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 0));
  expect(await visibleShare(page, heading)).toBe(1);
  // The workbench sits beside the prose, all of it in view, not just a sliver of it.
  expect(await visibleShare(page, workbench(page))).toBeGreaterThan(0.95);
  expect(await visibleShare(page, workbench(page).getByRole('button', { name: 'Run', exact: true }))).toBe(1);
  // ...and the first step's text is in view too, beside it.
  expect(await visibleShare(page, page.getByRole('listitem').filter({ hasText: 'shows no faults, with' }))).toBe(1);
});

test('the Steps panel lists the experiment; a step\'s request button sends it and the Response shows the whole answer', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${chapter07}?runtime=local`);
  const wb = workbench(page);
  await wb.getByRole('tablist', { name: 'Workbench view' }).getByRole('tab', { name: 'Steps' }).click();
  const steps = wb.getByRole('tabpanel', { name: 'Steps' });
  await expect(steps.getByRole('listitem')).toHaveCount(7);
  const step1 = steps.getByRole('listitem').first();
  await expect(step1).toContainText('shows no faults');
  const step3 = steps.getByRole('listitem').nth(2);
  await expect(step3.getByRole('button', { name: sentAtOnce('Card charges per order') })).toBeVisible();
  const step5 = steps.getByRole('listitem').nth(4);
  for (const label of ['Slow payments down', 'Card charges per order', 'Breaker', 'Heal payments', 'This order']) {
    await expect(step5.getByRole('button', { name: sentAtOnce(label), exact: true })).toBeVisible();
  }

  await wb.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 60_000 });
  const response = wb.getByRole('region', { name: 'Response' });
  // Where the reader is while doing the experiment: at its heading in the prose.
  await page.getByRole('heading', { name: /^Experiment: retries/ }).scrollIntoViewIfNeeded();
  await step1.getByRole('button', { name: sentAtOnce('Faults'), exact: true }).click();
  await expect(response).toContainText('200 OK', { timeout: 20_000 });
  await expect(response).toContainText('"idempotencyKeys": true');
  // The same request the console's own button sends: the form holds it too.
  await expect(wb.getByLabel('Path')).toHaveValue('/ops/faults');

  await step5.getByRole('button', { name: sentAtOnce('Breaker'), exact: true }).click();
  await expect(response).toContainText('GET /ops/breaker');
  await expect(response).toContainText('"state": "closed"');
  // The whole breaker answer is readable without scrolling the Response region.
  const body = response.getByLabel('Response body');
  const fits = await response.evaluate((region) => region.scrollHeight <= region.clientHeight + 1);
  expect(fits).toBe(true);
  expect(await visibleShare(page, body)).toBe(1);

  // A step can be marked done, and stays so on the next visit.
  await step1.getByRole('checkbox', { name: /Step 1 done/ }).check();
  await page.reload();
  await wb.getByRole('tablist', { name: 'Workbench view' }).getByRole('tab', { name: 'Steps' }).click();
  await expect(steps.getByRole('listitem').first().getByRole('checkbox', { name: /Step 1 done/ })).toBeChecked();
});

for (const [width, height] of [[1440, 900], [1280, 720]] as const) {
  test(`at ${width}x${height} the whole workbench is in the window at the top of the page, while it scrolls and once it sticks`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto(chapter07);
    const wb = workbench(page);
    for (const scrollY of [0, 30, 64, 2000]) {
      await page.evaluate((y) => window.scrollTo(0, y), scrollY);
      // the scroll-driven height follows the scroll on the next frame
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const box = (await wb.boundingBox())!;
      expect(box.y, `top at scroll ${scrollY}`).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height, `bottom at scroll ${scrollY}`).toBeLessThanOrEqual(height);
      // ...and it is not simply short: under the header it leaves 8 px below it, and once the
      // header has scrolled away it grows into the header's room
      expect(height - (box.y + box.height), `room left below at scroll ${scrollY}`).toBeLessThanOrEqual(12);
    }
  });
}

test('the Steps tab says how many steps there are; Maximise code gives the editor at least 72 characters a line', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(chapter07);
  const wb = workbench(page);
  await expect(wb.getByRole('tab', { name: 'Steps 7' })).toBeVisible();
  await wb.getByRole('tabpanel', { name: 'start.ts' }).click();
  await expect(wb.getByRole('textbox', { name: 'Code editor' })).toBeFocused({ timeout: 15_000 });
  const columns = () =>
    wb.evaluate((root) => {
      const lines = [...root.querySelectorAll<HTMLElement>('.view-line')].filter((line) => (line.textContent ?? '').length > 20);
      const line = lines[0];
      const text = line?.firstElementChild as HTMLElement | null;
      const area = root.querySelector<HTMLElement>('.monaco-scrollable-element');
      if (!line || !text || !area) return 0;
      const charWidth = text.getBoundingClientRect().width / (text.textContent ?? '').length;
      return Math.floor(area.getBoundingClientRect().width / charWidth);
    });
  const before = await columns();
  const maximise = wb.getByRole('button', { name: 'Maximise code' });
  await maximise.click();
  await expect(maximise).toHaveAttribute('aria-pressed', 'true');
  await expect(wb.getByRole('region', { name: 'Response' })).toBeHidden();
  await expect.poll(columns).toBeGreaterThanOrEqual(72);
  expect(before).toBeLessThan(72);
  // Pressed again, it gives the side pane its width back.
  await maximise.click();
  await expect(wb.getByRole('region', { name: 'Response' })).toBeVisible();
  await expect.poll(columns).toBe(before);
});

test('the Output and Response share is resizable by keyboard, and the side pane can be maximised', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(chapter07);
  const wb = workbench(page);
  const splitter = wb.getByRole('separator', { name: 'Resize the output and requests panes' });
  await expect(splitter).toHaveAttribute('aria-orientation', 'horizontal');
  const response = wb.getByRole('region', { name: 'Response' });
  const before = (await response.boundingBox())!.height;
  await splitter.focus();
  await page.keyboard.press('Home');
  const after = (await response.boundingBox())!.height;
  expect(after).toBeGreaterThan(before + 50);

  const code = wb.getByRole('tree', { name: 'Files' });
  await expect(code).toBeVisible();
  const maximise = wb.getByRole('button', { name: 'Maximise output and requests' });
  const narrow = (await response.boundingBox())!.width;
  await maximise.click();
  await expect(maximise).toHaveAttribute('aria-pressed', 'true');
  await expect(code).toBeHidden();
  expect((await response.boundingBox())!.width).toBeGreaterThan(narrow * 1.5);
  await maximise.click();
  await expect(code).toBeVisible();
});

for (const path of ['/chapters/01-single-file/', chapter07, '/chapters/10-scaling-out/']) {
  test(`at 390x844 ${path} does not overflow sideways and its steps are a tab away`, async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(path);
    const wb = workbench(page);
    await wb.getByRole('tablist', { name: 'Workbench view' }).getByRole('tab', { name: 'Steps' }).click();
    await expect(wb.getByRole('tabpanel', { name: 'Steps' }).getByRole('listitem').first()).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}

test('a chapter without an experiment has no Steps tab', async ({ page }) => {
  await page.goto('/chapters/00-how-to-use/');
  const wb = workbench(page);
  await expect(wb.getByRole('button', { name: 'Run', exact: true })).toBeVisible();
  await expect(wb.getByRole('tab', { name: 'Steps' })).toHaveCount(0);
});
