import { describe, expect, it } from 'vitest';
import { OutputBuffer, cleanOutput, trimmedNote } from './output.ts';

describe('output', () => {
  it('drops terminal colours and carriage returns', () => {
    expect(cleanOutput('\x1b[32mready\x1b[0m\r\nnext\rline')).toBe('ready\nnext\nline');
  });

  it('keeps the newest text within the cap, cut at a line break, and says it trimmed', () => {
    const buffer = new OutputBuffer(100);
    expect(buffer.append('x'.repeat(50) + '\n')).toBe(false);
    expect(buffer.append('line two\n'.repeat(10))).toBe(true);
    expect(buffer.text.startsWith(trimmedNote)).toBe(true);
    expect(buffer.text.length - trimmedNote.length).toBeLessThanOrEqual(100);
    expect(buffer.text.slice(trimmedNote.length)).toMatch(/^line two\n/);
    buffer.clear();
    expect(buffer.text).toBe('');
  });
});
