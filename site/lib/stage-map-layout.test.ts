import { describe, expect, it } from 'vitest';
import { changesSince, readStageShape, stageShape } from './stage-map.ts';
import { inside, overlap, textBox } from './layout-boxes.ts';
import { edgePath, layoutStageMap } from './stage-map-layout.ts';
import { listStages } from './stages.ts';
import { boxesOf } from './testing/map-boxes.ts';
import { textWidth } from './text-width.ts';

const variants = listStages().flatMap((stage) => [false, true].map((compact) => ({ stage, compact, name: `${stage}${compact ? ' (compact)' : ''}` })));

describe.each(variants)('the map of $name', ({ stage, compact }) => {
  const shape = readStageShape(stage);
  const map = layoutStageMap(shape, changesSince(undefined, shape), { compact });
  const { nodes, labels, texts } = boxesOf(map);
  const whole = { left: 0, top: 0, right: map.width, bottom: map.height, what: 'map' };

  it('has a box for the reader, each process and each store, none on another, all within the map', () => {
    expect(map.nodes).toHaveLength(1 + shape.processes.length + shape.stores.length);
    const shapes = [...nodes, ...labels];
    shapes.forEach((a, i) => {
      for (const b of shapes.slice(i + 1)) expect(overlap(a, b), `${a.what} and ${b.what}`).toBe(false);
      expect(inside(a, whole), `${a.what} within the map`).toBe(true);
    });
  });

  it('sizes every box to its text, and no two lines of text meet', () => {
    for (const node of map.nodes) {
      const outline = nodes.find((n) => n.what === node.id)!;
      for (const line of node.lines) expect(inside(textBox(line), outline), `"${line.text}" in ${node.id}`).toBe(true);
    }
    for (const edge of map.edges) {
      if (!edge.label) continue;
      const pill = labels.find((l) => l.what === `label ${edge.label!.text}`)!;
      expect(inside(textBox(edge.label), pill), `label ${edge.label.text} in its pill`).toBe(true);
    }
    texts.forEach((a, i) => {
      for (const b of texts.slice(i + 1)) expect(overlap(a, b), `"${a.what}" and "${b.what}"`).toBe(false);
    });
  });

  it('names every store in full, over as many lines as it takes', () => {
    const stores = map.nodes.filter((n) => n.kind === 'store').map((n) => n.lines.map((l) => l.text).join(' '));
    expect(stores).toEqual(shape.stores.map((s) => s.name));
  });

  it('draws every connection from one box to the other', () => {
    const connections = shape.connections.length + shape.processes.filter((p) => p.public).length + shape.stores.reduce((n, s) => n + (s.usedBy?.length ?? 0), 0);
    expect(map.edges).toHaveLength(connections);
    for (const edge of map.edges) expect(edge.path).toMatch(/^M[\d.-]+,[\d.-]+ .*L[\d.-]+,[\d.-]+$/);
  });

  it(compact ? 'leaves the edges unlabelled and has no list of connections' : 'numbers each described connection and lists its text', () => {
    const described = shape.connections.filter((c) => c.label);
    if (compact) {
      expect(map.edges.filter((e) => e.label)).toEqual([]);
      return;
    }
    expect(map.legend.map((l) => l.text)).toEqual(described.map((c) => c.label));
    expect(map.legend.map((l) => l.number)).toEqual(described.map((_, i) => i + 1));
    for (const entry of map.legend) {
      const edge = map.edges.find((e) => e.from === entry.from && e.to === entry.to && e.label?.text === String(entry.number));
      expect(edge, `edge numbered ${entry.number}`).toBeDefined();
    }
  });
});

describe('layoutStageMap', () => {
  const before = stageShape.parse({ processes: [{ name: 'shop', command: 'x', public: true }] });
  const after = stageShape.parse({
    processes: [{ name: 'shop', command: 'x', public: true }, { name: 'payments', command: 'y', replicas: 3 }],
    connections: [{ from: 'shop', to: 'payments', protocol: 'http', label: 'charges' }],
    stores: [{ name: 'postgres', usedBy: ['payments'] }],
  });
  const map = layoutStageMap(after, changesSince(before, after));
  const node = (id: string) => map.nodes.find((n) => n.id === id)!;

  it('marks what is new and draws it bold, in boxes no different from an unmarked map', () => {
    const plain = layoutStageMap(after, changesSince(after, after));
    expect(node('process:payments').added).toBe(true);
    expect(node('process:payments').lines[0]!.font.bold).toBe(true);
    expect(node('store:0').added).toBe(true);
    expect(node('process:shop').added).toBe(false);
    expect(node('process:shop').lines[0]!.font.bold).toBe(false);
    expect(map.edges.find((e) => e.key === 'shop->payments:http')!.added).toBe(true);
    expect(map.edges.find((e) => e.key === 'client->shop')!.added).toBe(false);
    expect(map.legend.map((l) => l.added)).toEqual([true]);
    expect(plain.nodes.flatMap((n) => [n.added, n.lines.some((l) => l.font.bold)])).not.toContain(true);
    expect(plain.nodes.map(({ x, y, width, height }) => ({ x, y, width, height }))).toEqual(map.nodes.map(({ x, y, width, height }) => ({ x, y, width, height })));
  });

  it('keeps a bold line within its box', () => {
    for (const n of map.nodes) for (const line of n.lines) expect(textWidth(line.text, { ...line.font, bold: true })).toBeLessThanOrEqual(n.width);
  });

  it('writes the replicas in the box and keeps room for the copies behind it', () => {
    expect(node('process:payments').lines[0]!.text).toBe('payments ×3');
    expect(node('process:payments').replicas).toBe(3);
  });

  it('ranks the graph from the reader down: the caller above what it calls, the store below its process', () => {
    expect(node('client').y).toBeLessThan(node('process:shop').y);
    expect(node('process:shop').y).toBeLessThan(node('process:payments').y);
    expect(node('process:payments').y).toBeLessThan(node('store:0').y);
  });
});

describe('edgePath', () => {
  it('runs straight between two points and curves through each bend, ending straight on the last point', () => {
    expect(edgePath([{ x: 0, y: 0 }, { x: 10, y: 20 }])).toBe('M0,0 L10,20');
    expect(edgePath([{ x: 0, y: 0 }, { x: 10, y: 10 }, { x: 20, y: 0 }])).toBe('M0,0 Q10,10 15,5 L20,0');
  });
});

describe('the frame of a map', () => {
  it('holds every bend of every edge, with room for the arrowheads', () => {
    for (const stage of listStages()) {
      const shape = readStageShape(stage);
      for (const compact of [false, true]) {
        const map = layoutStageMap(shape, changesSince(undefined, shape), { compact });
        const numbers = map.edges.flatMap((e) => e.path.match(/-?[\d.]+/g)!.map(Number));
        const xs = numbers.filter((_, i) => i % 2 === 0);
        const ys = numbers.filter((_, i) => i % 2 === 1);
        expect(Math.min(...xs), stage).toBeGreaterThanOrEqual(5);
        expect(Math.min(...ys), stage).toBeGreaterThanOrEqual(5);
        expect(Math.max(...xs), stage).toBeLessThanOrEqual(map.width - 5);
        expect(Math.max(...ys), stage).toBeLessThanOrEqual(map.height - 5);
      }
    }
  });
});
