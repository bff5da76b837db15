import { describe, expect, it } from 'vitest';
import { sharedInHash } from './links.ts';
import { decodeShare, encodeShare, fromBase64Url, shareHash, toBase64Url } from './share.ts';

describe('share links', () => {
  it('round-trip edits through deflate and base64url', async () => {
    const files = { 'src/shop.ts': 'console.log("héllo ✓");\n'.repeat(200), 'package.json': '{}' };
    const encoded = await encodeShare({ stage: '01-single-file', files });
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encoded.length).toBeLessThan(400); // Repetitive text compresses: the link stays short.
    expect(await decodeShare(encoded)).toEqual({ stage: '01-single-file', files });
  });

  it('base64url survives every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
  });

  it('reject damaged links with a message a reader understands', async () => {
    await expect(decodeShare('not*base64')).rejects.toThrow(/damaged/);
    await expect(decodeShare('AAAA')).rejects.toThrow(/damaged|no edits/);
  });

  it('find the edits in the hash', () => {
    expect(sharedInHash('#edits=abc_-')).toBe('abc_-');
    expect(sharedInHash(shareHash('xyz'))).toBe('xyz');
    expect(sharedInHash('#other=1')).toBeUndefined();
    expect(sharedInHash('')).toBeUndefined();
  });
});
