// Who gets a page with the runner token in it. As in Jupyter, the token reaches the browser
// once, in the address `npm start` prints (/?token=...); the server keeps it in an HttpOnly,
// SameSite=Strict cookie and sends the browser on to the clean address. A page asked for
// without that cookie (another user of this machine with curl, a page of another site) gets
// no token, and without the token the runner's API refuses every call.
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { sameOriginLocation, siteUrl } from '../static.ts';

/** Cookies are shared by every port of a host, so the name carries the port. */
export const cookieName = (port: number) => `m2d-runner-${port}`;

export function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A token given from outside (RUNNER_TOKEN) must be as hard to guess as one we make. */
export function checkGivenToken(token: string): string {
  if (!/^[A-Za-z0-9_-]{32,128}$/.test(token)) {
    throw new Error('RUNNER_TOKEN must be 32 to 128 letters, digits, "-" or "_" (e.g. `openssl rand -hex 32`).');
  }
  return token;
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export type PageAccess =
  | { kind: 'granted' }
  | { kind: 'anonymous' }
  /** The address carried the right token: set the cookie and send the browser on. */
  | { kind: 'enter'; location: string; cookie: string }
  /** The address carried a token that is not this server's (an old link). */
  | { kind: 'refused' };

export function pageAccess(req: IncomingMessage, token: string, port: number): PageAccess {
  const url = siteUrl(req.url);
  const given = url?.searchParams.get('token') ?? null;
  if (given !== null) {
    if (!url || !sameToken(given, token)) return { kind: 'refused' };
    url.searchParams.delete('token');
    const cookie = `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${30 * 24 * 3600}`;
    return { kind: 'enter', location: sameOriginLocation(url.pathname + url.search), cookie };
  }
  const kept = cookieValue(req, cookieName(port));
  return kept !== undefined && sameToken(kept, token) ? { kind: 'granted' } : { kind: 'anonymous' };
}

/** The page for an address whose token is not this server's. */
export const refusedTokenPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Wrong runner token</title></head>
<body><h1>This link's token is not this server's</h1>
<p>The server was probably restarted since the link was made. Open the address that <code>npm start</code> printed last (it ends in <code>?token=…</code>), or open <a href="/">the site without the Local runtime</a>.</p></body></html>`;
