import { describe, expect, it } from 'vitest';
import { deepLinkUrl, describeLines, parseDeepLink } from './links.ts';

describe('deep links', () => {
  it('parse a file and a line range', () => {
    expect(parseDeepLink('?file=src/shop.ts&lines=10-20')).toEqual({ file: 'src/shop.ts', lines: { start: 10, end: 20 } });
    expect(parseDeepLink('?file=src/shop.ts&lines=20-10')).toEqual({ file: 'src/shop.ts', lines: { start: 10, end: 20 } });
    expect(parseDeepLink('?file=src/shop.ts&lines=7')).toEqual({ file: 'src/shop.ts', lines: { start: 7, end: 7 } });
    expect(parseDeepLink('?file=/src/shop.ts&lines=x')).toEqual({ file: 'src/shop.ts' });
    expect(parseDeepLink('?runtime=local')).toBeUndefined();
  });

  it('build a link that keeps other parameters and reads well', () => {
    const page = { origin: 'http://x', pathname: '/chapters/01-single-file/', search: '?runtime=local' };
    expect(deepLinkUrl(page, { file: 'src/shop.ts', lines: { start: 3, end: 9 } })).toBe('http://x/chapters/01-single-file/?runtime=local&file=src/shop.ts&lines=3-9');
    expect(describeLines({ file: 'a.ts', lines: { start: 2, end: 2 } })).toBe('a.ts line 2');
  });
});
