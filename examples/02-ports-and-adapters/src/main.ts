// The one place that picks concrete adapters and plugs them into the domain's ports. Every
// other file depends on interfaces; only this one says "in memory", "on the console",
// "the fake card processor". To run the shop on something else, change it here.
//
// Run it with `npm start` (or `node src/main.ts`), then try `curl localhost:3000/products`.

import { FakeCardProcessor } from './adapters/card-processor.ts';
import { SequentialIds, systemClock } from './adapters/clock-and-ids.ts';
import { createHttpServer } from './adapters/http.ts';
import { InMemoryNotifications, InMemoryOrders, InMemoryPayments, InMemoryProducts } from './adapters/memory.ts';
import { ConsoleNotifier, InMemoryNotifier } from './adapters/notifiers.ts';
import type { Shop } from './domain/ports.ts';
import { SEED_PRODUCTS } from './seed.ts';

// #region wiring
const shop: Shop = {
  products: new InMemoryProducts(SEED_PRODUCTS),
  orders: new InMemoryOrders(),
  payments: new InMemoryPayments(),
  notifications: new InMemoryNotifications(),
  cards: new FakeCardProcessor(),
  // #region experiment-notifier
  notifier: new ConsoleNotifier(), // try: new InMemoryNotifier()
  // #endregion experiment-notifier
  clock: systemClock,
  ids: new SequentialIds(),
};
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
// Everything is in memory, so there is nothing to flush before leaving.
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// #endregion start
