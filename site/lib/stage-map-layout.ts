import dagre from '@dagrejs/dagre';
import { changesSince, connectionKey, readStageShape, type ShapeChange, type StageShape } from './stage-map.ts';
import { textWidth, wrapText, type Font } from './text-width.ts';

// Where each box, line and label of a stage map goes, worked out at build time so the page ships
// a finished SVG and no script. Dagre ranks the graph top to bottom and places the short edge
// labels as boxes of their own, so no text lands on another; boxes are sized from their text.

export interface MapText {
  text: string;
  /** Centre of the line of text. */
  x: number;
  y: number;
  font: Font;
}

export interface MapNode {
  id: string;
  /** The process's or the store's name, as in stage.json. */
  name: string;
  kind: 'client' | 'process' | 'store';
  /** The drawn outline (for a process with replicas, the front one). */
  x: number;
  y: number;
  width: number;
  height: number;
  replicas: number;
  public: boolean;
  added: boolean;
  /** Gone in the stage it is compared with (see stage-map-pair.ts). */
  removed?: boolean;
  lines: MapText[];
}

export interface MapEdge {
  key: string;
  from: string;
  to: string;
  protocol: string;
  /** SVG path data, from the edge of one box to the edge of the other. */
  path: string;
  added: boolean;
  /** Gone in the stage it is compared with (see stage-map-pair.ts). */
  removed?: boolean;
  label?: MapText & { width: number; height: number };
}

/** The long text of a connection, shown beside the map under the number its edge carries. */
export interface LegendEntry {
  number: number;
  /** The connection's key (see connectionKey). */
  key: string;
  from: string;
  to: string;
  protocol: string;
  text: string;
  added: boolean;
}

export interface StageMapLayout {
  width: number;
  height: number;
  nodes: MapNode[];
  edges: MapEdge[];
  legend: LegendEntry[];
}

export const clientName = 'you (curl, browser)';
const protocolNames: Record<string, string> = { http: 'HTTP', grpc: 'gRPC', mqtt: 'MQTT', postgres: 'SQL', 'in-process': 'call' };
export const protocolName = (protocol: string) => protocolNames[protocol] ?? protocol.toUpperCase();

// Lines of text sit `leading` font sizes apart: more than the 1.16 em a line's box takes, and
// more still in a thumbnail, where the browser rounds the font's height up to whole pixels of a
// tiny font (a 14 px line drawn at a third of its size took 19 px of the drawing, not 16).
const sizes = {
  full: { node: 13, store: 12, label: 11, storeText: 200, leading: 1.45 },
  compact: { node: 15, store: 14, label: 0, storeText: 170, leading: 1.75 },
};
const padX = 14;
const padY = 10;
/** A store's lid: the half-height of the ellipse that closes the cylinder. */
export const lidRadius = 7;
/** How far the back copies of a replicated process stick out up and to the right. */
export const replicaOffset = 6;

interface Box {
  width: number;
  height: number;
}

/** Lines of text centred in a box whose top-left corner is (0, 0), offset downwards by `top`. */
function centredLines(texts: string[], font: Font, leading: number, width: number, top: number): MapText[] {
  const step = font.size * leading;
  return texts.map((text, i) => ({ text, font, x: width / 2, y: top + step * (i + 0.5) }));
}

// Boxes are measured for bold text, whether or not it is drawn bold (what is new is), so a stage's
// map has one shape wherever it is drawn, and one layout serves every highlighting of it.
function processBox(text: string, font: Font, leading: number, pill: boolean): Box & { lines: MapText[] } {
  const height = font.size * leading + 2 * padY;
  // A pill's round ends eat into the room for text.
  const width = Math.ceil(textWidth(text, { ...font, bold: true }) + 2 * padX + (pill ? height / 3 : 0));
  return { width, height, lines: centredLines([text], font, leading, width, padY) };
}

function storeBox(name: string, font: Font, leading: number, maxText: number): Box & { lines: MapText[] } {
  const texts = wrapText(name, maxText, { ...font, bold: true });
  const widest = Math.max(...texts.map((t) => textWidth(t, { ...font, bold: true })));
  const width = Math.ceil(widest + 2 * padX);
  // Below the lid's ellipse, and clear of the curved bottom, which rises by a lid radius at the sides.
  const top = 2 * lidRadius + 4;
  const height = Math.ceil(top + texts.length * font.size * leading + 4 + lidRadius);
  return { width, height, lines: centredLines(texts, font, leading, width, top) };
}

