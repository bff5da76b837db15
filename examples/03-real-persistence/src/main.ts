// The one place that picks concrete adapters and plugs them into the domain's ports. Every
// other file depends on interfaces; only this one says "Postgres", "on the console",
// "the fake card processor". To run the shop on something else, change it here.
//
// Run it with `npm start` (or `node src/main.ts`), then try `curl localhost:3000/products`.

import { FakeCardProcessor } from './adapters/card-processor.ts';
import { SequentialIds, systemClock } from './adapters/clock-and-ids.ts';
import { openDatabase } from './adapters/database.ts';
import { createHttpServer } from './adapters/http.ts';
import { checkSchemaBoundaries, migrate } from './adapters/migrations.ts';
import { ConsoleNotifier, InMemoryNotifier } from './adapters/notifiers.ts';
import { PostgresNotifications, PostgresOrders, PostgresPayments, PostgresProducts } from './adapters/postgres.ts';
import type { Shop } from './domain/ports.ts';
import { SEED_PRODUCTS } from './seed.ts';

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

// #region wiring
const shop: Shop = {
  products: new PostgresProducts(db),
  orders: new PostgresOrders(db),
  payments: new PostgresPayments(db),
  notifications: new PostgresNotifications(db),
  cards: new FakeCardProcessor(),
  // #region experiment-notifier
  notifier: new ConsoleNotifier(), // try: new InMemoryNotifier()
  // #endregion experiment-notifier
  clock: systemClock,
  ids: new SequentialIds(),
};
// The catalogue opens with the seed products (add skips a sku that is already there).
for (const product of SEED_PRODUCTS) await shop.products.add(product);
// #endregion wiring

// #region start
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got ${process.env.PORT}`);
  process.exit(1);
}
const server = createHttpServer(shop);
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
