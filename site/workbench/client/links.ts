// Links into the workbench. Deep links for instructors: ?file=src/shop.ts&lines=10-20 opens the
// file and highlights lines. Share links carry edits in the hash: #edits=... (see share.ts).
export interface DeepLink {
  file: string;
  /** 1-based, inclusive; absent when the link names only a file. */
  lines?: { start: number; end: number };
}

export function parseDeepLink(search: string): DeepLink | undefined {
  const params = new URLSearchParams(search);
  const file = params.get('file')?.replace(/^\/+/, '');
  if (!file) return undefined;
  const match = /^(\d+)(?:\s*[-–:]\s*(\d+))?$/.exec(params.get('lines')?.trim() ?? '');
  if (!match) return { file };
  const a = Number(match[1]);
  const b = match[2] === undefined ? a : Number(match[2]);
  if (a < 1 || b < 1) return { file };
  return { file, lines: { start: Math.min(a, b), end: Math.max(a, b) } };
}

/** The URL of `page` (a Location or URL) that opens `link`, keeping any other query parameters. */
export function deepLinkUrl(page: { origin: string; pathname: string; search: string }, link: DeepLink): string {
  const params = new URLSearchParams(page.search);
  params.set('file', link.file);
  if (link.lines) params.set('lines', link.lines.start === link.lines.end ? String(link.lines.start) : `${link.lines.start}-${link.lines.end}`);
  else params.delete('lines');
  return `${page.origin}${page.pathname}?${params.toString().replace(/%2F/g, '/')}`;
}

export function describeLines(link: DeepLink): string {
  if (!link.lines) return link.file;
  const { start, end } = link.lines;
  return start === end ? `${link.file} line ${start}` : `${link.file} lines ${start}–${end}`;
}

export const shareParam = 'edits';

/** The encoded edits in a location hash, if it carries any. */
export function sharedInHash(hash: string): string | undefined {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get(shareParam);
  return value || undefined;
}