/** A smooth path through dagre's bend points: a curve round each bend, ending straight, so the arrowhead points along the last segment. */
export function edgePath(points: { x: number; y: number }[]): string {
  const round = (n: number) => Math.round(n * 10) / 10;
  const at = (p: { x: number; y: number }) => `${round(p.x)},${round(p.y)}`;
  const [first, ...rest] = points;
  if (!first) return '';
  const last = rest.pop();
  if (!last) return `M${at(first)}`;
  let d = `M${at(first)}`;
  rest.forEach((p, i) => {
    const next = rest[i + 1] ?? last;
    d += ` Q${at(p)} ${at({ x: (p.x + next.x) / 2, y: (p.y + next.y) / 2 })}`;
  });
  return `${d} L${at(last)}`;
}

/** The map of a stage with what `change` says is new marked, and drawn bold. */
export function layoutStageMap(shape: StageShape, change: ShapeChange, { compact = false } = {}): StageMapLayout {
  return highlight(layoutShape(shape, { compact }), change);
}

export function highlight(map: StageMapLayout, change: ShapeChange): StageMapLayout {
  const nodeAdded = (n: MapNode) => (n.kind === 'process' && change.addedProcesses.has(n.name)) || (n.kind === 'store' && change.addedStores.has(n.name));
  const edgeAdded = (e: MapEdge) => change.addedConnections.has(e.key) || (e.protocol === 'store' && change.addedStores.has(e.to));
  const bold = <T extends MapText>(t: T, added: boolean): T => ({ ...t, font: { ...t.font, bold: added } });
  return {
    ...map,
    nodes: map.nodes.map((n) => ({ ...n, added: nodeAdded(n), lines: n.lines.map((l) => bold(l, nodeAdded(n))) })),
    edges: map.edges.map((e) => ({ ...e, added: edgeAdded(e), ...(e.label ? { label: bold(e.label, edgeAdded(e)) } : {}) })),
    legend: map.legend.map((entry) => ({ ...entry, added: change.addedConnections.has(entry.key) })),
  };
}

