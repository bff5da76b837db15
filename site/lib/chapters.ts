import { getCollection, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'chapters'>;

/** Published chapters in reading order (their ids start with the two-digit number). */
export async function getChapters(): Promise<Chapter[]> {
  const all = await getCollection('chapters', (entry) => !entry.data.draft);
  return all.sort((a, b) => a.id.localeCompare(b.id));
}

export function chapterUrl(chapter: Chapter): string {
  return `/chapters/${chapter.id}/`;
}

export function chapterNumber(chapter: Chapter): string {
  return chapter.id.slice(0, 2);
}
