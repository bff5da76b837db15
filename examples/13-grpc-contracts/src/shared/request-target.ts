// What a request names, read in one place for every process of the stage: the request target
// (the text after the method) and how deep a JSON body nests. Nothing here throws: a target
// or a body that cannot be read is an answer ({ invalid }) for the caller to turn into a 400.
//
// A target is routed by its path alone. The absolute-form `http://host:port/path` (RFC 9112
// says a server must accept it) keeps its path and drops the host it names, so no request can
// steer a process, or a balancer forwarding it, to a host of the client's choosing. Paths that
// could be read as another host or another path are refused, not guessed at: a backslash
// (`/\host`), an empty segment (`//host`, `/orders/`), a dot segment (`/x/../y`, `%2e%2e`).

export const MAX_JSON_DEPTH = 64;

// scheme "://" authority: the authority is never looked at
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
// A base that the path is resolved against; the checks above leave it no way to matter.
const BASE = 'http://target.invalid';

export type Target = { url: URL } | { invalid: string };

export function parseTarget(raw: string | undefined): Target {
  const text = raw ?? '/';
  // visible ASCII only: Node lets some bytes through that no URL may hold
  if (!/^[\x21-\x7e]+$/.test(text)) return { invalid: 'the request target may hold visible ASCII characters only (percent-encode the rest)' };
  const absolute = ABSOLUTE_FORM.exec(text);
  let rest = absolute ? text.slice(absolute[0].length) : text;
  if (absolute && (rest === '' || rest.startsWith('?'))) rest = `/${rest}`;
  if (!rest.startsWith('/')) return { invalid: 'the request target must be a path beginning with / (or an absolute URL)' };
  if (rest.includes('#')) return { invalid: 'the request target may not hold a fragment (#)' };
  const query = rest.indexOf('?');
  const path = query < 0 ? rest : rest.slice(0, query);
  if (path.includes('\\')) return { invalid: 'the path may not hold a backslash' };
  const segments = path.split('/').slice(1);
  if (path !== '/' && segments.some((segment) => segment === '')) return { invalid: 'the path may not hold an empty segment (// or a trailing /)' };
  if (segments.some((segment) => DOT_SEGMENT.test(segment))) return { invalid: 'the path may not hold a . or .. segment' };
  try {
    return { url: new URL(rest, BASE) };
  } catch {
    return { invalid: 'the request target is not a valid path' };
  }
}

// True when a JSON text nests arrays and objects deeper than `limit`: checked on the text,
// before JSON.parse builds it and before anything walks it (validation, JSON.stringify).
export function nestedDeeperThan(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // \ escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
