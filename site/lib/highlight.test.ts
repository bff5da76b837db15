import { describe, expect, it } from 'vitest';
import { highlightHead } from './highlight.ts';

const code = Array.from({ length: 100 }, (_, i) => `const n${i} = ${i} < 5;`).join('\n');
const lines = (html: string) => html.split('<span class="line">').slice(1);

describe('highlightHead', () => {
  it('keeps every line, numbered by the same .line spans, colouring only the head', async () => {
    const html = await highlightHead(code, 'ts', 10);
    const all = lines(html);
    expect(all).toHaveLength(100);
    expect(all[9]).toContain('--shiki-light');
    expect(all[10]).not.toContain('--shiki-light');
    expect(all[99]).toContain('const n99 = 99 &lt; 5;');
    expect(html.endsWith('</code></pre>')).toBe(true);
  });

  it('colours a short file whole', async () => {
    const html = await highlightHead('let a = 1;\nlet b = 2;', 'ts', 10);
    expect(lines(html).every((line) => line.includes('--shiki-light'))).toBe(true);
  });
});
