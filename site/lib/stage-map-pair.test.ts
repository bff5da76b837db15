import { describe, expect, it } from 'vitest';
import { stageMapPair } from './stage-map-pair.ts';
import type { MapNode, StageMapLayout } from './stage-map-layout.ts';
import { readStageShape } from './stage-map.ts';
import { listStages } from './stages.ts';
import { inside, overlap, textBox } from './layout-boxes.ts';
import { boxesOf } from './testing/map-boxes.ts';

const stages = listStages();
// The pairs the chapters link to (neighbours) and the widest one.
const pairs = [...stages.slice(1).map((to, i) => [stages[i]!, to] as const), [stages[0]!, stages.at(-1)!] as const];
const centre = (n: MapNode) => ({ x: Math.round(n.x + n.width / 2), y: Math.round(n.y + n.height / 2) });
const byName = (map: StageMapLayout) => new Map(map.nodes.map((n) => [`${n.kind}:${n.name}`, n]));

describe.each(pairs.map(([from, to]) => ({ from, to })))('the maps of $from beside $to', ({ from, to }) => {
  const pair = stageMapPair(from, to);

  it('put every part both stages have in the same place, in frames of one size', () => {
    expect([pair.from.width, pair.from.height]).toEqual([pair.to.width, pair.to.height]);
    const later = byName(pair.to);
    const shared = [...byName(pair.from)].filter(([key]) => later.has(key));
    expect(shared.length).toBeGreaterThan(1);
    for (const [key, node] of shared) expect(centre(later.get(key)!), key).toEqual(centre(node));
  });

  it('draw each stage whole, with nothing on top of anything else', () => {
    for (const [stage, map] of [[from, pair.from], [to, pair.to]] as const) {
      const shape = readStageShape(stage);
      expect(map.nodes, stage).toHaveLength(1 + shape.processes.length + shape.stores.length);
      const { nodes, labels, texts } = boxesOf(map);
      const shapes = [...nodes, ...labels];
      shapes.forEach((a, i) => {
        for (const b of shapes.slice(i + 1)) expect(overlap(a, b), `${stage}: ${a.what} and ${b.what}`).toBe(false);
      });
      for (const node of map.nodes) {
        const outline = nodes.find((n) => n.what === node.id)!;
        for (const line of node.lines) expect(inside(textBox(line), outline), `${stage}: "${line.text}" in ${node.id}`).toBe(true);
      }
      texts.forEach((a, i) => {
        for (const b of texts.slice(i + 1)) expect(overlap(a, b), `${stage}: "${a.what}" and "${b.what}"`).toBe(false);
      });
    }
  });

  it('mark what is new in the later map and what is gone in the earlier one', () => {
    const before = readStageShape(from);
    const after = readStageShape(to);
    const gone = before.processes.filter((p) => !after.processes.some((q) => q.name === p.name)).map((p) => p.name);
    const added = after.processes.filter((p) => !before.processes.some((q) => q.name === p.name)).map((p) => p.name);
    expect(pair.from.nodes.filter((n) => n.kind === 'process' && n.removed).map((n) => n.name).sort()).toEqual(gone.sort());
    expect(pair.to.nodes.filter((n) => n.kind === 'process' && n.added).map((n) => n.name).sort()).toEqual(added.sort());
    expect(pair.to.nodes.some((n) => n.removed)).toBe(false);
  });
});

it('keeps the database and the broker where they were from stage 08 to 09 (laid out alone, they swap sides)', () => {
  const pair = stageMapPair('08-message-broker', '09-saga');
  for (const name of ['process:database', 'process:broker']) {
    expect(centre(byName(pair.to).get(name)!), name).toEqual(centre(byName(pair.from).get(name)!));
  }
});
