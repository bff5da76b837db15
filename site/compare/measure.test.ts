import { describe, expect, it } from 'vitest';
import { percentile, summarise } from './measure.ts';

describe('percentile (nearest rank)', () => {
  const values = [15, 20, 35, 40, 50];

  it('picks a value that was measured', () => {
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 30)).toBe(20);
    expect(percentile(values, 95)).toBe(50);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 0)).toBe(15);
  });

  it('does not care about order, and is NaN for no values', () => {
    expect(percentile([50, 15, 40, 20, 35], 50)).toBe(35);
    expect(percentile([], 50)).toBeNaN();
  });

  it('puts p95 of 20 values on the 19th, and of 100 values on the 95th', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(twenty, 95)).toBe(19);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
  });
});

describe('summarise', () => {
  it('gives requests per second from the time the stage took, and the percentiles', () => {
    expect(summarise([2, 4, 4, 10])).toEqual({ requests: 4, rps: 200, p50: 4, p95: 10 });
  });

  it('has no rate without time', () => {
    expect(summarise([]).rps).toBeNaN();
    expect(summarise([0, 0]).rps).toBeNaN();
  });
});
