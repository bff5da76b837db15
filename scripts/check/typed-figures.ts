// No measured figure is typed into a chapter by hand. A paragraph that cites the bench
// (`npm run bench`, `scripts/bench.ts`) quotes what it measured, Run -> Ready, memory (RSS) and
// process counts, through <Measured figure="..." />, which reads measurements.json; a number
// typed next to those words instead is a copy that drifts the day the bench runs again, and this
// check names it. Text typed inside <Measured>…</Measured> is checked by the component itself.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bodyOf, frontmatterOf, withoutElements } from './chapter-text.ts';
import { result, type CheckResult } from './report.ts';

// Every script that writes measurements.json: the bench, its parts in scripts/bench/, the stages'
// bench:* scripts and stage 12's measure.ts.
const citesBench = /npm run bench\b|scripts\/bench(?:\.ts|\/)|scripts\/measure\.ts/;
const measuredWords = /Run (?:→|->) Ready|\bRSS\b|\bPSS\b|\bprocesses\b|\bmemory\b|\bpeak|\btook\b|\bheld\b/;
const typedFigure = /\b\d[\d,]*(?:\.\d+)?\s?(?:ms|s|MB|GB|KB|x)\b|\b\d+\.\d+\b|\b\d+ (?:Node )?processes\b|\(stage \d+: \d+\)/g;

/** The prose of an MDX chapter: no frontmatter, code, components or HTML tags. */
export function prose(mdx: string): string {
  return withoutElements(bodyOf(mdx).replace(/^([ \t]*)```[\s\S]*?^\1```/gm, ''));
}

/** Figures typed by hand in paragraphs that quote the bench, each with a few words around it. */
export function typedMeasuredFigures(mdx: string): string[] {
  const found: string[] = [];
  for (const paragraph of prose(mdx).split(/\n\s*\n/)) {
    if (!citesBench.test(paragraph)) continue;
    const text = paragraph.replace(/`[^`]*`/g, '`…`').replace(/\s+/g, ' ');
    for (const sentence of text.split(/(?<=[.;:])\s+(?=[A-Z(])/)) {
      if (!measuredWords.test(sentence)) continue;
      for (const match of sentence.matchAll(typedFigure)) found.push(`"${match[0]}" in "${sentence.trim().slice(0, 160)}"`);
    }
  }
  return found;
}

// A pattern's note in the frontmatter is YAML, shown at the chapter's end and in the glossary:
// a number in it is written as the chapter writes one, <CodeValue … /> or <Measured … />, which
// the content schema renders (site/lib/chapter-extras.ts). Any digit left outside those and
// outside `code`, or a number spelt out before a unit ("five seconds"), is typed by hand.
const spelt = /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|sixty|hundred)\s+(?:ms|milliseconds?|seconds?|minutes?|s\b|failures?|attempts?|times|requests?)/gi;

/** Numbers typed by hand in the frontmatter's pattern notes, each with its note. */
export function typedNoteFigures(mdx: string): string[] {
  const patterns = (frontmatterOf(mdx) as { patterns?: (string | { id: string; note?: string })[] }).patterns ?? [];
  const found: string[] = [];
  for (const entry of patterns) {
    if (typeof entry === 'string' || !entry.note) continue;
    const text = entry.note.replace(/<[A-Z][^>]*?\/>/g, '…').replace(/`[^`]*`/g, '`…`');
    for (const match of [...text.matchAll(/\b\d[\d_,.]*/g), ...text.matchAll(spelt)]) found.push(`"${match[0]}" in the note on ${entry.id}: "${entry.note.slice(0, 120)}"`);
  }
  return found;
}

export function checkTypedFigures(chaptersDir: string): CheckResult {
  const problems: string[] = [];
  for (const name of readdirSync(chaptersDir).filter((n) => n.endsWith('.mdx')).sort()) {
    const mdx = readFileSync(join(chaptersDir, name), 'utf8');
    for (const figure of typedMeasuredFigures(mdx)) {
      problems.push(`${name}: ${figure} is typed by hand; render it from measurements.json with <Measured figure="run-ready/<stage>/<name>" />`);
    }
    for (const figure of typedNoteFigures(mdx)) {
      problems.push(`${name}: ${figure} is typed by hand; write <CodeValue stage=… file=… name=… /> (or <Measured />) in the note instead`);
    }
  }
  return result('measured figures come from measurements.json', problems);
}
