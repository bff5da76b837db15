// The two things a chapter's frontmatter adds for its closing sections, validated by the
// content schema (site/content.config.ts): `patterns`, the glossary terms the chapter uses,
// and `elsewhere`, the same idea in Rust, with Kafka or NATS, and with gRPC.
import { z } from 'astro/zod';
import { glossaryIds } from './glossary.ts';
import { withFigures } from './inline-figures.ts';

const knownTerm = z.string().refine((id) => glossaryIds.includes(id), {
  error: (issue) => `"${String(issue.input)}" is not a term in site/lib/glossary.ts (add it there, or use one of its ids)`,
});

// A term by id, or with a short note on how this chapter uses it ("avoided: …"). A number in a
// note is written as in the chapter, <CodeValue … /> or <Measured … />, and rendered here when
// the content is loaded: YAML has no components, and a number typed into it would drift
// (scripts/check/typed-figures.ts names one). The 200 characters are the note as shown.
const NOTE_SHOWN_MAX = 200;
export const patternsSchema = z
  .array(z.union([knownTerm, z.object({ id: knownTerm, note: z.string().min(3).max(1000) })]))
  .min(1)
  .transform((entries): { id: string; note?: string }[] =>
    entries.map((entry) => (typeof entry === 'string' ? { id: entry } : { id: entry.id, note: withFigures(entry.note, `the note on ${entry.id}`) })),
  )
  .refine((entries) => entries.every((e) => (e.note?.length ?? 0) <= NOTE_SHOWN_MAX), { error: `a pattern's note is longer than ${NOTE_SHOWN_MAX} characters as shown` })
  .refine((entries) => new Set(entries.map((e) => e.id)).size === entries.length, { error: 'a term is listed twice in patterns' });

export type ChapterPattern = z.output<typeof patternsSchema>[number];

const note = z.string().min(20).max(700);

export const elsewhereSchema = z.object({
  /** The stage's key move in Rust (Axum, SQLx, Tonic, tokio). */
  rust: note,
  /** With Kafka or NATS instead of MQTT (or in-process events). */
  messaging: note,
  /** With gRPC instead of HTTP and JSON. */
  grpc: note,
  /** A few lines of code, shown labelled as an illustrative sketch that was not compiled or run. */
  sketch: z.object({ language: z.enum(['rust', 'proto']), code: z.string().min(10).max(1200) }).optional(),
});

export type Elsewhere = z.output<typeof elsewhereSchema>;

// The headings of the two closing sections, for their anchors and the chapter's table of contents.
export const elsewhereHeading = { depth: 2, slug: 'the-same-idea-elsewhere', text: 'The same idea elsewhere' } as const;
export const patternsHeading = { depth: 2, slug: 'patterns-in-this-chapter', text: 'Patterns in this chapter' } as const;
