import { describe, expect, it } from 'vitest';
import { listStages } from '../stages.ts';
import { breakerStates, chartIds, chartOf, lifecycleStage, orderLifecycle, orderMoves, sagaPath, sagaRun } from './catalogue.ts';
import { chartAsText } from './model.ts';
import { listIn, readUnion, recordIn, unionIn } from './stage-source.ts';

// The diagrams say what the code says: the names are read from it, so changing them there
// changes the picture, and a shape the reader no longer recognises stops the build.
describe('reading names from a stage', () => {
  it('reads a union of string literals, on one line or several', () => {
    expect(unionIn("export type S = 'a' | 'b-c';", 'S')).toEqual(['a', 'b-c']);
    expect(unionIn("type S =\n  | 'a'\n  | 'b';", 'S')).toEqual(['a', 'b']);
  });
  it('reads a list and a record of strings', () => {
    expect(listIn("export const L: readonly X[] = ['x', 'y'];", 'L')).toEqual(['x', 'y']);
    expect(recordIn("const R: Record<K, V> = { a: 'x', b: 'y' };", 'R')).toEqual({ a: 'x', b: 'y' });
  });
  it('names the file and what it looked for when the code has no such thing', () => {
    expect(() => unionIn('type S = string;', 'S', 'examples/x/a.ts')).toThrow(/examples\/x\/a\.ts has no type S/);
  });
});

describe("the breaker's states", () => {
  it("are stage 07's, with the threshold and the cool-down of its client", () => {
    const chart = breakerStates();
    expect(chart.states.map((s) => s.id)).toEqual(['closed', 'open', 'half-open']);
    expect(chart.transitions.find((t) => t.from === 'closed')!.label).toMatch(/^5 failures in a row$/);
  });
});

describe("the order's lifecycle", () => {
  it("reads the moves from settle(): cancelled from pending or confirmed, the others from pending", () => {
    const source = "async settle(id: string, status: 'confirmed' | 'rejected' | 'cancelled', reason: R) {\n const from = status === 'cancelled' ? ['pending', 'confirmed'] : ['pending'];";
    expect(orderMoves(source)).toEqual([
      { from: 'pending', to: 'confirmed' },
      { from: 'pending', to: 'rejected' },
      { from: 'pending', to: 'cancelled' },
      { from: 'confirmed', to: 'cancelled' },
    ]);
  });
  it('changes with the code: a move settle() stops making is no longer drawn', () => {
    const source = "settle(id: string, status: 'confirmed' | 'cancelled', r) { const from = status === 'cancelled' ? ['pending'] : ['pending'];";
    expect(orderMoves(source)).toEqual([{ from: 'pending', to: 'confirmed' }, { from: 'pending', to: 'cancelled' }]);
  });
  it('starts pending and draws the statuses nothing leaves as final', () => {
    const chart = orderLifecycle();
    expect(chart.initial).toBe('pending');
    expect(chart.states.filter((s) => s.final).map((s) => s.id)).toEqual(['rejected', 'cancelled']);
  });
  it('has the statuses of every stage, as the lifecycle page says', () => {
    const statuses = readUnion(lifecycleStage, 'src/modules/orders/model.ts', 'OrderStatus');
    for (const stage of listStages()) {
      const file = stage.startsWith('01') ? 'src/shop.ts' : stage < '04' ? 'src/domain/model.ts' : 'src/modules/orders/model.ts';
      expect(readUnion(stage, file, 'OrderStatus'), stage).toEqual(statuses);
    }
  });
});

describe("the saga's paths", () => {
  it("are the steps stage 09's afterStep takes", () => {
    expect(sagaRun({}).map((e) => e.step)).toEqual(['reserve', 'charge', 'confirm']);
    expect(sagaRun({ charge: 'declined' }).map((e) => e.step)).toEqual(['reserve', 'charge', 'release', 'reject']);
    expect(sagaRun({ charge: 'gave_up' }).map((e) => e.step)).toEqual(['reserve', 'charge', 'refund', 'release', 'reject']);
    expect(sagaRun({}, { cancelOnceConfirmed: true }).map((e) => e.step)).toEqual(['reserve', 'charge', 'confirm', 'refund', 'release', 'cancel']);
  });
  it('draws each step as a call to the service that owns it and its outcome as the answer', () => {
    expect(chartAsText(sagaPath('saga-out-of-stock'))).toEqual([
      'orchestrator → inventory: reserve',
      'inventory → orchestrator: out_of_stock',
      'orchestrator → orders: reject',
      'orders → orchestrator: done',
    ]);
  });
});

describe('the catalogue', () => {
  it('builds every diagram it lists, under its own id', () => {
    for (const id of chartIds) expect(chartOf(id).id).toBe(id);
    expect(() => chartOf('nope')).toThrow(/no diagram nope/);
  });
});
