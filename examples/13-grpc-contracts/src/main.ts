// The shop process: checks that the modules keep to their boundaries, connects to the
// database process, builds the app (src/app.ts: the orders module and the other services'
// HTTP clients) and serves the shop's public API over HTTP. Since stage 9 the orchestrator
// (src/orchestrator-main.ts) runs the orders' sagas; since stage 10 it also publishes the
// orders' events, and the shop runs as several replicas (shop-1, shop-2 ...) behind the
// load balancer (src/balancer-main.ts): it keeps nothing in memory a request needs.
//
// `npm start` runs it under the supervisor (src/start.ts), beside the other services.

import { connectDatabase } from './adapters/database.ts';
import { redacted } from './adapters/redact.ts';
import { createHttpServer } from './adapters/http.ts';
import { checkSchemaBoundaries, migrate } from './adapters/migrations.ts';
import { listenHost } from './adapters/process.ts';
import { createApp } from './app.ts';
import { brokerAway, createConsumer } from './adapters/broker.ts';
import { createCache } from './adapters/cache.ts';
import { invalidationHandlers } from './adapters/cached-catalogue.ts';
import { checkModuleBoundaries } from './boundaries.ts';
import { parseNamedUrls } from './replicas.ts';
import { exitWithSupervisor } from './supervisor.ts';
import { degradedWhen, readyWhen, useKit } from './observability/service-kit.ts';
import { httpCheck } from './observability/health.ts';

// first, before anything that waits (src/supervisor.ts says why)
exitWithSupervisor();

const kit = useKit('shop'); // stage 11: JSON logs, spans and metrics (src/observability/service-kit.ts)

// #region boundary-check
// Before anything else: refuse to start if a module reaches into another module's
// internals or tables. The same check runs in `npm test`.
const violations = checkModuleBoundaries(new URL('.', import.meta.url));
if (violations.length > 0) {
  console.error('shop could not start: a module reaches past another module\'s public interface');
  for (const violation of violations) console.error(`  - ${violation}`);
  process.exit(1);
}
// #endregion boundary-check

// #region database
// Postgres first: connect to the database (DATABASE_URL), bring the shop's schemas up to date
// (migrations/shop/: only the orders schema now; every service migrates its own), and
// refuse to start if a migration broke the rule that modules keep to their own schemas.
const { DATABASE_URL, PAYMENTS_URL, INVENTORY_URL, NOTIFICATIONS_URL, ORCHESTRATOR_URL } = process.env;
const workers = parseNamedUrls(process.env.WORKER_URLS);
if (!DATABASE_URL || !PAYMENTS_URL || !INVENTORY_URL || !NOTIFICATIONS_URL || !ORCHESTRATOR_URL || !workers) {
  console.error('main.ts needs DATABASE_URL, PAYMENTS_URL, INVENTORY_URL, NOTIFICATIONS_URL, ORCHESTRATOR_URL and WORKER_URLS: start the stage with `npm start`');
  process.exit(1);
}
const opening = performance.now();
const db = connectDatabase({ url: DATABASE_URL, name: 'shop' });
const applied = await migrate(db, new URL('../migrations/shop/', import.meta.url));
const problems = await checkSchemaBoundaries(db);
if (problems.length > 0) {
  console.error('shop could not start: the migrations break the schema boundaries');
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(
  `database connected in ${Math.round(performance.now() - opening)} ms (${redacted(DATABASE_URL)}; ` +
    `migrations applied: ${applied.join(', ') || 'none'})`,
);
// #endregion database

readyWhen({
  database: () => db.query('SELECT 1'),
  inventory: httpCheck(`${INVENTORY_URL}/health`),
  payments: httpCheck(`${PAYMENTS_URL}/health`),
  notifications: httpCheck(`${NOTIFICATIONS_URL}/health`),
});
// #region catalogue-cache
// Stage 12: the catalogue's cache, in Redis when REDIS_URL is set (shared by the replicas),
// else in this process; and a consumer of the orders' final events (under this replica's
// name, so every replica hears every event) that deletes the entries of the products whose
// stock they moved. Without BROKER_URL nothing invalidates, and entries live CACHE_TTL_MS.
const replica = process.env.REPLICA_NAME || 'shop';
const cache = await createCache({ url: process.env.REDIS_URL, name: replica, log: (line) => console.log(line) });
const invalidation = process.env.BROKER_URL
  ? await createConsumer({ url: process.env.BROKER_URL, name: `${replica}-cache`, handlers: invalidationHandlers(cache), log: (line) => console.log(line) })
  : undefined;
invalidation?.start();
// Redis away is not a reason to take the replica out of the rotation: /ready stays 200 and
// says what is missing; the reads go to the inventory service meanwhile.
degradedWhen({
  cache: () => {
    const health = cache.health();
    return health.up ? undefined : `the ${health.kind} cache is away (${health.error ?? 'not connected'}): catalogue reads go to the inventory service uncached`;
  },
  // the broker away: orders are still taken (their events wait in the outbox), so still ready
  ...(invalidation ? { broker: brokerAway(invalidation) } : {}),
});
const reads = kit.metrics.counter('shop_cache_reads_total', 'Catalogue reads, by whether the cache had the answer', ['result']);
// #endregion catalogue-cache
const app = createApp(db, {
  payments: PAYMENTS_URL,
  inventory: INVENTORY_URL,
  notifications: NOTIFICATIONS_URL,
  orchestrator: ORCHESTRATOR_URL,
  workers: Object.fromEntries(workers.map((w) => [w.name, w.url])),
}, { cache, onRead: (result) => reads.inc({ result }) });

// #region start
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got ${process.env.PORT}`);
  process.exit(1);
}
const server = createHttpServer(app);
server.on('error', (error) => {
  console.error(`shop could not start: ${error.message}`);
  process.exit(1);
});
server.listen(port, listenHost(), () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  console.log(`shop listening on http://${listenHost()}:${actualPort} (pid ${process.pid})`);
});

// Stop promptly: whoever started us (a terminal, a test, a supervisor) is waiting. The
// requests in hand are cut off (the balancer retries what is safe to retry) and the
// database is closed cleanly before leaving.
const stop = () => {
  server.close();
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 3000).unref();
  void invalidation?.stop();
  void cache.close();
  db.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// #endregion start
