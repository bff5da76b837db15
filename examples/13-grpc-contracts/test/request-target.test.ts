// The stage's one reading of a request target and of a JSON body's depth (src/shared/
// request-target.ts): every process routes what it returns, so what it lets through decides
// which host and path a request can reach.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_JSON_DEPTH, nestedDeeperThan, parseTarget } from '../src/shared/request-target.ts';

const pathOf = (raw: string) => {
  const target = parseTarget(raw);
  return 'url' in target ? target.url.pathname + target.url.search : `invalid: ${target.invalid}`;
};

describe('parseTarget', () => {
  it('reads origin-form as it is, query and escapes included', () => {
    assert.equal(pathOf('/orders?customerId=c%20d&page=2'), '/orders?customerId=c%20d&page=2');
    assert.equal(pathOf('/orders/ord_%ED%A0%80'), '/orders/ord_%ED%A0%80');
    assert.equal(pathOf('/'), '/');
  });

  it('routes absolute-form by its path alone, whatever host it names', () => {
    for (const raw of ['http://evil.example:99999/health', 'HTTP://127.0.0.1:1/health', 'https://[::1/health', 'ws://u:p@host/health']) {
      assert.equal(pathOf(raw), '/health', raw);
    }
    assert.equal(pathOf('http://evil.example:99999'), '/');
    assert.equal(pathOf('http://evil.example?x=1'), '/?x=1');
  });

  it('refuses what could name another host or path: backslashes, empty and dot segments', () => {
    for (const raw of ['//evil.example:99999/', '//[::1/', '/\\127.0.0.1:1/x', '/orders/', '/orders//x', '/x/../orders', '/./health', '/%2e%2e/health', '/.%2E/x', 'http://h//x', 'http://h/a\\b']) {
      assert.match(pathOf(raw), /^invalid: /, raw);
    }
  });

  it('refuses targets that are no path: authority-form, asterisk, fragments, bytes outside visible ASCII', () => {
    for (const raw of ['127.0.0.1:80', '*', 'http:\\\\h/x', '/x#y', '/caf\u00e9', '/a b', '/x\u007f', '']) {
      assert.match(pathOf(raw), /^invalid: /, JSON.stringify(raw));
    }
  });
});

describe('nestedDeeperThan', () => {
  it(`counts arrays and objects, not brackets inside strings, against ${MAX_JSON_DEPTH}`, () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    assert.equal(nestedDeeperThan(nested(MAX_JSON_DEPTH)), false);
    assert.equal(nestedDeeperThan(nested(MAX_JSON_DEPTH + 1)), true);
    assert.equal(nestedDeeperThan(`${'{"a":'.repeat(100)}1${'}'.repeat(100)}`), true);
    assert.equal(nestedDeeperThan(JSON.stringify({ name: '['.repeat(1000), quote: '\\"[[[' })), false);
  });
});
