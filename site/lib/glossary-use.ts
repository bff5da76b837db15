// How the chapters use the glossary: which chapters name a term, the reading a chapter's terms
// point to, and the problems that fail the build (and glossary.test.ts) when the two disagree.
import { glossary, readingById, readingList, termById, type GlossaryTerm, type Reading } from './glossary.ts';

export interface ChapterUse {
  /** The chapter's id, its file name without .mdx ("05-events-and-outbox"). */
  id: string;
  patterns?: { id: string; note?: string }[];
  elsewhere?: unknown;
}

const numberOf = (chapter: ChapterUse) => Number(chapter.id.slice(0, 2));

/** Chapters 01-12 (every chapter of a stage) name their patterns; 02-12 say how it looks elsewhere. */
export const needsPatterns = (chapter: ChapterUse) => numberOf(chapter) >= 1;
export const needsElsewhere = (chapter: ChapterUse) => numberOf(chapter) >= 2;

/** Term id -> the chapters that name it, in reading order. */
export function termUsage<C extends ChapterUse>(chapters: readonly C[]): Map<string, C[]> {
  const usage = new Map<string, C[]>(glossary.map((term) => [term.id, []]));
  for (const chapter of [...chapters].sort((a, b) => a.id.localeCompare(b.id))) {
    for (const { id } of chapter.patterns ?? []) usage.get(id)?.push(chapter);
  }
  return usage;
}

/** The reading behind a chapter's terms, each once, in the order the terms are listed. */
export function chapterReading(patterns: readonly { id: string }[], limit = 6): Reading[] {
  const ids = [...new Set(patterns.flatMap(({ id }) => termById(id).reading ?? []))];
  return ids.slice(0, limit).map(readingById);
}

/** The first sentence of a definition, for the short list at the end of a chapter. */
export function firstSentence(text: string): string {
  const end = text.search(/[.!?](\s|$)/);
  return end === -1 ? text : text.slice(0, end + 1);
}

export function glossaryProblems(chapters: readonly ChapterUse[], terms: readonly GlossaryTerm[] = glossary, reading: readonly Reading[] = readingList): string[] {
  const problems: string[] = [];
  const termIds = new Set(terms.map((t) => t.id));
  const readingIds = new Set(reading.map((r) => r.id));
  if (termIds.size !== terms.length) problems.push('two glossary terms share an id');
  if (readingIds.size !== reading.length) problems.push('two readings share an id');
  for (const chapter of chapters) {
    if (needsPatterns(chapter) && !chapter.patterns?.length) problems.push(`chapter ${chapter.id} names no patterns (frontmatter "patterns:")`);
    if (needsElsewhere(chapter) && !chapter.elsewhere) problems.push(`chapter ${chapter.id} has no "elsewhere:" note`);
    for (const { id } of chapter.patterns ?? []) if (!termIds.has(id)) problems.push(`chapter ${chapter.id} names "${id}", which is not in the glossary`);
  }
  const used = new Set(chapters.flatMap((c) => (c.patterns ?? []).map((p) => p.id)));
  for (const term of terms) {
    if (!used.has(term.id) && !term.general) problems.push(`glossary term "${term.id}" is named by no chapter and not marked general`);
    if (used.has(term.id) && term.general) problems.push(`glossary term "${term.id}" is marked general but chapters name it`);
    for (const id of term.seeAlso ?? []) if (!termIds.has(id)) problems.push(`glossary term "${term.id}" sees also "${id}", which is not a term`);
    for (const id of term.reading ?? []) if (!readingIds.has(id)) problems.push(`glossary term "${term.id}" cites "${id}", which is not in the reading list`);
  }
  const cited = new Set(terms.flatMap((t) => t.reading ?? []));
  for (const r of reading) if (!cited.has(r.id)) problems.push(`reading "${r.id}" is cited by no term`);
  return problems;
}
