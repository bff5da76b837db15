import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '../fixtures.ts';

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

/** What is wrong with one drawn map: overlaps, cut text, low contrast. Empty when all is well. */
function problemsOf(svg: Locator) {
  return svg.evaluate((svg: SVGSVGElement) => {
    const problems: string[] = [];
    const tolerance = 0.5; // in the drawing's own units: less than a pixel at full size
    const viewBox = svg.viewBox.baseVal;
    // Boxes in the units of the viewBox, whatever size the page draws the map at and wherever
    // it is scrolled to.
    const box = (el: Element) => {
      const frame = svg.getBoundingClientRect();
      const scale = frame.width / viewBox.width;
      const r = el.getBoundingClientRect();
      return { left: (r.left - frame.left) / scale + viewBox.x, top: (r.top - frame.top) / scale + viewBox.y, right: (r.right - frame.left) / scale + viewBox.x, bottom: (r.bottom - frame.top) / scale + viewBox.y };
    };
    type Box = ReturnType<typeof box>;
    const inside = (a: Box, b: Box) => a.left >= b.left - tolerance && a.top >= b.top - tolerance && a.right <= b.right + tolerance && a.bottom <= b.bottom + tolerance;
    const overlap = (a: Box, b: Box) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > tolerance && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > tolerance;
    const show = (b: Box) => `[${b.left.toFixed(1)},${b.top.toFixed(1)} → ${b.right.toFixed(1)},${b.bottom.toFixed(1)}]`;

    const luminance = (color: string) => {
      const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const opaque = (color: string) => /^rgb\(/.test(color) || (/^rgba\(/.test(color) && !/,\s*0\)$/.test(color));
    /** The colour drawn right behind the middle of a text: a filled shape of the map, else the page. */
    const behind = (text: SVGTextElement) => {
      const r = text.getBoundingClientRect();
      const stack = document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      for (const el of stack.slice(stack.indexOf(text) + 1)) {
        if (el instanceof SVGGeometryElement && el.closest('svg') === svg) {
          const fill = getComputedStyle(el).fill;
          if (opaque(fill) && Number(getComputedStyle(el).fillOpacity) > 0) return fill;
        } else if (!(el instanceof SVGElement)) {
          for (let node: Element | null = el; node; node = node.parentElement) {
            const background = getComputedStyle(node).backgroundColor;
            if (opaque(background)) return background;
          }
          return 'rgb(255, 255, 255)';
        }
      }
      return undefined;
    };

    const texts = [...svg.querySelectorAll('text')].map((el) => ({ el, label: JSON.stringify(el.textContent ?? ''), box: box(el) }));
    if (texts.length === 0) problems.push('the map has no text');
    const whole = { left: viewBox.x, top: viewBox.y, right: viewBox.x + viewBox.width, bottom: viewBox.y + viewBox.height };
    for (const t of texts) {
      if (!inside(t.box, whole)) problems.push(`${t.label} ${show(t.box)} is cut by the edge of the map ${show(whole)}`);
      const owner = t.el.closest('g.node, g.store');
      const outline = owner?.querySelector(owner.matches('.store') ? 'path' : 'rect:not(.replica)');
      if (outline && !inside(t.box, box(outline))) problems.push(`${t.label} ${show(t.box)} sticks out of its box ${show(box(outline))}`);
    }
    texts.forEach((a, i) => {
      for (const b of texts.slice(i + 1)) if (overlap(a.box, b.box)) problems.push(`${a.label} ${show(a.box)} overlaps ${b.label} ${show(b.box)}`);
    });
    for (const t of texts) {
      const r = t.el.getBoundingClientRect();
      if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) t.el.scrollIntoView({ block: 'center', inline: 'center' });
      const background = behind(t.el);
      if (!background) continue;
      const [light, dark] = [luminance(getComputedStyle(t.el).fill), luminance(background)].sort((x, y) => y - x);
      const ratio = (light! + 0.05) / (dark! + 0.05);
      if (ratio < 4.5) problems.push(`${t.label} has a contrast of ${ratio.toFixed(2)} against ${background} (4.5 needed)`);
    }
    return problems;
  });
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
] as const) {
  test(`both maps on the compare page ${from.slice(0, 2)} → ${to.slice(0, 2)} are readable in both themes`, async ({ page }) => {
    await inBothThemes(page, `/compare/${from}/${to}/`, async (theme) => {
      await expectReadable(page, from, `a compare page, ${theme}`);
      await expectReadable(page, to, `a compare page, ${theme}`);
    });
  });
}

// The home page's row of maps: a split stage's map is drawn in more cells, not smaller, so its
// labels read like those of the one-process stages (they were 5-6 px at 1440 wide).
for (const [width, height] of [[1440, 900], [1280, 720]] as const) {
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
