// Two stages' maps side by side on a compare page. Each laid out alone, the same process could
// land anywhere (from 08 to 09 the database and the broker swapped sides), so the eye reads a
// move where nothing moved. Here one layout is made of everything either stage has; each map
// then draws only its own parts, each at its place in that layout: what both stages have stays
// put, what is new is marked in the later map and what is gone in the earlier one.
import { highlight, layoutShape, type MapEdge, type MapNode, type StageMapLayout } from './stage-map-layout.ts';
import { changesSince, connectionKey, readStageShape, type StageShape } from './stage-map.ts';

/** Every process, connection and store of either stage (a process keeps its larger replica count). */
export function unionShape(from: StageShape, to: StageShape): StageShape {
  const processes = new Map(from.processes.map((p) => [p.name, { ...p }]));
  for (const p of to.processes) {
    const had = processes.get(p.name);
    processes.set(p.name, had ? { ...had, public: had.public || p.public, replicas: Math.max(had.replicas, p.replicas) } : { ...p });
  }
  const connections = new Map(from.connections.map((c) => [connectionKey(c), c]));
  for (const c of to.connections) if (!connections.has(connectionKey(c))) connections.set(connectionKey(c), c);
  const stores = new Map(from.stores.map((s) => [s.name, { ...s, usedBy: [...(s.usedBy ?? [])] }]));
  for (const s of to.stores) {
    const had = stores.get(s.name);
    if (had) had.usedBy = [...new Set([...had.usedBy, ...(s.usedBy ?? [])])];
    else stores.set(s.name, { ...s, usedBy: [...(s.usedBy ?? [])] });
  }
  return { supervisor: from.supervisor || to.supervisor, processes: [...processes.values()], connections: [...connections.values()], stores: [...stores.values()] };
}

// A store's id and its edges' keys carry its index in its own stage; across stages it is the
// store's name that says which is which.
const storeIndex = (shape: StageShape) => new Map(shape.stores.map((s, i) => [`store:${i}`, s.name]));
function nodeKey(node: MapNode, stores: Map<string, string>): string {
  return node.kind === 'store' ? `store=${stores.get(node.id) ?? node.name}` : node.id;
}
function edgeKey(edge: MapEdge, stores: Map<string, string>): string {
  return edge.key.replace(/store:\d+$/, (id) => `store=${stores.get(id) ?? id}`);
}

/** One stage's map, each of its parts moved to where the shared layout put it. */
function placeIn(shared: StageMapLayout, sharedShape: StageShape, own: StageMapLayout, shape: StageShape, other: StageShape): StageMapLayout {
  const sharedStores = storeIndex(sharedShape);
  const ownStores = storeIndex(shape);
  const otherStores = storeIndex(other);
  const sharedNodes = new Map(shared.nodes.map((n) => [nodeKey(n, sharedStores), n]));
  const sharedEdges = new Map(shared.edges.map((e) => [edgeKey(e, sharedStores), e]));
  const otherLayout = layoutShape(other);
  const otherNodeKeys = new Set(otherLayout.nodes.map((n) => nodeKey(n, otherStores)));
  const otherEdgeKeys = new Set(otherLayout.edges.map((e) => edgeKey(e, otherStores)));
  const nodes = own.nodes.map((node): MapNode => {
    const key = nodeKey(node, ownStores);
    const at = sharedNodes.get(key)!;
    // centred where the shared layout centred the (possibly wider) box of either stage
    const x = at.x + (at.width - node.width) / 2;
    const y = at.y + (at.height - node.height) / 2;
    return { ...node, x, y, removed: !otherNodeKeys.has(key), lines: node.lines.map((l) => ({ ...l, x: l.x - node.x + x, y: l.y - node.y + y })) };
  });
  const edges = own.edges.map((edge): MapEdge => {
    const key = edgeKey(edge, ownStores);
    const at = sharedEdges.get(key)!;
    return { ...edge, path: at.path, removed: !otherEdgeKeys.has(key), ...(edge.label && at.label ? { label: { ...edge.label, x: at.label.x, y: at.label.y, width: at.label.width, height: at.label.height } } : {}) };
  });
  return { width: shared.width, height: shared.height, nodes, edges, legend: own.legend };
}

const built = new Map<string, { from: StageMapLayout; to: StageMapLayout }>();

/**
 * The maps of `from` and `to` for a compare page: one frame, shared parts in the same place;
 * `to` highlights what is new since `from`, and `from` marks what `to` no longer has.
 */
export function stageMapPair(from: string, to: string): { from: StageMapLayout; to: StageMapLayout } {
  const key = `${from} ${to}`;
  let pair = built.get(key);
  if (!pair) {
    const before = readStageShape(from);
    const after = readStageShape(to);
    const union = unionShape(before, after);
    const shared = layoutShape(union);
    pair = {
      from: placeIn(shared, union, layoutShape(before), before, after),
      to: highlight(placeIn(shared, union, layoutShape(after), after, before), changesSince(before, after)),
    };
    // the earlier map marks only what is gone, never what is new
    pair.to = { ...pair.to, nodes: pair.to.nodes.map((n) => ({ ...n, removed: false })), edges: pair.to.edges.map((e) => ({ ...e, removed: false })) };
    built.set(key, pair);
  }
  return pair;
}
