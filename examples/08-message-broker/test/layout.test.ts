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
  it('no file under src/modules/ or src/shared/ imports from src/adapters/; only src/app.ts and the processes\' main files pick concrete adapters', () => {
    const offenders: string[] = [];
    for (const file of tsFiles(src)) {
      const name = rel(file);
      if (name === 'app.ts' || name.endsWith('main.ts') || name.startsWith('adapters/')) continue;
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
      'src/supervisor.ts': ['restart-policy', 'supervise', 'exit-with-supervisor'],
      'src/start.ts': ['services'],
      'src/database-main.ts': ['database-server'],
      'src/broker-main.ts': ['broker'],
      'src/inventory-main.ts': ['inventory-service'],
      'src/notifications-main.ts': ['notifications-service'],
      'src/payments-main.ts': ['payments-service'],
      'src/shared/ports.ts': ['database-type'],
      'src/adapters/database.ts': ['open-database', 'connect-database', 'read-in-transaction'],
      'src/adapters/mqtt.ts': ['connect', 'publisher', 'consumer'],
      'src/adapters/http-payments.ts': ['http-payments'],
      'src/adapters/service-client.ts': ['service-client'],
      'src/adapters/http-services.ts': ['http-catalogue'],
      'src/adapters/http.ts': ['post-orders', 'ops-routes', 'ops-validation', 'server'],
      'src/shared/events.ts': ['events', 'ports'],
      'src/shared/outbox.ts': ['outbox-write', 'inbox'],
      'src/shared/relay.ts': ['relay', 'replay', 'hold-back'],
      'src/shared/event-versions.ts': ['versions', 'publish-versions'],
      'src/modules/inventory/index.ts': ['inventory-index', 'inventory-handlers'],
      'src/modules/inventory/products.ts': ['reserve-for-order', 'release-for-order'],
      'src/modules/notifications/index.ts': ['notifications-index', 'idempotent-consumer', 'read-both-versions'],
      'src/modules/orders/orders.ts': ['order-steps'],
      'src/modules/orders/service.ts': ['experiment-imports', 'deps', 'place-order', 'on-stock-reserved', 'on-stock-rejected', 'on-stock-released', 'cancel-order'],
      'src/app.ts': ['wiring', 'ops'],
      'src/main.ts': ['boundary-check', 'database', 'start'],
      'migrations/shop/008-orders-broker.sql': ['orders-broker-schema'],
      'migrations/inventory/009-inventory-events.sql': ['inventory-events-schema'],
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
