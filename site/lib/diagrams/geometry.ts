// What both layouts hand to the drawing: boxes with their lines of text, and labelled arrows.
// The layout tests check these (no text on other text, every line inside its box); the
// components draw them as they are.
import type { MapText } from '../stage-map-layout.ts';
import { textWidth, wrapText, type Font } from '../text-width.ts';

export type { MapText };

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DrawnBox extends Rect {
  /** What the box stands for, as the tests name it. */
  id: string;
  kind: 'state' | 'final' | 'start' | 'actor' | 'note' | 'divider';
  lines: MapText[];
}

export interface DrawnArrow {
  path: string;
  reply: boolean;
  /** Where a lost message stops, drawn as a cross. */
  lostAt?: { x: number; y: number };
  /** A label on a box of its own (state charts) or over the arrow (sequences). */
  label?: Rect & { lines: MapText[]; boxed: boolean };
}

export interface Drawing {
  width: number;
  height: number;
  boxes: DrawnBox[];
  arrows: DrawnArrow[];
  /** Vertical lines: the lifelines of a sequence. */
  lifelines: { x: number; top: number; bottom: number }[];
}

/** Leading between lines, in font sizes: as the stage map's, comfortably over one line's 1.17 em. */
export const leading = 1.45;

/** `text` wrapped to `maxWidth`, measured: its lines, the widest line's width and the block's height. */
export function textBlock(text: string, maxWidth: number, font: Font) {
  const lines = wrapText(text, maxWidth, font);
  const width = Math.max(...lines.map((line) => textWidth(line, font)));
  return { lines, width, height: lines.length * font.size * leading };
}

/** Lines centred on x, the first line's centre half a line below `top`. */
export function placeLines(lines: string[], font: Font, x: number, top: number): MapText[] {
  const step = font.size * leading;
  return lines.map((text, i) => ({ text, font, x, y: top + step * (i + 0.5) }));
}