/** Where everything goes; nothing marked as new. */
export function layoutShape(shape: StageShape, { compact = false } = {}): StageMapLayout {
  const size = compact ? sizes.compact : sizes.full;
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  // Top to bottom keeps the map narrow enough for a column of prose; tight-tree ranking gave the
  // narrowest maps for the later stages (stage 12: 835 px wide, against 950 with the default).
  graph.setGraph({ rankdir: 'TB', ranker: 'tight-tree', nodesep: 14, edgesep: 4, ranksep: compact ? 34 : 26, marginx: 4, marginy: 4 });

  const nodes = new Map<string, Omit<MapNode, 'x' | 'y'>>();
  const add = (node: Omit<MapNode, 'x' | 'y'>) => {
    nodes.set(node.id, node);
    const extra = node.replicas > 1 ? replicaOffset : 0;
    graph.setNode(node.id, { width: node.width + extra, height: node.height + extra });
  };

  const client = processBox(clientName, { size: size.node }, size.leading, true);
  add({ id: 'client', name: clientName, kind: 'client', ...client, replicas: 1, public: false, added: false });
  for (const p of shape.processes) {
    const box = processBox(`${p.name}${p.replicas > 1 ? ` ×${p.replicas}` : ''}`, { size: size.node }, size.leading, false);
    add({ id: `process:${p.name}`, name: p.name, kind: 'process', ...box, replicas: p.replicas, public: p.public, added: false });
  }
  shape.stores.forEach((s, i) => {
    add({ id: `store:${i}`, name: s.name, kind: 'store', ...storeBox(s.name, { size: size.store }, size.leading, size.storeText), replicas: 1, public: false, added: false });
  });

  const legend: LegendEntry[] = [];
  const edges: Omit<MapEdge, 'path' | 'label'>[] = [];
  const labels = new Map<string, { text: string; font: Font }>();
  const link = (edge: Omit<MapEdge, 'path' | 'label'>, from: string, to: string, label?: string) => {
    edges.push(edge);
    const font: Font = { size: size.label };
    const height = Math.ceil(font.size * size.leading + 4);
    const box = label && !compact ? { width: Math.max(height, Math.ceil(textWidth(label, { ...font, bold: true }) + 8)), height } : { width: 0, height: 0 };
    if (label && !compact) labels.set(edge.key, { text: label, font });
    graph.setEdge(from, to, { ...box, labelpos: 'c' }, edge.key);
  };

  for (const p of shape.processes.filter((p) => p.public)) {
    link({ key: `client->${p.name}`, from: 'client', to: p.name, protocol: 'http', added: false }, 'client', `process:${p.name}`, protocolName('http'));
  }
  for (const c of shape.connections) {
    const key = connectionKey(c);
    // The edge carries only its number (the line's dash says the protocol): with the protocol
    // written out too, the labels made stage 12's map a fifth wider.
    let label = protocolName(c.protocol);
    if (c.label) {
      const number = legend.length + 1;
      legend.push({ number, key, from: c.from, to: c.to, protocol: label, text: c.label, added: false });
      label = String(number);
    }
    link({ key, from: c.from, to: c.to, protocol: c.protocol, added: false }, `process:${c.from}`, `process:${c.to}`, label);
  }
  shape.stores.forEach((s, i) => {
    for (const user of s.usedBy ?? []) {
      if (shape.processes.some((p) => p.name === user)) {
        link({ key: `${user}->store:${i}`, from: user, to: s.name, protocol: 'store', added: false }, `process:${user}`, `store:${i}`);
      }
    }
  });

  dagre.layout(graph);

  // Dagre fits its drawing round the boxes and labels only; an edge bowing round the outside can
  // leave it. So the frame is measured here, round everything, with room for the arrowheads.
  const points = graph.edges().map((e) => graph.edge(e).points ?? []);
  const footprints = [...nodes.keys()].map((id) => graph.node(id)).map((n) => ({ x: n.x!, y: n.y!, width: n.width, height: n.height }));
  const edgeLabels = graph.edges().map((e) => graph.edge(e)).filter((l) => l.x !== undefined && l.width);
  const xs = [...points.flat().map((p) => p.x), ...[...footprints, ...edgeLabels].flatMap((b) => [b.x! - b.width! / 2, b.x! + b.width! / 2])];
  const ys = [...points.flat().map((p) => p.y), ...[...footprints, ...edgeLabels].flatMap((b) => [b.y! - b.height! / 2, b.y! + b.height! / 2])];
  const margin = 6;
  const dx = margin - Math.min(...xs);
  const dy = margin - Math.min(...ys);
  const move = (p: { x: number; y: number }) => ({ x: p.x + dx, y: p.y + dy });

  const placed: MapNode[] = [...nodes.values()].map((node) => {
    const at = move(graph.node(node.id) as { x: number; y: number });
    const extra = node.replicas > 1 ? replicaOffset : 0;
    // Dagre gives the centre of the whole footprint; the front box sits at its bottom left.
    const x = at.x - (node.width + extra) / 2;
    const y = at.y - (node.height + extra) / 2 + extra;
    return { ...node, x, y, lines: node.lines.map((l) => ({ ...l, x: l.x + x, y: l.y + y })) };
  });
  const laidEdges: MapEdge[] = graph.edges().map((e, i) => {
    const at = graph.edge(e);
    const edge = edges.find((candidate) => candidate.key === e.name) ?? edges[i]!;
    const label = labels.get(edge.key);
    return {
      ...edge,
      path: edgePath((at.points ?? []).map(move)),
      ...(label && at.x !== undefined && at.y !== undefined ? { label: { ...label, ...move({ x: at.x, y: at.y }), width: at.width ?? 0, height: at.height ?? 0 } } : {}),
    };
  });
  const width = Math.ceil(Math.max(...xs) + dx + margin);
  const height = Math.ceil(Math.max(...ys) + dy + margin);
  return { width, height, nodes: placed, edges: laidEdges, legend };
}

const built = new Map<string, StageMapLayout>();

/**
 * The map of `stage`, highlighting what is new since `since`. Laid out once per stage and size in
 * a build (the compare pages draw every stage many times over) and highlighted for each page.
 */
export function stageMapOf(stage: string, since: string | undefined, compact: boolean) {
  const shape = readStageShape(stage);
  const change = changesSince(since ? readStageShape(since) : undefined, shape);
  const key = `${stage} ${compact}`;
  let layout = built.get(key);
  if (!layout) {
    layout = layoutShape(shape, { compact });
    built.set(key, layout);
  }
  return { shape, change, layout: highlight(layout, change) };
}
