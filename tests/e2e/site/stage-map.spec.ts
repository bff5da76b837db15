import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '../fixtures.ts';
import { problemsOf } from './drawing-problems.ts';

// Every stage map, as a reader sees it, in both themes: no two pieces of text on top of each
// other, none cut off by the edge of the drawing or of its box, every store named in full, the
// long text of each connection readable beside the map, and text that stands out from what is
// behind it.
interface Shape {
  processes: { name: string }[];
  connections: { from: string; to: string; label?: string }[];
  stores: { name: string }[];
}
const examples = join(import.meta.dirname, '../../../examples');
const stages = readdirSync(examples).filter((name) => /^\d\d-/.test(name)).sort();
const shapeOf = (stage: string): Shape => JSON.parse(readFileSync(join(examples, stage, 'stage.json'), 'utf8'));
const themes = ['light', 'dark'] as const;
const pageBackground = { light: 'rgb(255, 255, 255)', dark: 'rgb(13, 17, 23)' };
const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The map of one stage; opens "The stage at a glance" on a chapter page when it is closed. */
async function mapOf(page: Page, stage: string): Promise<Locator> {
  const map = page.getByRole('img', { name: new RegExp(`^Processes of stage ${stage}\\b`) });
  if (!(await map.first().isVisible())) await page.getByText('The stage at a glance').click();
  await expect(map.first()).toBeVisible();
  return map;
}

async function expectReadable(page: Page, stage: string, where: string, { legend = true } = {}) {
  const shape = shapeOf(stage);
  const svg = (await mapOf(page, stage)).first();
  expect(await problemsOf(svg), `stage ${stage} on ${where}`).toEqual([]);

  // A name wrapped over several lines is read line after line.
  const names = async (selector: string) =>
    (await svg.locator(selector).evaluateAll((groups) => groups.map((g) => [...g.querySelectorAll('text')].map((t) => t.textContent).join(' ')))).map(normalize);
  const storeNames = await names('g.store');
  for (const store of shape.stores) expect(storeNames, `stage ${stage} on ${where}: a store named in full`).toContain(normalize(store.name));
  const processNames = (await names('g.node')).join(' | ');
  for (const process of shape.processes) expect(processNames, `stage ${stage} on ${where}`).toContain(process.name);

  if (!legend) return;
  // The long text of each connection stays on the page, as text beside the drawing.
  const figure = page.locator('figure', { has: svg });
  const beside = normalize(await figure.evaluate((f) => [...f.children].filter((c) => c.tagName.toLowerCase() !== 'svg').map((c) => (c as HTMLElement).innerText).join(' ')));
  for (const c of shape.connections) if (c.label) expect(beside, `stage ${stage} on ${where}: ${c.from} → ${c.to}`).toContain(normalize(c.label));
}

// Each page is loaded once and read in both themes: the themes are CSS media queries, so
// switching the emulated colour scheme restyles the page at once (a second load per theme
// doubled the time of this file).
async function inBothThemes(page: Page, path: string, read: (where: string) => Promise<void>) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(path);
  for (const theme of themes) {
    await page.emulateMedia({ colorScheme: theme });
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(pageBackground[theme]);
    await read(`${theme} theme`);
  }
}

for (const stage of stages) {
  test(`the map of stage ${stage.slice(0, 2)} on its chapter page is readable in both themes`, async ({ page }) => {
    await inBothThemes(page, `/chapters/${stage}/`, (theme) => expectReadable(page, stage, `its chapter page, ${theme}`));
  });
}

test('the thumbnails of every stage on the home page are readable in both themes', async ({ page }) => {
  await inBothThemes(page, '/', async (theme) => {
    for (const stage of stages) await expectReadable(page, stage, `the home page, ${theme}`, { legend: false });
  });
});

for (const [from, to] of [
  ['06-extract-payments', '07-surviving-the-network'],
  ['09-saga', '10-scaling-out'],
  ['11-gateway-and-observability', '12-running-it-for-real'],
  ['12-running-it-for-real', '13-grpc-contracts'],
] as const) {
  test(`both maps on the compare page ${from.slice(0, 2)} → ${to.slice(0, 2)} are readable in both themes`, async ({ page }) => {
    await inBothThemes(page, `/compare/${from}/${to}/`, async (theme) => {
      await expectReadable(page, from, `a compare page, ${theme}`);
      await expectReadable(page, to, `a compare page, ${theme}`);
    });
  });
}

