import { describe, expect, it } from 'vitest';
import { formatMs, renderWaterfall, slowestSpan, waterfallRows } from './trace-waterfall.ts';
import type { DocumentLike, ElementLike, TraceSpan } from './trace-waterfall.ts';

// One order as stage 11 traces it (times in ms from the first span): the gateway, the shop
// asking inventory for the price, the event published after the answer and consumed later,
// and inventory slowed down while reserving stock.
const t0 = 1_764_400_000_000;
const spans: TraceSpan[] = [
  { spanId: 'c', parentSpanId: 'b', service: 'shop', name: 'POST /orders', kind: 'server', startMs: t0 + 2, durationMs: 40 },
  { spanId: 'a', service: 'gateway', name: 'POST /orders', kind: 'server', startMs: t0, durationMs: 45 },
  { spanId: 'b', parentSpanId: 'a', service: 'gateway', name: 'POST shop', kind: 'client', startMs: t0 + 1, durationMs: 43 },
  { spanId: 'd', parentSpanId: 'c', service: 'shop', name: 'GET inventory', kind: 'client', startMs: t0 + 5, durationMs: 10 },
  { spanId: 'e', parentSpanId: 'd', service: 'inventory', name: 'GET /products/mug-blue', kind: 'server', startMs: t0 + 6, durationMs: 8 },
  { spanId: 'f', parentSpanId: 'c', service: 'shop', name: 'publish OrderPlaced', kind: 'producer', startMs: t0 + 60, durationMs: 5 },
  { spanId: 'g', parentSpanId: 'f', service: 'inventory', name: 'process OrderPlaced', kind: 'consumer', startMs: t0 + 70, durationMs: 330 },
  { spanId: 'h', parentSpanId: 'g', service: 'inventory', name: 'reserve stock', startMs: t0 + 72, durationMs: 300, status: 'error' },
];

describe('waterfallRows', () => {
  const { rows, totalMs, services } = waterfallRows(spans);

  it('puts each span under its parent, siblings by start, with its depth', () => {
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.service} ${r.name}`)).toEqual([
      'gateway POST /orders',
      '  gateway POST shop',
      '    shop POST /orders',
      '      shop GET inventory',
      '        inventory GET /products/mug-blue',
      '      shop publish OrderPlaced',
      '        inventory process OrderPlaced',
      '          inventory reserve stock',
    ]);
    expect(rows[2]?.parentLabel).toBe('gateway POST shop');
    expect(rows[0]?.parentLabel).toBeUndefined();
    expect(services).toEqual(['gateway', 'shop', 'inventory']);
  });

  it('places bars on the trace\'s own clock, as shares of the whole', () => {
    expect(totalMs).toBe(400);
    const reserve = rows.find((r) => r.name === 'reserve stock')!;
    expect(reserve).toMatchObject({ offsetMs: 72, offsetPct: 18, durationMs: 300, widthPct: 75, error: true });
    expect(rows[0]).toMatchObject({ offsetPct: 0, widthPct: 11.25 });
  });

  it('calls the span with the most time of its own the slowest, not the parent that waits for it', () => {
    expect(rows.filter((r) => r.slowest).map((r) => r.name)).toEqual(['reserve stock']);
    const consume = rows.find((r) => r.name === 'process OrderPlaced')!;
    expect(consume.selfMs).toBe(30); // 330 minus its child's 300
    expect(rows.find((r) => r.name === 'GET inventory')!.selfMs).toBe(2);
    expect(slowestSpan(spans)?.spanId).toBe('h');
  });

  it('shows a span whose parent never arrived as a root, and survives a cycle', () => {
    const orphan = waterfallRows([{ spanId: 'x', parentSpanId: 'missing', service: 'shop', name: 'late', startMs: 5, durationMs: 1 }, { spanId: 'y', service: 'gateway', name: 'root', startMs: 0, durationMs: 10 }]);
    expect(orphan.rows.map((r) => [r.name, r.depth])).toEqual([['root', 0], ['late', 0]]);
    const cycle = waterfallRows([{ spanId: 'p', parentSpanId: 'q', service: 's', name: 'p', startMs: 0, durationMs: 1 }, { spanId: 'q', parentSpanId: 'p', service: 's', name: 'q', startMs: 0, durationMs: 1 }]);
    expect(cycle.rows.map((r) => r.name).sort()).toEqual(['p', 'q']);
    expect(waterfallRows([]).rows).toEqual([]);
  });

  it('formats durations for people', () => {
    expect([0.423, 12.34, 250.4, 1250].map(formatMs)).toEqual(['0.42 ms', '12.3 ms', '250 ms', '1.25 s']);
  });
});

// A stand-in document: enough DOM to build the tree, read its text and find its attributes.
class FakeElement implements ElementLike {
  tag: string;
  className = '';
  attributes: Record<string, string> = {};
  properties: Record<string, string> = {};
  children: (FakeElement | string)[] = [];
  style = { setProperty: (name: string, value: string) => void (this.properties[name] = value) };
  constructor(tag: string) {
    this.tag = tag;
  }
  setAttribute(name: string, value: string): void {
    this.attributes[name] = value;
  }
  append(...nodes: (ElementLike | string)[]): void {
    this.children.push(...(nodes as (FakeElement | string)[]));
  }
  get text(): string {
    return this.children.map((c) => (typeof c === 'string' ? c : c.text)).join('');
  }
  all(tag: string): FakeElement[] {
    return this.children.flatMap((c) => (typeof c === 'string' ? [] : [...(c.tag === tag ? [c] : []), ...c.all(tag)]));
  }
}
const fakeDocument: DocumentLike = { createElement: (tag) => new FakeElement(tag) };

describe('renderWaterfall', () => {
  const table = renderWaterfall(fakeDocument, '4bf92f3577b34da6a3ce929d0e0e4736', spans) as FakeElement;

  it('is a table whose caption sums the trace up in words', () => {
    expect(table.tag).toBe('table');
    expect(table.all('caption')[0]?.text).toBe(
      'Trace 4bf92f3577b34da6a3ce929d0e0e4736: 8 spans across 3 services, 400 ms in all; most time in inventory reserve stock (300 ms of its own)',
    );
    expect(table.all('th').slice(0, 5).map((th) => [th.text, th.attributes.scope])).toEqual([
      ['Service', 'col'], ['Span', 'col'], ['Starts at', 'col'], ['Duration', 'col'], ['Timeline', 'col'],
    ]);
  });

  it('gives each span a row with its service, name, start and duration as text; the bar is hidden decoration', () => {
    const rows = table.all('tbody')[0]!.all('tr');
    expect(rows).toHaveLength(8);
    const reserve = rows.find((r) => r.attributes['data-span-id'] === 'h')!;
    const cells = reserve.children as FakeElement[];
    expect(cells.map((c) => c.text)).toEqual(['inventory', 'reserve stock failed slowest (under inventory process OrderPlaced)', '+72 ms', '300 ms', '']);
    expect(cells[1]?.tag).toBe('th');
    expect(cells[1]?.attributes.scope).toBe('row');
    expect(reserve.className).toContain('trace-slowest');
    expect(reserve.className).toContain('trace-error');
    const bar = cells[4]!.all('div')[0]!;
    expect(bar.attributes['aria-hidden']).toBe('true');
    expect(bar.properties).toEqual({ '--offset': '18%', '--width': '75%' });
    expect(reserve.attributes['data-depth']).toBe('5');
  });
});
