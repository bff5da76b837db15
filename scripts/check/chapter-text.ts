// The parts of an MDX chapter the text checks read (typed-figures.ts, quoted-figures.ts): its
// frontmatter as data, its body, and prose with the components and HTML taken out.
import { parse } from 'yaml';

const frontmatterBlock = /^---\n([\s\S]*?)\n---\n/;

/** The frontmatter's YAML, parsed; {} when there is none. */
export function frontmatterOf(mdx: string): Record<string, unknown> {
  const yaml = frontmatterBlock.exec(mdx)?.[1];
  return yaml ? ((parse(yaml) as Record<string, unknown> | null) ?? {}) : {};
}

/** The chapter without its frontmatter. */
export function bodyOf(mdx: string): string {
  return mdx.replace(frontmatterBlock, '');
}

/** Text with every component (a capitalised element, contents and all) and every HTML tag taken out; an HTML element's contents stay. */
export function withoutElements(text: string): string {
  return text.replace(/<(\w+)\b[^>]*>[\s\S]*?<\/\1>/g, (element, tag: string) => (/^[A-Z]/.test(tag) ? ' ' : element)).replace(/<[^>]+>/g, ' ');
}
