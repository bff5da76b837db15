// Requests to a running stage. The host page cannot fetch a preview URL, so requests run
// inside the container: `node runtime/request.mjs PORT REQUEST_JSON OUT_FILE` fetches
// 127.0.0.1:PORT and writes one JSON document to OUT_FILE (./node-json.ts reads it).
// Why not the preview iframe (setPreviewScript + postMessage)? The shop answers JSON only:
// WebContainer injects preview scripts into HTML responses, so there is no page to carry the
// script, and a hidden iframe per slot would need its own handshake. A process costs one node
// start per request but needs nothing from the shop.
import { RuntimeError, type ShopRequest, type ShopResponse } from '../port.ts';
import type { WebContainerLike } from './api.ts';
import { nodeJson } from './node-json.ts';
import type { BootState } from './state.ts';

export const REQUEST_HELPER_PATH = 'runtime/request.mjs';

export const REQUEST_HELPER = `// Written by the site's WebContainer adapter: one request to the running stage.
import { writeFileSync } from 'node:fs';
const [port, json, out] = process.argv.slice(2);
const request = JSON.parse(json);
let result;
const started = performance.now();
try {
  const response = await fetch('http://127.0.0.1:' + port + request.path, {
    method: request.method,
    headers: request.headers ?? {},
    body: request.body === undefined || request.method === 'GET' ? undefined : request.body,
    signal: AbortSignal.timeout(15000),
  });
  const body = await response.text();
  result = { status: response.status, headers: Object.fromEntries(response.headers), body, ms: performance.now() - started };
} catch (error) {
  result = { error: String(error && error.cause ? error.cause.message || error.cause : error && error.message) };
}
writeFileSync(out, JSON.stringify(result));
`;

/** Runs one request inside the container. */
export async function request(state: BootState, instance: WebContainerLike, port: number, req: ShopRequest): Promise<ShopResponse> {
  if (!req.path.startsWith('/')) throw new RuntimeError(`The request path must start with "/" (got "${req.path}").`, 'Write the path as on the shop’s API, e.g. /products.');
  const result = await nodeJson<ShopResponse | { error: string }>(state, instance, REQUEST_HELPER_PATH, [String(port), JSON.stringify(req)], 20_000, 'request helper');
  if ('error' in result) throw new RuntimeError(`The shop did not answer on port ${port}: ${result.error}`, 'Check the Output: the stage may have stopped or crashed. Run it again.');
  return result;
}
