// Sends one HTTP request to a running stage on its own loopback port and reads the whole
// answer. The target is never taken from the request: only the path is, and it must be a path.
import http from 'node:http';
import { RunnerError } from './errors.ts';
import { isRecord } from './http.ts';

export interface ProxyRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
}

const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
// Hop-by-hop and framing headers are the proxy's business, not the reader's.
const dropped = new Set([
  'host', 'connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'content-length', 'expect',
]);
const maxResponseBytes = 5 * 1024 * 1024;
const maxBodyBytes = 1024 * 1024;

/** Percent-encodes what is not printable ASCII, leaving the rest (and existing escapes) alone. */
const percentEncode = (text: string) => text.replace(/[^\x21-\x7e]/gu, (char) => (/\p{Cs}/u.test(char) ? '%EF%BF%BD' : encodeURIComponent(char)));

export function checkProxyRequest(input: unknown): ProxyRequest {
  if (!isRecord(input)) throw new RunnerError(400, 'bad_request', 'The request must be a JSON object {method, path, headers, body}.');
  const method = typeof input.method === 'string' ? input.method.toUpperCase() : '';
  if (!methods.has(method)) throw new RunnerError(400, 'bad_request', `"${String(input.method)}" is not an HTTP method the runner sends (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS).`);
  const path = input.path;
  if (typeof path !== 'string' || !/^\/(?!\/)/.test(path) || /[\s\0-\x1f\x7f\\]/.test(path) || path.length > 8192) {
    throw new RunnerError(400, 'bad_request_path', `The path must start with a single "/" and name a route on the stage (like "/products"), not "${String(path)}".`);
  }
  // HTTP carries a path as ASCII; a browser would percent-encode the rest, so say how.
  const unescaped = /[^\x21-\x7e]/u.exec(path);
  if (unescaped) {
    throw new RunnerError(
      400,
      'bad_request_path',
      `The path contains "${unescaped[0]}", which HTTP cannot carry as it is: percent-encode it (${percentEncode(unescaped[0])}), as in "${percentEncode(path)}".`,
    );
  }
  const headers: Record<string, string> = {};
  if (input.headers !== undefined) {
    if (!isRecord(input.headers)) throw new RunnerError(400, 'bad_request', '"headers" must be an object of header names to text values.');
    for (const [name, value] of Object.entries(input.headers)) {
      if (typeof value !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) {
        throw new RunnerError(400, 'bad_request', `The header "${name}" is not a valid HTTP header.`);
      }
      // Header values are Latin-1 at most (tab, printable ASCII, 0x80-0xFF); HTTP has no other text.
      const outside = /[^\t\x20-\x7e\x80-\xff]/u.exec(value);
      if (outside) {
        throw new RunnerError(400, 'bad_request', `The value of the header "${name}" contains "${outside[0]}", which an HTTP header cannot carry (only Latin-1 text); encode it, for example with encodeURIComponent.`);
      }
      if (!dropped.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
    }
  }
  if (input.body !== undefined && input.body !== null && typeof input.body !== 'string') {
    throw new RunnerError(400, 'bad_request', '"body" must be text (send JSON as a string).');
  }
  const body = typeof input.body === 'string' ? input.body : undefined;
  if (body !== undefined && Buffer.byteLength(body) > maxBodyBytes) throw new RunnerError(413, 'body_too_large', 'The request body may be at most 1 MB.');
  return { method, path, headers, body };
}

export function proxy(port: number, request: ProxyRequest, timeoutMs = 30_000): Promise<ProxyResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const headers: Record<string, string> = { ...request.headers, host: `127.0.0.1:${port}` };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    let req: http.ClientRequest;
    try {
      req = http.request({ host: '127.0.0.1', port, method: request.method, path: request.path, headers, agent: false, timeout: timeoutMs });
    } catch (error) {
      // Whatever checkProxyRequest let through that node:http still refuses is the request's fault.
      reject(new RunnerError(400, 'bad_request', `The request cannot be sent as it is: ${(error as Error).message}.`));
      return;
    }
    req.on('timeout', () => req.destroy(new RunnerError(504, 'stage_timeout', `The stage did not answer ${request.method} ${request.path} within ${timeoutMs / 1000} s.`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof RunnerError) reject(error);
      else reject(new RunnerError(502, 'stage_unreachable', `The stage could not be reached on its port (${error.code ?? error.message}); it may have stopped. The output says why.`));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxResponseBytes) {
          reject(new RunnerError(502, 'response_too_large', 'The stage answered with more than 5 MB; the runner does not pass that on.'));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const ms = Math.round((performance.now() - started) * 10) / 10;
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks).toString('utf8'), ms });
      });
      res.on('error', (error) => reject(error instanceof RunnerError ? error : new RunnerError(502, 'stage_unreachable', `The stage's answer broke off: ${error.message}.`)));
    });
    req.end(request.body);
  });
}
