import { describe, expect, it } from 'vitest';
import { lastTraceIdFrom, traceIn } from './trace-console.ts';

const id = '4bf92f3577b34da6a3ce929d0e0e4736';
const other = '0af7651916cd43dd8448eb211c80319c';
const span = { spanId: 'a', service: 'gateway', name: 'POST /orders', startMs: 1, durationMs: 2 };

describe('lastTraceIdFrom', () => {
  it('takes x-trace-id from a shop request, whatever its status', () => {
    expect(lastTraceIdFrom({ path: '/orders' }, { status: 202, headers: { 'x-trace-id': id }, body: '{}' })).toBe(id);
    expect(lastTraceIdFrom({ path: '/orders/ord_1' }, { status: 404, headers: { 'X-Trace-Id': id }, body: '{}' })).toBe(id);
  });

  it('leaves it alone for an /ops/ request, and takes the newest trace from a list of traces', () => {
    expect(lastTraceIdFrom({ path: '/ops/faults' }, { status: 200, headers: { 'x-trace-id': id }, body: '{}' })).toBeUndefined();
    expect(lastTraceIdFrom({ path: '/ops/traces?orderId=ord_1' }, { status: 200, headers: { 'x-trace-id': id }, body: JSON.stringify([{ traceId: other }, { traceId: id }]) })).toBe(other);
    expect(lastTraceIdFrom({ path: '/ops/traces' }, { status: 200, headers: {}, body: '[]' })).toBeUndefined();
    expect(lastTraceIdFrom({ path: '/ops/traces' }, { status: 401, headers: {}, body: '{"error":{}}' })).toBeUndefined();
  });

  it('ignores a header that is not a trace id', () => {
    expect(lastTraceIdFrom({ path: '/products' }, { status: 200, headers: { 'x-trace-id': 'nope' }, body: '[]' })).toBeUndefined();
  });
});

describe('traceIn', () => {
  it('finds a trace in GET /ops/traces/:traceId', () => {
    expect(traceIn({ status: 200, headers: {}, body: JSON.stringify({ traceId: id, spans: [span] }) })).toEqual({ traceId: id, spans: [span] });
  });

  it('finds none in anything else', () => {
    for (const body of ['[]', 'not json', JSON.stringify({ traceId: id, spans: [] }), JSON.stringify({ traceId: id, spans: [{ spanId: 'a' }] }), JSON.stringify({ traceId: 'x', spans: [span] })]) {
      expect(traceIn({ status: 200, headers: {}, body })).toBeUndefined();
    }
    expect(traceIn({ status: 404, headers: {}, body: JSON.stringify({ traceId: id, spans: [span] }) })).toBeUndefined();
  });
});
