import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { acceptsGzip, GzipCache, isCompressible } from './compression.ts';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.zip': 'application/zip',
  '.bin': 'application/octet-stream',
  '.gz': 'application/gzip',
  '.ttf': 'font/ttf',
};

async function fileAt(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isFile()) return path;
  if (info?.isDirectory()) {
    const index = join(path, 'index.html');
    if ((await stat(index).catch(() => undefined))?.isFile()) return index;
  }
  return undefined;
}

/**
 * The path and query a request asks for, read as a path on this site: "//evil.example:99999/"
 * or "/\\evil.example" would otherwise parse as another host (or throw). Undefined when it is
 * no path at all ("*", "http://...").
 *
 * Its pathname never holds an empty segment: dot segments are resolved first ("/x/..//evil"
 * is "//evil" once ".." has gone), then every run of slashes is one, so a pathname sent back
 * in a Location can never be read as another host (`//host`).
 */
export function siteUrl(raw: string | undefined): URL | undefined {
  const text = raw ?? '/';
  if (!text.startsWith('/')) return undefined;
  try {
    const url = new URL(text.replace(/^[/\\]+/, '/'), 'http://localhost');
    if (url.pathname.includes('//')) url.pathname = url.pathname.replace(/\/{2,}/g, '/');
    return url;
  } catch {
    return undefined;
  }
}

/**
 * A Location header for a path of this site: only ever a path, never `//host` or `/\\host`
 * (siteUrl's pathnames cannot be one; this is the last word, and sends home if one ever is).
 */
export function sameOriginLocation(location: string): string {
  return location.startsWith('/') && !/^\/[/\\]/.test(location) ? location : '/';
}

function decodePath(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

export interface StaticOptions {
  /** Markup added at the start of every page's <head> (the Local runtime's token). */
  headHtml?: string;
}

/** A page with `headHtml` placed right after its <head> tag (or first, if it has none). */
export async function readPage(file: string, headHtml: string): Promise<Buffer> {
  const html = await readFile(file, 'utf8');
  const head = /<head(\s[^>]*)?>/i.exec(html);
  const at = head ? head.index + head[0].length : 0;
  return Buffer.from(html.slice(0, at) + headHtml + html.slice(at));
}

/** Serves the built site; hashed assets are cached for a year, pages are revalidated. */
export function serveStatic(root: string, { headHtml }: StaticOptions = {}) {
  const rootWithSep = root.endsWith(sep) ? root : root + sep;
  const gzipped = new GzipCache();
  const read = (file: string) => (headHtml && extname(file) === '.html' ? readPage(file, headHtml) : readFile(file));
  const send = async (req: IncomingMessage, res: ServerResponse, file: string, status: number, headers: Record<string, string>) => {
    const compressible = isCompressible(headers['content-type'] ?? '');
    if (compressible && acceptsGzip(req)) {
      const body = await gzipped.get(file, () => read(file));
      res.writeHead(status, { ...headers, vary: 'accept-encoding', 'content-encoding': 'gzip', 'content-length': String(body.length) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (compressible) headers = { ...headers, vary: 'accept-encoding' };
    if (headHtml && extname(file) === '.html') {
      const page = await readPage(file, headHtml);
      res.writeHead(status, { ...headers, 'content-length': String(page.length) });
      res.end(req.method === 'HEAD' ? undefined : page);
      return;
    }
    res.writeHead(status, headers);
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = siteUrl(req.url);
    const pathname = url && decodePath(url.pathname);
    if (!url || pathname === undefined) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request: the address is not a path on this site (or has a malformed %-escape).');
      return;
    }
    const target = normalize(join(root, pathname));
    if (target !== root && !target.startsWith(rootWithSep)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
      return;
    }
    // "/chapters/x" without its slash would break relative links; send the reader to "/chapters/x/".
    if (!pathname.endsWith('/') && !extname(pathname) && (await fileAt(join(target, 'index.html')))) {
      // The encoded path: a decoded "/%2F/host" would turn into an address on another site.
      res.writeHead(308, { location: sameOriginLocation(`${url.pathname}/${url.search}`) }).end();
      return;
    }
    const file = await fileAt(target);
    if (!file) {
      const notFound = await fileAt(join(root, '404.html'));
      const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' };
      if (notFound) await send(req, res, notFound, 404, headers);
      else res.writeHead(404, headers).end('<!doctype html><title>Not found</title><h1>Not found</h1>');
      return;
    }
    // Names that carry a content hash never change: Astro's bundles and the dependency snapshot.
    const immutable = file.includes(`${sep}_astro${sep}`) || /[\\/]runtime[\\/]deps-[0-9a-f]+\.bin\.gz$/.test(file);
    await send(req, res, file, 200, {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  };
}
