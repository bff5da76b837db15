// The shape this stage teaches, checked: the domain imports nothing but itself, and only
// src/main.ts picks concrete adapters. Also keeps the regions the chapter quotes in place.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? tsFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

// Every module specifier a file imports or re-exports.
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1] ?? '');
}

const rel = (file: string) => relative(src, file).split('\\').join('/');

describe('layout', () => {
  it('the domain imports only other domain files: no node: modules, no packages, no adapters', () => {
    for (const file of tsFiles(join(src, 'domain'))) {
      for (const spec of importsOf(file)) {
        assert.match(spec, /^\.\/[\w-]+\.ts$/, `${rel(file)} imports ${spec}`);
      }
    }
  });

  it('only src/main.ts picks concrete adapters', () => {
    for (const file of tsFiles(src)) {
      if (rel(file) === 'main.ts' || rel(file).startsWith('adapters/')) continue;
      for (const spec of importsOf(file)) {
        assert.doesNotMatch(spec, /adapters\//, `${rel(file)} imports ${spec}`);
      }
    }
  });

  it('marks the regions the chapter quotes, each opened and closed once', () => {
    const expected: Record<string, string[]> = {
      'domain/ports.ts': ['ports'],
      'domain/model.ts': ['types', 'order-total', 'errors'],
      'domain/shop.ts': ['notifications', 'place-order', 'idempotency', 'cancel-order'],
      'adapters/memory.ts': ['reserve-in-memory'],
      'adapters/notifiers.ts': ['notifiers'],
      'adapters/http.ts': ['errors', 'routes'],
      'main.ts': ['wiring', 'experiment-notifier', 'start'],
    };
    for (const [file, names] of Object.entries(expected)) {
      const text = readFileSync(join(src, file), 'utf8');
      const opened = [...text.matchAll(/^\s*\/\/ #region ([a-z0-9-]+)$/gm)].map((m) => m[1]);
      const closed = [...text.matchAll(/^\s*\/\/ #endregion ([a-z0-9-]+)$/gm)].map((m) => m[1]);
      assert.deepEqual([...closed].sort(), [...opened].sort(), `${file}: every region is closed`);
      assert.equal(new Set(opened).size, opened.length, `${file}: region names are unique`);
      for (const name of names) assert.ok(opened.includes(name), `${file}: region ${name} is missing`);
    }
  });
});
