import { describe, expect, it } from 'vitest';
import { compareBodies, isIgnored } from './body-diff.ts';
import { scenario } from './scenario.ts';

const ignored = scenario.ignored.map((i) => i.field);
const order = (id: string, createdAt: string, status = 'confirmed') =>
  JSON.stringify({ id, customerId: 'ada', items: [{ sku: 'tea-green', quantity: 1, unitPriceCents: 850 }], totalCents: 850, status, createdAt });

describe('compareBodies', () => {
  it('finds two orders the same when only their ids and times differ, and says what it ignored', () => {
    const result = compareBodies(order('ord_1', '2026-01-01T00:00:00Z'), order('4f9c-uuid', '2026-01-01T00:00:07Z'), ignored);
    expect(result).toEqual({ same: true, differences: [], ignored: ['createdAt', 'id'] });
  });

  it('names the fields that differ, wherever they are', () => {
    const a = order('ord_1', 't1');
    const b = JSON.stringify({ ...JSON.parse(order('ord_2', 't2', 'pending')), items: [{ sku: 'tea-green', quantity: 2, unitPriceCents: 850 }] });
    expect(compareBodies(a, b, ignored)).toMatchObject({ same: false, differences: ['items[0].quantity', 'status'] });
  });

  it('ignores key order, and reports keys on one side only and lists of different lengths', () => {
    expect(compareBodies('{"a":1,"b":2}', '{"b":2,"a":1}', ignored).same).toBe(true);
    expect(compareBodies('{"a":1,"reason":"x"}', '{"a":1}', ignored).differences).toEqual(['reason: only in the first']);
    expect(compareBodies('[{"id":"1"}]', '[{"id":"2"},{"id":"3"}]', ignored)).toEqual({ same: false, differences: ['(body): 1 vs 2 entries'], ignored: ['id'] });
  });

  it('compares errors by code, not by their wording', () => {
    const a = '{"error":{"code":"invalid_request","message":"items must have 1 to 50 entries"}}';
    const b = '{"error":{"code":"invalid_request","message":"items: at least one item is needed"}}';
    expect(compareBodies(a, b, ignored)).toEqual({ same: true, differences: [], ignored: ['error.message'] });
    expect(compareBodies(a, '{"error":{"code":"unknown_sku","message":"x"}}', ignored).differences).toEqual(['error.code']);
  });

  it('treats a "message" outside an error as data', () => {
    expect(isIgnored('error.message', ignored)).toBe(true);
    expect(isIgnored('items[3].message', ignored)).toBe(false);
    expect(isIgnored('items[3].id', ignored)).toBe(true);
  });

  it('compares bodies that are not JSON as text', () => {
    expect(compareBodies('ok\n', 'ok', ignored)).toEqual({ same: true, differences: [], ignored: [] });
    expect(compareBodies('<html>', '{"a":1}', ignored)).toEqual({ same: false, differences: ['(body text)'], ignored: [] });
  });

  it('keeps a long list of differences short', () => {
    const a = JSON.stringify(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, i])));
    const b = JSON.stringify(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, -i - 1])));
    expect(compareBodies(a, b, ignored, 3).differences).toEqual(['k0', 'k1', 'k2', '… 5 more']);
  });
});
