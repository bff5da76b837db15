// Keeps openapi.json in step with the contract: every endpoint and every error code is
// described, and every reference in it points at something.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

type Doc = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

const text = readFileSync(new URL('../openapi.json', import.meta.url), 'utf8');
const doc = JSON.parse(text) as Doc;

// Follows a local "#/a/b" reference inside the document.
function resolve(ref: string): unknown {
  let node: unknown = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) {
    node = (node as Record<string, unknown> | undefined)?.[part];
  }
  return node;
}

describe('openapi.json', () => {
  it('is OpenAPI 3.1', () => {
    assert.match(doc.openapi, /^3\.1\./);
  });

  it('describes every endpoint of the contract with its success and error statuses', () => {
    const expected: [string, string, string[]][] = [
      ['/health', 'get', ['200']],
      ['/products', 'get', ['200']],
      ['/products', 'post', ['201', '400', '409', '413']],
      ['/orders', 'post', ['200', '201', '202', '400', '413', '422']],
      ['/orders', 'get', ['200', '400']],
      ['/orders/{id}', 'get', ['200', '404']],
      ['/orders/{id}/cancel', 'post', ['200', '202', '404', '409']],
      ['/payments', 'get', ['200']],
      ['/notifications', 'get', ['200']],
    ];
    // what a gateway (11, 12), a load balancer (10 to 12) or a service behind HTTP (7 on) answers
    const infrastructure = ['429', '502', '503', '504'];
    for (const [path, method, statuses] of expected) {
      const operation = doc.paths[path]?.[method];
      assert.ok(operation, `${method.toUpperCase()} ${path} is missing`);
      for (const status of path === '/health' ? statuses : [...statuses, ...infrastructure]) {
        assert.ok(operation.responses[status], `${method.toUpperCase()} ${path} does not describe ${status}`);
      }
    }
  });

  it('names every error code and the Idempotency-Key header', () => {
    const codes = ['not_found', 'invalid_json', 'invalid_request', 'payload_too_large', 'sku_exists', 'unknown_sku', 'not_cancellable', 'idempotency_key_reused', 'internal', 'rate_limited', 'bad_gateway', 'service_unavailable', 'gateway_timeout'];
    for (const code of codes) assert.ok(text.includes(`"code": "${code}"`), `no example of error code ${code}`);
    assert.ok(text.includes('"name": "Idempotency-Key"'));
  });

  it('has no dangling $ref', () => {
    const refs = [...text.matchAll(/"\$ref": "([^"]+)"/g)].map((m) => m[1] ?? '');
    assert.ok(refs.length > 10);
    for (const ref of refs) assert.ok(resolve(ref), `${ref} points at nothing`);
  });
});
