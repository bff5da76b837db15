import { describe, expect, it } from 'vitest';
import { ExcerptError, extractRegion, regionNames, stripRegionMarkers } from './regions.ts';

const source = [
  'const a = 1;',
  '// #region outer',
  'function f() {',
  '  // #region inner',
  '  return a;',
  '  // #endregion inner',
  '}',
  '// #endregion outer',
  '-- #region sql-part',
  'select 1;',
  '-- #endregion sql-part',
].join('\n');

describe('extractRegion', () => {
  it('returns the body with its line numbers and drops nested markers', () => {
    const region = extractRegion(source, 'outer');
    expect(region.code).toBe('function f() {\n  return a;\n}');
    expect(region.startLine).toBe(3);
    expect(region.endLine).toBe(7);
  });

  it('dedents an indented region', () => {
    expect(extractRegion(source, 'inner').code).toBe('return a;');
  });

  it('understands SQL comments', () => {
    expect(extractRegion(source, 'sql-part').code).toBe('select 1;');
  });

  it('names the known regions when one is missing', () => {
    expect(() => extractRegion(source, 'nope', 'src/x.ts')).toThrow(
      new ExcerptError('region "nope" not found in src/x.ts; regions there: outer, inner, sql-part'),
    );
  });

  it('refuses a region that is never closed', () => {
    expect(() => extractRegion('// #region open\nx', 'open')).toThrow(/has no "#endregion open"/);
  });
});

describe('regionNames and stripRegionMarkers', () => {
  it('lists regions in order', () => {
    expect(regionNames(source)).toEqual(['outer', 'inner', 'sql-part']);
  });

  it('strips every marker line', () => {
    expect(stripRegionMarkers(source)).not.toMatch(/#(end)?region/);
  });
});
