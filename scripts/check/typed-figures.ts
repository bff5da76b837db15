// No measured figure is typed into a chapter by hand. A paragraph that cites the bench
// (`npm run bench`, `scripts/bench.ts`) quotes what it measured, Run -> Ready, memory (RSS) and
// process counts, through <Measured figure="..." />, which reads measurements.json; a number
// typed next to those words instead is a copy that drifts the day the bench runs again, and this
// check names it. Text typed inside <Measured>…</Measured> is checked by the component itself.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { result, type CheckResult } from './report.ts';

// Every script that writes measurements.json: the bench, its parts in scripts/bench/, the stages'
// bench:* scripts and stage 12's measure.ts.
const citesBench = /npm run bench\b|scripts\/bench(?:\.ts|\/)|scripts\/measure\.ts/;
const measuredWords = /Run (?:→|->) Ready|\bRSS\b|\bPSS\b|\bprocesses\b|\bmemory\b|\bpeak|\btook\b|\bheld\b/;
const typedFigure = /\b\d[\d,]*(?:\.\d+)?\s?(?:ms|s|MB|GB|KB|x)\b|\b\d+\.\d+\b|\b\d+ (?:Node )?processes\b|\(stage \d+: \d+\)/g;

/** The prose of an MDX chapter: no frontmatter, code, components or HTML tags. */
export function prose(mdx: string): string {
  return mdx
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/^([ \t]*)```[\s\S]*?^\1```/gm, '')
    .replace(/<(\w+)\b[^>]*>[\s\S]*?<\/\1>/g, (element, tag: string) => (/^[A-Z]/.test(tag) ? ' ' : element))
    .replace(/<[^>]+>/g, ' ');
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

export function checkTypedFigures(chaptersDir: string): CheckResult {
  const problems: string[] = [];
  for (const name of readdirSync(chaptersDir).filter((n) => n.endsWith('.mdx')).sort()) {
    for (const figure of typedMeasuredFigures(readFileSync(join(chaptersDir, name), 'utf8'))) {
      problems.push(`${name}: ${figure} is typed by hand; render it from measurements.json with <Measured figure="run-ready/<stage>/<name>" />`);
    }
  }
  return result('measured figures come from measurements.json', problems);
}
