import { stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

// Text compresses to a fifth or less; images, fonts and zips are compressed already. The
// chapter pages carry highlighted code (300 KB of HTML, 27 KB gzipped), so serving them raw
// would make `npm start` slower than any static host the site is deployed to.
const compressibleTypes = /^(text\/|application\/(json|javascript|xml|wasm)|image\/svg\+xml)/;

export const isCompressible = (contentType: string): boolean => compressibleTypes.test(contentType);

/** Whether the client takes gzip: listed in Accept-Encoding and not refused with q=0. */
export function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  if (!header) return false;
  return String(header)
    .split(',')
    .map((part) => part.trim().split(';'))
    .some(([coding, ...params]) => (coding === 'gzip' || coding === '*') && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p)));
}

/**
 * Gzipped bodies by file, made once and kept while the file is unchanged (its size and
 * modification time), so a rebuild under a running server never serves stale bytes.
 */
export class GzipCache {
  readonly #entries = new Map<string, { version: string; body: Promise<Buffer> }>();

  async get(file: string, read: () => Promise<Buffer>): Promise<Buffer> {
    const info = await stat(file);
    const version = `${info.size}:${info.mtimeMs}`;
    const cached = this.#entries.get(file);
    if (cached?.version === version) return cached.body;
    const body = read().then((raw) => gzipAsync(raw));
    this.#entries.set(file, { version, body });
    body.catch(() => this.#entries.delete(file));
    return body;
  }
}
