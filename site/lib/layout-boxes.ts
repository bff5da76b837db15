// The geometry the layout tests of the stage map and the diagrams check: boxes, and the box a
// line of text takes up as the browser draws it.
import type { MapText } from './stage-map-layout.ts';
import { textWidth } from './text-width.ts';

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
  what: string;
}

// A line of text drawn with dy=0.35em: its glyph box (ascent plus descent, 1.17 em in DejaVu
// Sans) centred on y.
export const textBox = (t: MapText): Box => {
  const w = textWidth(t.text, t.font);
  const h = 1.17 * t.font.size;
  return { left: t.x - w / 2, right: t.x + w / 2, top: t.y - h / 2, bottom: t.y + h / 2, what: t.text };
};
export const overlap = (a: Box, b: Box) => Math.min(a.right, b.right) > Math.max(a.left, b.left) && Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top);
export const inside = (a: Box, b: Box) => a.left >= b.left && a.top >= b.top && a.right <= b.right && a.bottom <= b.bottom;
