import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { elsewhereSchema, patternsSchema } from './chapter-extras.ts';
import { glossary, readingList } from './glossary.ts';
import { chapterReading, firstSentence, glossaryProblems, termUsage, type ChapterUse } from './glossary-use.ts';
import { inlineCode } from './inline-code.ts';

const chaptersDir = join(import.meta.dirname, '../../chapters');
const files = readdirSync(chaptersDir).filter((name) => /^\d\d-.*\.mdx$/.test(name)).sort();

// The real chapters as the content schema sees them: frontmatter parsed, then the same schemas.
// Drafts are left out, as the site leaves them out (a scaffolded chapter has no patterns yet).
const chapters: ChapterUse[] = files.flatMap((file) => {
  const frontmatter = parse(/^---\n([\s\S]*?)\n---\n/.exec(readFileSync(join(chaptersDir, file), 'utf8'))![1]!) as Record<string, unknown>;
  if (frontmatter.draft === true) return [];
  return {
    id: file.replace(/\.mdx$/, ''),
    patterns: frontmatter.patterns === undefined ? undefined : patternsSchema.parse(frontmatter.patterns),
    elsewhere: frontmatter.elsewhere === undefined ? undefined : elsewhereSchema.parse(frontmatter.elsewhere),
  };
});

describe('the chapters and the glossary', () => {
  it('agree: every chapter of a stage names patterns, every name is a term, every term is used or general', () => {
    expect(glossaryProblems(chapters)).toEqual([]);
  });

  it('chapters 01-13 are all there, and 02-13 each say how the idea looks elsewhere', () => {
    const numbers = chapters.filter((c) => c.patterns?.length).map((c) => c.id.slice(0, 2));
    expect(numbers).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13']);
    expect(chapters.filter((c) => c.elsewhere).map((c) => c.id.slice(0, 2))).toEqual(numbers.slice(1));
  });

  it('names the patterns the issue asks for where the stages really use them', () => {
    const usage = termUsage(chapters);
    const where = (id: string) => (usage.get(id) ?? []).map((c) => c.id.slice(0, 2));
    expect(where('branch-by-abstraction')).toEqual(['06']);
    expect(where('strangler-fig')).toEqual(['06']);
    expect(where('polling-publisher')).toEqual(['05', '08', '10']);
    expect(where('fencing-token')).toEqual(['10']);
    expect(where('api-composition')).toEqual(['04']);
    expect(where('shared-database')).toEqual(['03', '04']);
    // Named, but no stage does them: each says why instead of being attached to a chapter.
    expect(where('change-data-capture')).toEqual([]);
    expect(where('consumer-driven-contracts')).toEqual([]);
    for (const id of ['change-data-capture', 'consumer-driven-contracts']) expect(glossary.find((t) => t.id === id)!.general).toBeTruthy();
  });

  it('every chapter with patterns gets some further reading', () => {
    for (const chapter of chapters.filter((c) => c.patterns)) expect(chapterReading(chapter.patterns!).length, chapter.id).toBeGreaterThan(0);
  });

  it('every definition is a sentence or two of our own, with balanced code marks', () => {
    for (const term of glossary) {
      expect(term.definition.length, term.id).toBeGreaterThan(40);
      expect(term.definition.length, term.id).toBeLessThan(400);
      expect(term.definition.split('`').length % 2, `${term.id}: an odd number of backticks`).toBe(1);
      expect(term.id).toMatch(/^[a-z0-9-]+$/);
    }
    for (const reading of readingList) if (reading.url) expect(reading.url, reading.id).toMatch(/^https:\/\//);
  });
});

describe('glossaryProblems', () => {
  const used = (ids: string[]) => ids.map((id) => ({ id }));
  const everyTerm = glossary.filter((t) => !t.general).map((t) => t.id);
  const complete: ChapterUse[] = [
    { id: '00-how-to-use' },
    { id: '01-single-file', patterns: used(everyTerm) },
    { id: '02-ports-and-adapters', patterns: used(['monolith']), elsewhere: {} },
  ];

  it('finds nothing wrong in a complete set', () => {
    expect(glossaryProblems(complete)).toEqual([]);
  });

  it('names a chapter without patterns, and one without its note from elsewhere', () => {
    const problems = glossaryProblems([...complete, { id: '03-real-persistence' }]);
    expect(problems).toContain('chapter 03-real-persistence names no patterns (frontmatter "patterns:")');
    expect(problems).toContain('chapter 03-real-persistence has no "elsewhere:" note');
  });

  it('names a pattern that is not in the glossary', () => {
    const problems = glossaryProblems([...complete, { id: '03-x', patterns: used(['cqrs']), elsewhere: {} }]);
    expect(problems).toEqual(['chapter 03-x names "cqrs", which is not in the glossary']);
  });

  it('names a term nobody uses unless it is marked general, and a general term that is used', () => {
    const [first, ...rest] = everyTerm;
    const problems = glossaryProblems([{ id: '01-a', patterns: used(rest) }, { id: '02-b', patterns: used(['change-data-capture']), elsewhere: {} }]);
    expect(problems).toEqual([
      `glossary term "${first}" is named by no chapter and not marked general`,
      'glossary term "change-data-capture" is marked general but chapters name it',
    ]);
  });

  it('names a see-also or a reading that does not resolve, and a reading nobody cites', () => {
    const terms = [{ id: 'a', name: 'A', kind: 'term' as const, definition: 'x', seeAlso: ['b'], reading: ['nope'] }];
    const reading = [{ id: 'lonely', author: 'N', title: 'T', year: 2000, kind: 'book' as const }];
    expect(glossaryProblems([{ id: '01-a', patterns: used(['a']) }], terms, reading)).toEqual([
      'glossary term "a" sees also "b", which is not a term',
      'glossary term "a" cites "nope", which is not in the reading list',
      'reading "lonely" is cited by no term',
    ]);
  });
});

describe('the frontmatter schemas', () => {
  it('accept an id or an id with a note, and refuse an unknown id, naming the file to edit', () => {
    expect(patternsSchema.parse(['saga', { id: 'lease', note: 'five seconds' }])).toEqual([{ id: 'saga' }, { id: 'lease', note: 'five seconds' }]);
    const result = patternsSchema.safeParse(['saga', 'cqrs']);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toContain('"cqrs" is not a term in site/lib/glossary.ts');
  });

  it('refuse an empty list and a term listed twice', () => {
    expect(patternsSchema.safeParse([]).success).toBe(false);
    expect(patternsSchema.safeParse(['saga', { id: 'saga', note: 'again' }]).success).toBe(false);
  });

  it('require all three notes of "elsewhere", and label a sketch with its language', () => {
    const note = 'a note long enough to say something';
    expect(elsewhereSchema.safeParse({ rust: note, messaging: note }).success).toBe(false);
    expect(elsewhereSchema.safeParse({ rust: note, messaging: note, grpc: note, sketch: { language: 'go', code: 'package main' } }).success).toBe(false);
    expect(elsewhereSchema.parse({ rust: note, messaging: note, grpc: note })).toEqual({ rust: note, messaging: note, grpc: note });
  });
});

describe('inlineCode and firstSentence', () => {
  it('split backticks into code parts, leaving the rest as text', () => {
    expect(inlineCode('use `SELECT … FOR UPDATE` here')).toEqual([
      { text: 'use ', code: false },
      { text: 'SELECT … FOR UPDATE', code: true },
      { text: ' here', code: false },
    ]);
    expect(inlineCode('<b>not html</b>')).toEqual([{ text: '<b>not html</b>', code: false }]);
  });

  it('cut a definition after its first sentence, not inside code', () => {
    expect(firstSentence('One thing. Another.')).toBe('One thing.');
    expect(firstSentence('Read `a.b` first. Then more.')).toBe('Read `a.b` first.');
    expect(firstSentence('No full stop')).toBe('No full stop');
  });
});
