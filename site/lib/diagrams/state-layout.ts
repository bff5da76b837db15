import dagre from '@dagrejs/dagre';
import { edgePath } from '../stage-map-layout.ts';
import { textWidth, type Font } from '../text-width.ts';
import { placeLines, textBlock, type DrawnArrow, type DrawnBox, type Drawing } from './geometry.ts';
import type { StateChart } from './model.ts';

// A state chart laid out by dagre, as the stage map is: top to bottom, the labels of the moves
// placed as boxes of their own so that no text lands on another, every box sized from its text.

const stateFont: Font = { size: 13, bold: true };
const labelFont: Font = { size: 11 };
/** Labels wrap at this width, keeping the chart narrow enough for a phone. */
const labelWidth = 120;
const padX = 16;
const padY = 9;
const startSize = 14;
/** The second outline of a final state sits this far inside the first. */
export const finalInset = 3;
const margin = 6;

export function layoutStateChart(chart: StateChart): Drawing {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 22, edgesep: 8, ranksep: 24, marginx: 4, marginy: 4 });
  const boxes = new Map<string, Omit<DrawnBox, 'x' | 'y'>>();

  for (const state of chart.states) {
    const inset = state.final ? finalInset : 0;
    const width = Math.ceil(textWidth(state.id, stateFont) + 2 * (padX + inset));
    const height = Math.ceil(stateFont.size * 1.45 + 2 * (padY + inset));
    boxes.set(state.id, { id: state.id, kind: state.final ? 'final' : 'state', width, height, lines: placeLines([state.id], stateFont, width / 2, height / 2 - (stateFont.size * 1.45) / 2) });
    graph.setNode(state.id, { width, height });
  }
  if (!boxes.has(chart.initial)) throw new Error(`${chart.id}: the initial state ${chart.initial} is not one of its states`);
  boxes.set('start', { id: 'start', kind: 'start', width: startSize, height: startSize, lines: [] });
  graph.setNode('start', { width: startSize, height: startSize });
  graph.setEdge('start', chart.initial, { width: 0, height: 0 }, 'start');

  const labels = new Map<string, ReturnType<typeof textBlock>>();
  chart.transitions.forEach((t, i) => {
    for (const end of [t.from, t.to]) if (!boxes.has(end)) throw new Error(`${chart.id}: a move names ${end}, which is not one of its states`);
    const block = textBlock(t.label, labelWidth, labelFont);
    labels.set(String(i), block);
    graph.setEdge(t.from, t.to, { width: Math.ceil(block.width + 8), height: Math.ceil(block.height + 4), labelpos: 'c' }, String(i));
  });

  dagre.layout(graph);

  // The frame goes round everything dagre placed, bends of the arrows included.
  const edges = graph.edges().map((e) => ({ name: e.name!, at: graph.edge(e) }));
  const rects = [
    ...[...boxes.keys()].map((id) => graph.node(id)),
    ...edges.filter((e) => e.at.width).map((e) => e.at),
  ].map((r) => ({ left: r.x! - r.width! / 2, right: r.x! + r.width! / 2, top: r.y! - r.height! / 2, bottom: r.y! + r.height! / 2 }));
  const points = edges.flatMap((e) => e.at.points ?? []);
  const xs = [...rects.flatMap((r) => [r.left, r.right]), ...points.map((p) => p.x)];
  const ys = [...rects.flatMap((r) => [r.top, r.bottom]), ...points.map((p) => p.y)];
  const dx = margin - Math.min(...xs);
  const dy = margin - Math.min(...ys);
  const move = (p: { x: number; y: number }) => ({ x: p.x + dx, y: p.y + dy });

  const placed: DrawnBox[] = [...boxes.values()].map((box) => {
    const centre = move(graph.node(box.id) as { x: number; y: number });
    const x = centre.x - box.width / 2;
    const y = centre.y - box.height / 2;
    return { ...box, x, y, lines: box.lines.map((l) => ({ ...l, x: l.x + x, y: l.y + y })) };
  });
  const arrows: DrawnArrow[] = edges.map(({ name, at }) => {
    const block = labels.get(name);
    const path = edgePath((at.points ?? []).map(move));
    if (!block || at.x === undefined || at.y === undefined) return { path, reply: false };
    const centre = move({ x: at.x, y: at.y });
    const rect = { x: centre.x - at.width! / 2, y: centre.y - at.height! / 2, width: at.width!, height: at.height! };
    return { path, reply: false, label: { ...rect, boxed: true, lines: placeLines(block.lines, labelFont, centre.x, centre.y - block.height / 2) } };
  });
  return {
    width: Math.ceil(Math.max(...xs) + dx + margin),
    height: Math.ceil(Math.max(...ys) + dy + margin),
    boxes: placed,
    arrows,
    lifelines: [],
  };
}
