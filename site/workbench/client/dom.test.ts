import { describe, expect, it } from 'vitest';
import { linkSegments } from './dom.ts';

describe('linkSegments', () => {
  it('cuts out web addresses, leaving the sentence’s own punctuation outside', () => {
    expect(linkSegments('get it from https://example.org/shop. Then run it')).toEqual([
      { text: 'get it from ' },
      { text: 'https://example.org/shop', href: 'https://example.org/shop' },
      { text: '. Then run it' },
    ]);
  });

  it('leaves text without an address whole', () => {
    expect(linkSegments('press Download (above)')).toEqual([{ text: 'press Download (above)' }]);
  });
});
