// Regions let prose quote a named part of a real example file instead of a pasted copy.
// A region is marked in the source by a pair of comments, in whatever comment style the
// file's language uses:  // #region place-order  …  // #endregion place-order
const marker = /^\s*(?:\/\/|--|#)\s*#(region|endregion)\b\s*([\w-]*)\s*$/;

export interface Region {
  name: string;
  /** 1-based line numbers of the first and last line of the region's body. */
  startLine: number;
  endLine: number;
  code: string;
}

export class ExcerptError extends Error {
  override name = 'ExcerptError';
}

/** Names of every region in a source text, in order of appearance. */
export function regionNames(source: string): string[] {
  const names: string[] = [];
  for (const line of source.split('\n')) {
    const match = marker.exec(line);
    if (match?.[1] === 'region' && match[2]) names.push(match[2]);
  }
  return names;
}

/**
 * The body of one region: marker lines of nested regions are dropped, and the common
 * indentation is removed so a method excerpt does not start half-way across the page.
 */
export function extractRegion(source: string, name: string, fileLabel = 'the file'): Region {
  const lines = source.split('\n');
  let start = -1;
  let end = -1;
  for (let i = 0; i < lines.length; i++) {
    const match = marker.exec(lines[i] ?? '');
    if (!match || match[2] !== name) continue;
    if (match[1] === 'region') {
      if (start !== -1) throw new ExcerptError(`region "${name}" is opened twice in ${fileLabel}`);
      start = i;
    } else if (start !== -1) {
      end = i;
      break;
    }
  }
  if (start === -1) {
    const known = regionNames(source);
    throw new ExcerptError(
      `region "${name}" not found in ${fileLabel}; regions there: ${known.length ? known.join(', ') : 'none'}`,
    );
  }
  if (end === -1) throw new ExcerptError(`region "${name}" in ${fileLabel} has no "#endregion ${name}"`);
  const body = lines.slice(start + 1, end).filter((line) => !marker.test(line));
  return { name, startLine: start + 2, endLine: end, code: dedent(body).join('\n') };
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)?.[0].length ?? 0);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(common));
}

/** Removes every region marker line, for showing a whole file as the reader would write it. */
export function stripRegionMarkers(source: string): string {
  return source
    .split('\n')
    .filter((line) => !marker.test(line))
    .join('\n');
}
