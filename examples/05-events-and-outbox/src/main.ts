// Starts the shop: checks that the modules keep to their boundaries, opens the database on
// disk, builds the app (src/app.ts wires the modules), starts the outbox relay and serves
// the shop over HTTP.
//
// Run it with `npm start` (or `node src/main.ts`), then try `curl localhost:3000/products`.

import { fileURLToPath } from 'node:url';
import { openDatabase } from './adapters/database.ts';
import { createHttpServer } from './adapters/http.ts';
import { checkSchemaBoundaries, migrate } from './adapters/migrations.ts';
import { createApp } from './app.ts';
import { checkModuleBoundaries } from './boundaries.ts';
import { SEED_PRODUCTS } from './seed.ts';

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
// Postgres first: open it, bring its schemas up to date, and refuse to start if a
// migration broke the rule that modules do not reach into each other's schemas. The data
// lives in .data/ beside src/ (or wherever DATA_DIR says), so it outlives the process.
const dataDir = process.env.DATA_DIR || fileURLToPath(new URL('../.data/', import.meta.url));
const opening = performance.now();
const { db, from } = await openDatabase(dataDir);
const applied = await migrate(db, new URL('../migrations/', import.meta.url));
const problems = await checkSchemaBoundaries(db);
if (problems.length > 0) {
  console.error('shop could not start: the migrations break the schema boundaries');
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
const how = { disk: 'opened from disk', cache: 'made from the cache', initdb: 'initialised' }[from];
console.log(
  `database opened in ${Math.round(performance.now() - opening)} ms (PGlite ${how}, data in ${dataDir}; ` +
    `migrations applied: ${applied.join(', ') || 'none'})`,
);
// #endregion database

const app = createApp(db);
// The catalogue opens with the seed products (the first time only: the data is kept now).
if ((await app.inventory.listProducts()).length === 0) {
  for (const product of SEED_PRODUCTS) await app.inventory.addProduct(product);
}
// Every module has subscribed: the relay can start, and first delivers whatever an earlier
// run committed but never got to publish.
app.orders.relay.start();

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
  console.log(`shop ready on http://127.0.0.1:${actualPort}`);
});

// Stop promptly: whoever started us (a terminal, a test, a supervisor) is waiting. The
// relay finishes its round and the database is closed cleanly before leaving.
const stop = () => {
  server.close();
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 3000).unref();
  app.orders.relay
    .stop()
    .then(() => db.close())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// #endregion start