// Stage 13's gRPC calls are drawn as a line of their own (two rails with the page between them),
// told apart from HTTP in the key and in the drawing, in both themes, highlighted or not.
test('the gRPC connections of stage 13 are drawn unlike HTTP, and the key says which is which', async ({ page }) => {
  const grpc = shapeOf('13-grpc-contracts').connections.filter((c) => (c as { protocol?: string }).protocol === 'grpc');
  expect(grpc.length).toBeGreaterThan(0);
  await inBothThemes(page, '/chapters/13-grpc-contracts/', async (theme) => {
    const svg = (await mapOf(page, '13-grpc-contracts')).first();
    await expect(svg.locator('path.edge.grpc')).toHaveCount(grpc.length);
    await expect(svg.locator('path.edge-core')).toHaveCount(grpc.length);
    const look = (selector: string) =>
      svg.locator(selector).first().evaluate((path) => {
        const style = getComputedStyle(path);
        return { stroke: style.stroke, width: style.strokeWidth, dashes: style.strokeDasharray };
      });
    const [rails, core, http] = [await look('path.edge.grpc'), await look('path.edge-core'), await look('path.edge.http')];
    expect(parseFloat(rails.width), theme).toBeGreaterThan(parseFloat(core.width) + 2);
    expect(core.stroke, `${theme}: the core is the page's colour`).toBe(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    expect(rails, theme).not.toEqual(http);
    const figure = page.locator('figure', { has: svg });
    await expect(figure.getByText(/gRPC \(RPCs from \.proto files\)/)).toBeVisible();
    await expect(figure.getByRole('list', { name: 'Connections of stage 13-grpc-contracts' })).toContainText('orchestrator → payments (gRPC)');
  });
});

// The home page's row of maps: a split stage's map is drawn in more cells, not smaller, so its
// labels read like those of the one-process stages (they were 5-6 px at 1440 wide). On a phone,
// where one cell is all there is, a wide map scrolls sideways in its own box (about 6 px before).
for (const [width, height] of [[1440, 900], [1280, 720], [390, 844]] as const) {
  test(`at ${width}x${height} every label of the home page's maps is drawn at 10 px or more`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    const maps = page.getByRole('img', { name: /^Processes of stage / });
    await expect(maps).toHaveCount(stages.length);
    const smallest = await maps.evaluateAll((svgs) =>
      svgs.map((svg) => {
        const sizes = [...svg.querySelectorAll('text')].map((text) => text.getBoundingClientRect().height);
        return { stage: svg.closest('[data-stage-map]')?.getAttribute('data-stage-map'), px: Math.round(Math.min(...sizes) * 10) / 10 };
      }),
    );
    expect(smallest.filter((map) => map.px < 10)).toEqual([]);
    // ... and the page itself never scrolls sideways for it.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  });
}

test('on the compare page 08 → 09 what both stages have sits in the same place in both maps', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/compare/08-message-broker/09-saga/');
  const placeIn = (stage: string) =>
    page.getByRole('img', { name: `Processes of stage ${stage}` }).evaluate((svg: SVGSVGElement) => {
      const frame = svg.getBoundingClientRect();
      const scale = svg.viewBox.baseVal.width / frame.width;
      return Object.fromEntries(
        [...svg.querySelectorAll('text')].map((text) => {
          const r = text.getBoundingClientRect();
          return [text.textContent, { x: Math.round((r.x + r.width / 2 - frame.x) * scale), y: Math.round((r.y + r.height / 2 - frame.y) * scale) }];
        }),
      );
    });
  const before = await placeIn('08-message-broker');
  const after = await placeIn('09-saga');
  for (const name of ['shop', 'payments', 'notifications', 'inventory', 'database', 'broker']) expect(after[name], name).toEqual(before[name]);
});
