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
      // (start.ts wires the processes; since stage 12 it names the database it uses in its log line)
      if (name === 'app.ts' || name === 'start.ts' || name.endsWith('main.ts') || name.startsWith('adapters/')) continue;
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
      'src/start.ts': ['services', 'scaled-services', 'external', 'waves'],
      'src/adapters/process.ts': ['listen-host'],
      'src/replicas.ts': ['replicas'],
      'src/balancer-main.ts': ['balancer-main'],
      'src/adapters/load-balancer.ts': ['rotation', 'health-checks', 'forward'],
      'src/worker-main.ts': ['worker-main', 'crash', 'worker-ops', 'worker-stop'],
      'src/adapters/job-wake-up.ts': ['listen-for-jobs'],
      'src/shared/job-queue.ts': ['job-types', 'backoff', 'enqueue', 'claim', 'complete', 'fail', 'release', 'report'],
      'src/shared/job-worker.ts': ['handler-type', 'wake-up', 'worker-loop', 'graceful-stop'],
      'src/modules/notifications/jobs.ts': ['enqueue-notification', 'send-notification'],
      'migrations/notifications/012-notification-jobs.sql': ['jobs-table', 'sent-messages'],
      'src/database-main.ts': ['database-server'],
      'src/broker-main.ts': ['broker'],
      'src/inventory-main.ts': ['inventory-service', 'reservation-routes'],
      'src/orchestrator-main.ts': ['orchestrator', 'one-relay', 'orchestrator-ops'],
      'src/notifications-main.ts': ['notifications-service'],
      'src/payments-main.ts': ['payments-service'],
      'src/shared/ports.ts': ['database-type'],
      'src/adapters/database.ts': ['open-database', 'create-once', 'connect-database', 'read-in-transaction'],
      'src/adapters/migrations.ts': ['migrate'],
      'src/adapters/mqtt.ts': ['connect', 'publisher', 'replay-on-reconnect', 'consumer'],
      'src/adapters/http-payments.ts': ['http-payments'],
      'src/adapters/service-client.ts': ['service-client'],
      'src/adapters/http-services.ts': ['http-catalogue'],
      'src/adapters/http.ts': ['post-orders', 'ops-routes', 'saga-json', 'ops-validation', 'server'],
      'src/adapters/saga-services.ts': ['saga-clients'],
      'src/adapters/payments-api.ts': ['idempotent-charge', 'close-charge'],
      'src/shared/events.ts': ['events', 'ports'],
      'src/shared/outbox.ts': ['outbox-write', 'inbox'],
      'src/shared/relay.ts': ['relay', 'replay'],
      'src/modules/inventory/index.ts': ['inventory-index'],
      'src/modules/inventory/products.ts': ['reserve', 'release'],
      'src/modules/notifications/index.ts': ['notifications-index', 'jobs-exports', 'idempotent-consumer'],
      'src/modules/notifications/notifications.ts': ['inbox'],
      'src/modules/orders/orders.ts': ['settle'],
      'src/modules/orders/index.ts': ['orders-index', 'orders-relay', 'order-saga'],
      'src/modules/orders/saga/model.ts': ['saga-steps', 'saga-state', 'transitions'],
      'src/modules/orders/saga/ports.ts': ['saga-ports'],
      'src/modules/orders/saga/repository.ts': ['save-transition'],
      'src/modules/orders/saga/runner.ts': ['perform-step', 'drive-saga', 'pause', 'resume-on-start'],
      'src/modules/orders/service.ts': ['experiment-imports', 'deps', 'place-order', 'settle-order', 'cancel-order'],
      'src/app.ts': ['wiring', 'ops'],
      'src/main.ts': ['boundary-check', 'database', 'start'],
      'migrations/shop/008-orders-broker.sql': ['orders-broker-schema'],
      'migrations/inventory/009-inventory-events.sql': ['inventory-events-schema'],
      'migrations/inventory/011-reservation-keys.sql': ['reservation-keys-schema'],
      'migrations/shop/010-order-sagas.sql': ['sagas-schema'],
      'test/saga-runner.test.ts': ['crash-test'],
      // stage 11
      'src/start.ts#11': ['gateway-service'],
      'src/gateway-main.ts': ['gateway-main'],
      'src/adapters/gateway.ts': ['routes', 'forward', 'handle'],
      'src/adapters/ops-auth.ts': ['dev-token', 'verify'],
      'src/adapters/rate-limit.ts': ['token-bucket'],
      'src/observability/tracing.ts': ['span-json', 'exporter', 'setup', 'propagation', 'request-id'],
      'src/observability/event-tracing.ts': ['traced-publisher', 'traced-handlers'],
      'src/observability/instrument.ts': ['route-of', 'instrument'],
      'src/observability/logger.ts': ['logger'],
      'src/observability/metrics.ts': ['counter', 'histogram', 'buckets', 'registry'],
      'src/observability/health.ts': ['readiness'],
      'src/observability/collector.ts': ['store', 'collector-routes'],
      'src/observability/kit.ts': ['kit'],
      'src/observability/service-kit.ts': ['use-kit', 'observed', 'client-span'],
      'migrations/shop/013-trace-context.sql': ['trace-columns'],
      'migrations/notifications/013-job-trace.sql': ['job-trace'],
    };
    for (const [file, names] of Object.entries(expected)) {
      const text = readFileSync(join(stage, file.split('#')[0] ?? file), 'utf8');
      const opened = [...text.matchAll(/^\s*(?:\/\/|--) #region ([a-z0-9-]+)$/gm)].map((m) => m[1]);
      const closed = [...text.matchAll(/^\s*(?:\/\/|--) #endregion ([a-z0-9-]+)$/gm)].map((m) => m[1]);
      assert.deepEqual([...closed].sort(), [...opened].sort(), `${file}: every region is closed`);
      assert.equal(new Set(opened).size, opened.length, `${file}: region names are unique`);
      for (const name of names) assert.ok(opened.includes(name), `${file}: region ${name} is missing`);
    }
  });

});
