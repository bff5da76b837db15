import { describe, expect, it } from 'vitest';
import { highlight, highlightHead, tokenColourCss } from './highlight.ts';

const code = Array.from({ length: 100 }, (_, i) => `const n${i} = ${i} < 5;`).join('\n');
const lines = (html: string) => html.split('<span class="line">').slice(1);

describe('highlightHead', () => {
  it('keeps every line, numbered by the same .line spans, colouring only the head', async () => {
    const html = await highlightHead(code, 'ts', 10);
    const all = lines(html);
    expect(all).toHaveLength(100);
    expect(all[9]).toMatch(/class="l\d+/);
    expect(all[10]).not.toMatch(/class="l\d+/);
    expect(all[99]).toContain('const n99 = 99 &lt; 5;');
    expect(html.endsWith('</code></pre>')).toBe(true);
  });

  it('colours a short file whole', async () => {
    const html = await highlightHead('let a = 1;\nlet b = 2;', 'ts', 10);
    expect(lines(html).every((line) => /class="l\d+/.test(line))).toBe(true);
  });
});

describe('token colours', () => {
  it('are classes the stylesheet defines, for both themes, with no inline colour left', async () => {
    const html = await highlight('export const answer: number = 42; // why\nfunction f(s: string) { return `${s}!`; }', 'ts');
    const css = await tokenColourCss();
    const classes = [...html.matchAll(/class="([^"]*)"/g)].flatMap((m) => m[1]!.split(' ')).filter((c) => /^[ld]\d+$/.test(c));
    expect(new Set(classes.map((c) => c[0]))).toEqual(new Set(['l', 'd']));
    for (const c of classes) expect(css).toMatch(new RegExp(`\\.shiki \\.${c}\\{--shiki-${c[0] === 'l' ? 'light' : 'dark'}:#[0-9a-f]{6}\\}`));
    // Different tokens, different colours: "export" (keyword) and "42" (number) are not alike.
    expect(html).toMatch(/<span class="(l\d+) d\d+">export<\/span>[\s\S]*<span class="(?!\1 )l\d+ d\d+"> 42<\/span>/);
    expect(html.match(/<span[^>]*style=/g)).toBeNull();
  });

  it('leave a token in the default colour unclassed, so it inherits the block colour', async () => {
    // In both GitHub themes, brackets are the default colour.
    const html = await highlight('f(1);', 'ts');
    expect(html).toMatch(/<span>\(<\/span>|<span>\(/);
    expect(html).toContain('--shiki-light:#1f2328');
  });
});
