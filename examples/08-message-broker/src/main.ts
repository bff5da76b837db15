// The shop process: checks that the modules keep to their boundaries, connects to the
// database process, builds the app (src/app.ts: the orders module, the other services'
// HTTP clients, the broker's publisher and consumer), starts the outbox relay and the
// consumer, and serves the shop's public API over HTTP.
//
// `npm start` runs it under the supervisor (src/start.ts), beside the other services.

import { connectDatabase } from './adapters/database.ts';
import { createHttpServer } from './adapters/http.ts';
import { checkSchemaBoundaries, migrate } from './adapters/migrations.ts';
import { createApp } from './app.ts';
import { checkModuleBoundaries } from './boundaries.ts';
import { exitWithSupervisor } from './supervisor.ts';

// first, before anything that waits (src/supervisor.ts says why)
exitWithSupervisor();

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
// Postgres first: connect to the database process, bring the shop's schemas up to date
// (migrations/shop/: only the orders schema now; every service migrates its own), and
// refuse to start if a migration broke the rule that modules keep to their own schemas.
const databasePort = Number(process.env.DATABASE_PORT);
const { BROKER_URL, PAYMENTS_URL, INVENTORY_URL, NOTIFICATIONS_URL } = process.env;
if (!Number.isInteger(databasePort) || !BROKER_URL || !PAYMENTS_URL || !INVENTORY_URL || !NOTIFICATIONS_URL) {
  console.error('main.ts needs DATABASE_PORT, BROKER_URL, PAYMENTS_URL, INVENTORY_URL and NOTIFICATIONS_URL: start the stage with `npm start`');
  process.exit(1);
}
const opening = performance.now();
const db = connectDatabase({ port: databasePort, name: 'shop' });
const applied = await migrate(db, new URL('../migrations/shop/', import.meta.url));
const problems = await checkSchemaBoundaries(db);
if (problems.length > 0) {
  console.error('shop could not start: the migrations break the schema boundaries');
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(
  `database connected in ${Math.round(performance.now() - opening)} ms (127.0.0.1:${databasePort}; ` +
    `migrations applied: ${applied.join(', ') || 'none'})`,
);
// #endregion database

const app = createApp(db, { broker: BROKER_URL, payments: PAYMENTS_URL, inventory: INVENTORY_URL, notifications: NOTIFICATIONS_URL });
// The relay first publishes whatever an earlier run committed but never got to publish;
// the consumer picks up what the broker queued for the shop while it was away.
app.orders.relay.start();
app.consumer.start();

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
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  console.log(`shop listening on http://127.0.0.1:${actualPort}; broker ${BROKER_URL}`);
});

// Stop promptly: whoever started us (a terminal, a test, a supervisor) is waiting. The
// relay finishes its round, the broker's clients disconnect (the sessions stay) and the
// database is closed cleanly before leaving.
const stop = () => {
  server.close();
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 3000).unref();
  app.orders.relay
    .stop()
    .then(() => Promise.all([app.consumer.stop(), app.publisher.close()]))
    .then(() => db.close())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// #endregion start
