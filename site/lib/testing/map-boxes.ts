// The boxes a drawn stage map's tests reason about: every outline, edge label and line of
// text, in the drawing's own units, and whether two of them meet.
import type { MapText, StageMapLayout } from '../stage-map-layout.ts';
import { textWidth } from '../text-width.ts';

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

export function boxesOf(map: StageMapLayout) {
  const nodes = map.nodes.map((n) => ({ left: n.x, top: n.y, right: n.x + n.width, bottom: n.y + n.height, what: n.id }));
  const labels = map.edges.flatMap((e) => (e.label ? [{ left: e.label.x - e.label.width / 2, right: e.label.x + e.label.width / 2, top: e.label.y - e.label.height / 2, bottom: e.label.y + e.label.height / 2, what: `label ${e.label.text}` }] : []));
  const texts = [...map.nodes.flatMap((n) => n.lines), ...map.edges.flatMap((e) => (e.label ? [e.label] : []))].map(textBox);
  return { nodes, labels, texts };
}

