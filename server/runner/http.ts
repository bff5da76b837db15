// Small JSON helpers for the runner's HTTP API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, RunnerError } from './errors.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof RunnerError) {
    sendJson(res, error.status, errorBody(error));
    return;
  }
  console.error(error);
  // The message of an unexpected error names folders of this machine; it stays in the console.
  const code = (error as NodeJS.ErrnoException)?.code;
  const named = typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? ` (${code})` : '';
  sendJson(res, 500, errorBody(new RunnerError(500, 'internal', `The local runner failed unexpectedly${named}; the terminal running the server shows the details.`)));
}

/** Reads a JSON request body of at most `limit` bytes. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Stop reading here; the refusal closes the connection (see api.ts), so the rest is never parsed.
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new RunnerError(400, 'bad_json', 'The request needs a JSON body.');
  // Checked on the text, before anything builds or walks it: an error message quoting a field
  // nested thousands deep (String() of an array) overflows the stack.
  if (nestedDeeperThan(text, maxJsonDepth)) throw new RunnerError(400, 'bad_json', `The request body nests deeper than ${maxJsonDepth} levels.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RunnerError(400, 'bad_json', 'The request body is not valid JSON.');
  }
  // A lone surrogate (\ud800) has no UTF-8 form: no file, path or header can carry it.
  if (holdsLoneSurrogate(body)) throw new RunnerError(400, 'bad_json', 'The request body holds an unpaired UTF-16 surrogate (such as \\ud800), which no file, path or header can carry.');
  return body;
}

const maxJsonDepth = 64;

/** True when a JSON text nests arrays and objects deeper than `limit` (strings skipped). */
export function nestedDeeperThan(text: string, limit: number): boolean {
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

/** Any string in a parsed JSON value (names included) with an unpaired surrogate. */
function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return /\p{Cs}/u.test(value);
  if (Array.isArray(value)) return value.some(holdsLoneSurrogate);
  if (isRecord(value)) return Object.entries(value).some(([name, item]) => /\p{Cs}/u.test(name) || holdsLoneSurrogate(item));
  return false;
}

function tooLarge(limit: number): RunnerError {
  return new RunnerError(413, 'body_too_large', `The request body is larger than ${Math.round(limit / 1024 / 1024)} MB.`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
