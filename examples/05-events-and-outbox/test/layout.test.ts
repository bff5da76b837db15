// The shape this stage teaches, checked: modules under src/modules/ (their boundaries are
// checked by src/boundaries.ts, see boundaries.test.ts), concrete adapters picked only in
// src/app.ts and src/main.ts. Also keeps the regions the chapters quote in place.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const stage = fileURLToPath(new URL('../', import.meta.url));
const src = join(stage, 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? tsFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

const rel = (file: string) => relative(src, file).split('\\').join('/');

describe('layout', () => {
  it('has the four modules, each with a public index.ts', () => {
    const modules = readdirSync(join(src, 'modules')).sort();
    assert.deepEqual(modules, ['inventory', 'notifications', 'orders', 'payments']);
    for (const name of modules) assert.ok(readdirSync(join(src, 'modules', name)).includes('index.ts'), `${name}/index.ts`);
  });

  // Chapter 2's rule, kept in every later stage: dependencies point inward. Modules and shared
  // code know ports (src/shared/ports.ts), never an adapter; only the wiring picks adapters.
  it('no file under src/modules/ or src/shared/ imports from src/adapters/; only src/app.ts and src/main.ts pick concrete adapters', () => {
    const offenders: string[] = [];
    for (const file of tsFiles(src)) {
      const name = rel(file);
      if (name === 'app.ts' || name === 'main.ts' || name.startsWith('adapters/')) continue;
      const text = readFileSync(file, 'utf8');
      for (const [, target] of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s*)['"](\.[^'"]+)['"]/gm)) {
        const imported = rel(join(dirname(file), target!));
        if (imported.startsWith('adapters/')) offenders.push(`src/${name} imports src/${imported}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('marks the regions the chapters quote, each opened and closed once', () => {
    const expected: Record<string, string[]> = {
      'src/shared/bus.ts': ['event-bus'],
      'src/modules/orders/events.ts': ['order-events'],
      'src/modules/orders/orders.ts': ['outbox-write'],
      'src/modules/orders/relay.ts': ['relay'],
      'src/modules/orders/service.ts': ['experiment-imports', 'deps', 'events', 'publish', 'place-order', 'cancel-order'],
      'src/modules/notifications/index.ts': ['notifications-index', 'idempotent-consumer'],
      'src/modules/notifications/notifications.ts': ['inbox'],
      'src/modules/orders/index.ts': ['orders-index'],
      'src/app.ts': ['experiment-switches', 'wiring', 'experiment-notifier'],
      'src/main.ts': ['boundary-check', 'database', 'start'],
      'src/boundaries.ts': ['boundary-rules', 'boundary-check'],
      'migrations/005-orders-outbox.sql': ['outbox-table'],
      'migrations/006-notifications-inbox.sql': ['inbox-table'],
    };
    for (const [file, names] of Object.entries(expected)) {
      const text = readFileSync(join(stage, file), 'utf8');
      const opened = [...text.matchAll(/^\s*(?:\/\/|--) #region ([a-z0-9-]+)$/gm)].map((m) => m[1]);
      const closed = [...text.matchAll(/^\s*(?:\/\/|--) #endregion ([a-z0-9-]+)$/gm)].map((m) => m[1]);
      assert.deepEqual([...closed].sort(), [...opened].sort(), `${file}: every region is closed`);
      assert.equal(new Set(opened).size, opened.length, `${file}: region names are unique`);
      for (const name of names) assert.ok(opened.includes(name), `${file}: region ${name} is missing`);
    }
  });
});
