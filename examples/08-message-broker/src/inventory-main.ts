// The inventory service: the inventory module in a process of its own (new in stage 8). It
// owns the inventory schema, serves the catalogue over HTTP on PORT (the shop forwards
// /products here and prices orders from it), and hears about orders through the broker:
// its consumer reserves and releases stock, its relay publishes the answers.

import { RandomIds, systemClock } from './adapters/clock-and-ids.ts';
import { consumerRoute, HttpError, jsonServer, readJson, requestUrl } from './adapters/http.ts';
import { MqttConsumer, MqttPublisher, REPLAY_WINDOW_S } from './adapters/mqtt.ts';
import { createInventory, validateNewProduct } from './modules/inventory/index.ts';
import { SEED_PRODUCTS } from './seed.ts';
import { listen, openServiceDatabase, requireEnv, stopOnSignal } from './adapters/process.ts';
import { OutboxRelay } from './shared/relay.ts';
import { exitWithSupervisor } from './supervisor.ts';

// first, before anything that waits (src/supervisor.ts says why)
exitWithSupervisor();

// #region inventory-service
const env = requireEnv('inventory-main.ts', ['PORT', 'DATABASE_PORT', 'BROKER_URL']);
const { db, applied } = await openServiceDatabase('inventory', Number(env.DATABASE_PORT), new URL('../migrations/inventory/', import.meta.url));
const inventory = createInventory({ db, ids: new RandomIds(), clock: systemClock });
// The catalogue opens with the seed products (the first time only: the data is kept).
if ((await inventory.listProducts()).length === 0) {
  for (const product of SEED_PRODUCTS) await inventory.addProduct(product);
}

let relay: OutboxRelay | undefined;
const publisher = new MqttPublisher({
  url: env.BROKER_URL,
  name: 'inventory',
  onReplay: (why) => void relay?.replay(REPLAY_WINDOW_S).then((n) => n > 0 && console.log(`relay: publishing the last ${n} events again (${why})`), () => {}),
});
relay = new OutboxRelay(inventory.outbox, publisher);
// Its answers go out as soon as the handler's transaction has committed.
const consumer = new MqttConsumer({ url: env.BROKER_URL, name: 'inventory', handlers: inventory.handlers, onHandled: () => relay?.wake() });
relay.start();
consumer.start();
// #endregion inventory-service

const server = jsonServer(async (req) => {
  const url = requestUrl(req);
  const method = req.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/health') return { status: 200, body: { status: 'ok' } };
  if (method === 'GET' && url.pathname === '/products') {
    const sku = url.searchParams.get('sku');
    if (sku === null) return { status: 200, body: await inventory.listProducts() };
    const product = await inventory.findProduct(sku);
    return { status: 200, body: product ? [product] : [] };
  }
  if (method === 'POST' && url.pathname === '/products') {
    return { status: 201, body: await inventory.addProduct(validateNewProduct(await readJson(req))) };
  }
  const ops = await consumerRoute(consumer, req, method, url.pathname);
  if (ops) return ops;
  throw new HttpError(404, 'not_found', `no route for ${method} ${url.pathname}`);
});
listen('inventory', server, Number(env.PORT), `inventory service listening on http://127.0.0.1:${env.PORT} (migrations applied: ${applied.join(', ') || 'none'})`);
stopOnSignal(server, () => (relay as OutboxRelay).stop().then(() => Promise.all([consumer.stop(), publisher.close()])).then(() => db.close()));
