import { describe, expect, it } from 'vitest';
import { compareUrl, comparePairs, previousStage, stageLabel, stageTitle, stepsBetween } from './compare.ts';

describe('compare pages', () => {
  const stages = ['01-single-file', '02-ports-and-adapters', '03-real-persistence'];

  it('cover every pair once, earlier stage first', () => {
    expect(comparePairs(stages)).toEqual([
      { from: '01-single-file', to: '02-ports-and-adapters' },
      { from: '01-single-file', to: '03-real-persistence' },
      { from: '02-ports-and-adapters', to: '03-real-persistence' },
    ]);
    expect(comparePairs(Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0') + '-x'))).toHaveLength(66);
  });

  it('link a stage to the one before it; the first has none', () => {
    expect(previousStage('03-real-persistence', stages)).toBe('02-ports-and-adapters');
    expect(previousStage('01-single-file', stages)).toBeUndefined();
    expect(compareUrl('02-ports-and-adapters', '03-real-persistence')).toBe('/compare/02-ports-and-adapters/03-real-persistence/');
  });

  it('find the steps between neighbours that lead from one stage to another', () => {
    expect(stepsBetween('01-single-file', '03-real-persistence', stages)).toEqual([
      { from: '01-single-file', to: '02-ports-and-adapters' },
      { from: '02-ports-and-adapters', to: '03-real-persistence' },
    ]);
    expect(stepsBetween('02-ports-and-adapters', '03-real-persistence', stages)).toHaveLength(1);
  });

  it('name a stage by its number and its title on the path', () => {
    expect(stageLabel('04-modular-monolith')).toBe('Stage 04');
    expect(stageTitle('04-modular-monolith')).toBe('Modular monolith');
  });
});
