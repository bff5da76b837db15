// Starts the shop: opens the database, checks that the modules keep to their boundaries,
// builds the app (src/app.ts wires the modules) and serves it over HTTP.
//
// Run it with `npm start` (or `node src/main.ts`), then try `curl localhost:3000/products`.

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
// migration broke the rule that modules do not reach into each other's schemas.
const opening = performance.now();
const { db, from } = await openDatabase();
const applied = await migrate(db, new URL('../migrations/', import.meta.url));
const problems = await checkSchemaBoundaries(db);
if (problems.length > 0) {
  console.error('shop could not start: the migrations break the schema boundaries');
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(
  `database opened in ${Math.round(performance.now() - opening)} ms (PGlite ${from === 'cache' ? 'loaded from the cache' : 'initialised'}; ` +
    `migrations applied: ${applied.join(', ') || 'none'})`,
);
// #endregion database

const app = createApp(db);
// The catalogue opens with the seed products.
if ((await app.inventory.listProducts()).length === 0) {
  for (const product of SEED_PRODUCTS) await app.inventory.addProduct(product);
}

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

// Stop promptly: whoever started us (a terminal, a test, a supervisor) is waiting.
// The database lives in memory too, so there is nothing to flush before leaving.
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// #endregion start
