// The boxes of a laid-out stage map that its tests reason about: every outline, edge label and
// line of text, in the drawing's own units (the geometry itself is site/lib/layout-boxes.ts).
import { textBox } from '../layout-boxes.ts';
import type { StageMapLayout } from '../stage-map-layout.ts';

export function boxesOf(map: StageMapLayout) {
  const nodes = map.nodes.map((n) => ({ left: n.x, top: n.y, right: n.x + n.width, bottom: n.y + n.height, what: n.id }));
  const labels = map.edges.flatMap((e) => (e.label ? [{ left: e.label.x - e.label.width / 2, right: e.label.x + e.label.width / 2, top: e.label.y - e.label.height / 2, bottom: e.label.y + e.label.height / 2, what: `label ${e.label.text}` }] : []));
  const texts = [...map.nodes.flatMap((n) => n.lines), ...map.edges.flatMap((e) => (e.label ? [e.label] : []))].map(textBox);
  return { nodes, labels, texts };
}
