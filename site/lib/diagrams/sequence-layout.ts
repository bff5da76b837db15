import type { Font } from '../text-width.ts';
import { placeLines, textBlock, type DrawnArrow, type DrawnBox, type Drawing } from './geometry.ts';
import { isDivider, type SequenceChart } from './model.ts';

// A sequence chart: one column per actor, time running down, one row per step, so no two
// steps share a height and no label can land on another. The columns are spread just enough
// for each label to fit between the lifelines its arrow joins; labels wrap to keep the chart
// narrow enough to read on a phone.

const actorFont: Font = { size: 13, bold: true };
const labelFont: Font = { size: 12 };
const labelWidth = 150;
const noteWidth = 140;
const padX = 10;
const padY = 6;
const margin = 6;
const minGap = 70;
/** Room between a label and the lifelines at either end of its arrow. */
const labelRoom = 14;

export function layoutSequence(chart: SequenceChart): Drawing {
  const column = (name: string) => {
    const i = chart.actors.indexOf(name);
    if (i < 0) throw new Error(`${chart.id}: ${name} is not one of its actors (${chart.actors.join(', ')})`);
    return i;
  };
  const actorBlocks = chart.actors.map((name) => textBlock(name, 110, actorFont));
  const actorWidths = actorBlocks.map((b) => Math.ceil(b.width + 2 * padX));
  const actorHeight = Math.ceil(Math.max(...actorBlocks.map((b) => b.height)) + 2 * padY);

  // The gaps between neighbouring columns: room for the boxes, then for each label.
  const gaps = actorWidths.slice(1).map((w, i) => Math.max(minGap, (w + actorWidths[i]!) / 2 + 16));
  const blocks = chart.steps.map((step) => {
    if (isDivider(step)) return undefined;
    return textBlock(step.label, step.from === step.to ? noteWidth : labelWidth, labelFont);
  });
  chart.steps.forEach((step, i) => {
    if (isDivider(step) || step.from === step.to) return;
    const [a, b] = [column(step.from), column(step.to)].sort((x, y) => x - y) as [number, number];
    const need = blocks[i]!.width + 2 * labelRoom;
    const have = gaps.slice(a, b).reduce((sum, g) => sum + g, 0);
    if (have < need) for (let g = a; g < b; g++) gaps[g]! += (need - have) / (b - a);
  });
  const xs = [0];
  for (const gap of gaps) xs.push(xs.at(-1)! + gap);

  const boxes: DrawnBox[] = chart.actors.map((name, i) => ({
    id: `actor ${name}`,
    kind: 'actor',
    x: xs[i]! - actorWidths[i]! / 2,
    y: 0,
    width: actorWidths[i]!,
    height: actorHeight,
    lines: placeLines(actorBlocks[i]!.lines, actorFont, xs[i]!, padY),
  }));
  const arrows: DrawnArrow[] = [];
  const left = xs[0]! - actorWidths[0]! / 2;
  const right = xs.at(-1)! + actorWidths.at(-1)! / 2;

  let y = actorHeight + 14;
  chart.steps.forEach((step, i) => {
    if (isDivider(step)) {
      const block = textBlock(step.divider, right - left - 2 * padX, labelFont);
      const height = Math.ceil(block.height + 2 * padY);
      boxes.push({ id: `divider ${i + 1}`, kind: 'divider', x: left, y, width: right - left, height, lines: placeLines(block.lines, labelFont, (left + right) / 2, y + padY) });
      y += height + 12;
      return;
    }
    const block = blocks[i]!;
    const from = xs[column(step.from)]!;
    if (step.from === step.to) {
      const width = Math.ceil(block.width + 2 * padX);
      const height = Math.ceil(block.height + 2 * padY);
      boxes.push({ id: `note ${i + 1}`, kind: 'note', x: from - width / 2, y, width, height, lines: placeLines(block.lines, labelFont, from, y + padY) });
      y += height + 12;
      return;
    }
    const to = xs[column(step.to)]!;
    const middle = (from + to) / 2;
    const arrowY = y + block.height + 5;
    const end = step.lost ? middle + (to - from) * 0.15 : to;
    arrows.push({
      path: `M${from},${arrowY} L${end},${arrowY}`,
      reply: step.reply ?? false,
      ...(step.lost ? { lostAt: { x: end, y: arrowY } } : {}),
      label: { x: middle - block.width / 2 - 3, y, width: block.width + 6, height: block.height, boxed: false, lines: placeLines(block.lines, labelFont, middle, y) },
    });
    y = arrowY + 14;
  });
  const bottom = y;

  // Notes over the outer lifelines may reach past the actor boxes: the frame takes them in.
  const minX = Math.min(...boxes.map((b) => b.x));
  const maxX = Math.max(...boxes.map((b) => b.x + b.width));
  const dx = margin - minX;
  const dy = margin;
  const shift = <T extends { x: number; y: number }>(p: T): T => ({ ...p, x: p.x + dx, y: p.y + dy });
  return {
    width: Math.ceil(maxX - minX + 2 * margin),
    height: Math.ceil(bottom + 2 * margin),
    boxes: boxes.map((b) => ({ ...shift(b), lines: b.lines.map(shift) })),
    arrows: arrows.map((a) => ({
      ...a,
      path: a.path.replace(/(-?[\d.]+),(-?[\d.]+)/g, (_, x, y) => `${round(Number(x) + dx)},${round(Number(y) + dy)}`),
      ...(a.lostAt ? { lostAt: shift(a.lostAt) } : {}),
      ...(a.label ? { label: { ...shift(a.label), lines: a.label.lines.map(shift) } } : {}),
    })),
    lifelines: xs.map((x) => ({ x: round(x + dx), top: actorHeight + dy, bottom: bottom + dy - 6 })),
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
