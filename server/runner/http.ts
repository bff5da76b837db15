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
  try {
    return JSON.parse(text);
  } catch {
    throw new RunnerError(400, 'bad_json', 'The request body is not valid JSON.');
  }
}

function tooLarge(limit: number): RunnerError {
  return new RunnerError(413, 'body_too_large', `The request body is larger than ${Math.round(limit / 1024 / 1024)} MB.`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
