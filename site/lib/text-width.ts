// The stage map is laid out at build time, where no browser can measure text. So we estimate:
// each character's advance width in hundredths of an em, as Chromium measured them for DejaVu
// Sans (what `system-ui` falls back to on Linux) and Liberation Sans, taking the wider of the two.
// The system fonts of other platforms (Segoe UI, San Francisco, Roboto) are narrower, so an
// estimate from this table errs on the side of a box slightly too large, never too small.
const characters = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~×…→';
const regular =
  '32 41 46 84 64 96 78 28 40 40 50 84 32 37 32 34 64 64 64 64 64 64 64 64 64 64 34 34 84 84 84 56 102 69 69 73 78 67 62 78 76 30 50 67 56 87 75 79 67 79 73 67 62 74 69 99 69 67 69 40 34 40 84 56 50 62 64 55 64 62 36 64 64 28 28 58 28 98 64 62 64 64 42 53 40 64 60 82 60 60 53 64 34 64 84 84 100 100';
const bold =
  '35 46 53 84 70 101 88 31 46 46 53 84 38 42 38 37 70 70 70 70 70 70 70 70 70 70 40 40 84 84 84 62 100 78 77 74 84 69 69 83 84 38 56 78 64 100 84 86 74 86 78 73 69 82 78 111 78 73 73 46 37 46 84 56 50 68 72 60 72 68 44 72 72 35 35 67 35 105 72 69 72 72 50 60 48 72 66 93 65 66 59 72 37 72 84 84 100 100';

function table(hundredths: string): Map<string, number> {
  const list = hundredths.split(' ').map(Number);
  return new Map([...characters].map((ch, i) => [ch, (list[i] ?? 100) / 100]));
}
const widths = { regular: table(regular), bold: table(bold) };
/** A character the table does not know is taken as wide as an em: too wide rather than cut. */
const unknownWidth = 1;
/** What the estimate adds for kerning and rounding the table cannot see. */
const safety = 1.04;

export interface Font {
  size: number;
  bold?: boolean;
}

/** The width, in pixels, that `text` takes up when drawn in `font`. */
export function textWidth(text: string, font: Font): number {
  const table = font.bold ? widths.bold : widths.regular;
  let ems = 0;
  for (const ch of text) ems += table.get(ch) ?? unknownWidth;
  return ems * font.size * safety;
}

/**
 * Breaks `text` into lines no wider than `maxWidth`, at spaces, keeping every word whole (a single
 * word wider than the limit gets a line of its own and may exceed it: it is never cut).
 */
export function wrapText(text: string, maxWidth: number, font: Font): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && textWidth(candidate, font) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}
