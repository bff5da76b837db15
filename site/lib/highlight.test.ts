import { describe, expect, it } from 'vitest';
import { highlight, highlightHead, tokenStylesToClasses } from './highlight.ts';

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

describe('tokenStylesToClasses', () => {
  it('turns each distinct token style into one class, with one CSS rule each, and keeps the text', async () => {
    const html = await highlight('const a = 1;\nconst b = "two";\nlet c = a;', 'ts');
    const styles = new Set(html.match(/<span style="--shiki-[^"]*"/g));
    const { html: compact, css } = tokenStylesToClasses(html);
    expect(compact).not.toMatch(/<span style="--shiki/);
    expect(css.split('\n')).toHaveLength(styles.size);
    expect(css).toMatch(/^\.tk0\{--shiki-light:#[0-9A-Fa-f]{6};--shiki-dark:#[0-9A-Fa-f]{6}/);
    expect(compact.replace(/<[^>]+>/g, '')).toBe(html.replace(/<[^>]+>/g, ''));
    expect(compact).toContain('<pre class="shiki');
  });
});
