import { describe, expect, it } from 'vitest';
import { textWidth, wrapText } from './text-width.ts';

describe('textWidth', () => {
  it('adds up the width of each character, in proportion to the font size', () => {
    const small = textWidth('payments', { size: 10 });
    expect(textWidth('payments', { size: 20 })).toBeCloseTo(2 * small);
    expect(textWidth('paymentspayments', { size: 10 })).toBeCloseTo(2 * small);
    expect(textWidth('', { size: 13 })).toBe(0);
  });

  it('knows wide from narrow letters, and bold from regular', () => {
    expect(textWidth('WWWW', { size: 13 })).toBeGreaterThan(2 * textWidth('iiii', { size: 13 }));
    expect(textWidth('orchestrator', { size: 13, bold: true })).toBeGreaterThan(textWidth('orchestrator', { size: 13 }));
  });

  it('takes a character it does not know as a full em, so a box is never too small for it', () => {
    expect(textWidth('✓', { size: 10 })).toBeGreaterThanOrEqual(10);
  });

  it('errs on the wide side of DejaVu Sans, the font Chromium draws system-ui with on Linux', () => {
    // 'shop ×2' measured in Chromium at 13px: 54.5 px.
    expect(textWidth('shop ×2', { size: 13 })).toBeGreaterThanOrEqual(54.5);
    expect(textWidth('shop ×2', { size: 13 })).toBeLessThan(54.5 * 1.15);
  });
});

describe('wrapText', () => {
  const font = { size: 12 };
  const name = 'postgres (PGlite in the database process, on disk in .data/; or the PostgreSQL at DATABASE_URL)';

  it('breaks at spaces into lines no wider than asked, and loses no word', () => {
    const lines = wrapText(name, 200, font);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(textWidth(line, font)).toBeLessThanOrEqual(200);
    expect(lines.join(' ')).toBe(name);
  });

  it('keeps a word longer than the line whole, on a line of its own', () => {
    expect(wrapText('a Supercalifragilistic b', 40, font)).toEqual(['a', 'Supercalifragilistic', 'b']);
  });

  it('leaves a short text on one line', () => {
    expect(wrapText('memory (in process)', 200, font)).toEqual(['memory (in process)']);
  });
});
