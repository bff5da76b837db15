import { describe, expect, it } from 'vitest';
import { inside, overlap, textBox, type Box } from '../layout-boxes.ts';
import { chartIds, chartOf } from './catalogue.ts';
import type { Drawing, Rect } from './geometry.ts';
import { layoutChart } from './layout.ts';

// Every diagram, as laid out for the page: as the stage maps' test does, no text on other text,
// every line inside its box, no box on another, all of it inside the drawing.
const rectBox = (r: Rect, what: string): Box => ({ left: r.x, top: r.y, right: r.x + r.width, bottom: r.y + r.height, what });

/** What is wrong with a drawing: empty when all is well. */
export function layoutProblems(drawing: Drawing): string[] {
  const problems: string[] = [];
  const whole = { left: 0, top: 0, right: drawing.width, bottom: drawing.height, what: 'the drawing' };
  const shapes = [...drawing.boxes.map((b) => rectBox(b, b.id)), ...drawing.arrows.flatMap((a) => (a.label?.boxed ? [rectBox(a.label, `label ${a.label.lines[0]?.text}`)] : []))];
  shapes.forEach((a, i) => {
    for (const b of shapes.slice(i + 1)) if (overlap(a, b)) problems.push(`${a.what} overlaps ${b.what}`);
    if (!inside(a, whole)) problems.push(`${a.what} sticks out of the drawing`);
  });
  const owned = [...drawing.boxes.map((b) => ({ outline: rectBox(b, b.id), lines: b.lines })), ...drawing.arrows.flatMap((a) => (a.label ? [{ outline: rectBox(a.label, 'its label'), lines: a.label.lines }] : []))];
  for (const { outline, lines } of owned) {
    for (const line of lines) if (!inside(textBox(line), outline)) problems.push(`"${line.text}" sticks out of ${outline.what}`);
  }
  const texts = owned.flatMap((o) => o.lines).map(textBox);
  texts.forEach((a, i) => {
    for (const b of texts.slice(i + 1)) if (overlap(a, b)) problems.push(`"${a.what}" overlaps "${b.what}"`);
    if (!inside(a, whole)) problems.push(`"${a.what}" is cut by the edge of the drawing`);
  });
  return problems;
}

describe.each(chartIds)('the diagram %s', (id) => {
  const chart = chartOf(id);
  const drawing = layoutChart(chart);

  it('has no text on other text, every line inside its box and everything inside the drawing', () => {
    expect(layoutProblems(drawing)).toEqual([]);
  });

  it('draws every state or actor, and an arrow for every move or message', () => {
    if (chart.kind === 'states') {
      expect(drawing.boxes.filter((b) => b.kind === 'state' || b.kind === 'final').map((b) => b.id).sort()).toEqual(chart.states.map((s) => s.id).sort());
      // one arrow per move, and one from the start dot
      expect(drawing.arrows).toHaveLength(chart.transitions.length + 1);
      expect(drawing.arrows.filter((a) => a.label).map((a) => a.label!.lines.map((l) => l.text).join(' '))).toEqual(chart.transitions.map((t) => t.label));
    } else {
      expect(drawing.boxes.filter((b) => b.kind === 'actor').map((b) => b.lines.map((l) => l.text).join(' '))).toEqual(chart.actors);
      expect(drawing.lifelines).toHaveLength(chart.actors.length);
    }
    for (const arrow of drawing.arrows) expect(arrow.path).toMatch(/^M[\d.-]+,[\d.-]+ .*L[\d.-]+,[\d.-]+$/);
  });

  it('is narrow enough to read on a phone when scrolled no more than once sideways', () => {
    // 390 px wide, less the page's padding: drawn at 80 % at least, two screens wide at most
    expect(drawing.width * 0.8).toBeLessThanOrEqual(2 * 358);
  });
});

describe('layoutProblems', () => {
  it('finds a label planted on top of another', () => {
    const drawing = layoutChart(chartOf('breaker-states'));
    const [first, second] = drawing.arrows.filter((a) => a.label);
    const planted = { ...drawing, arrows: [...drawing.arrows, { ...second!, label: { ...first!.label! } }] };
    expect(layoutProblems(planted).join('\n')).toMatch(/overlaps/);
  });
});
