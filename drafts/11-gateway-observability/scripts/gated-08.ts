// A rehearsal of stage 11's src/start.ts on stage 08: its six processes as they are, the shop
// moved to an internal port, and the span collector and the gateway in front, on PORT.
// test/contract-gated.check.ts runs the shared contract suite against it: whatever a client
// sees through the gateway must be what it saw from the shop.
//
//   PORT=3000 node drafts/11-gateway-observability/scripts/gated-08.ts
//
//   gateway        the public entry                                     PORT
//   payments       PORT+100   database PORT+200   broker PORT+300
//   inventory      PORT+400   notifications PORT+500
//   shop           PORT+600 (in stage 11: the load balancer of stage 10, in front of the replicas)
//   collector      PORT+700   the span collector

import { fileURLToPath } from 'node:url';
import { supervise } from '../src/supervisor.ts';
import type { Service } from '../src/supervisor.ts';

const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535 - 700) {
  console.error(`PORT must be a port number from 1 to 64835, got ${process.env.PORT}`);
  process.exit(1);
}
const ports = { gateway: port, payments: port + 100, database: port + 200, broker: port + 300, inventory: port + 400, notifications: port + 500, shop: port + 600, collector: port + 700 };
const stage08 = (name: string) => fileURLToPath(new URL(`../../../examples/08-message-broker/src/${name}`, import.meta.url));
const own = (name: string) => fileURLToPath(new URL(`../src/${name}`, import.meta.url));
const dataDir = process.env.DATA_DIR || fileURLToPath(new URL('../.data/', import.meta.url));
const brokerUrl = `mqtt://127.0.0.1:${ports.broker}`;
const uses = { DATABASE_PORT: String(ports.database), BROKER_URL: brokerUrl };
const http = (name: keyof typeof ports) => `http://127.0.0.1:${ports[name]}`;
const health = (name: keyof typeof ports) => ({ http: `${http(name)}/health` });

const database: Service = { name: 'database', script: stage08('database-main.ts'), env: { PORT: String(ports.database), DATA_DIR: dataDir }, health: { tcp: ports.database } };
const broker: Service = { name: 'broker', script: stage08('broker-main.ts'), env: { PORT: String(ports.broker) }, health: { tcp: ports.broker } };
const collector: Service = { name: 'collector', script: own('collector-main.ts'), env: { PORT: String(ports.collector) }, health: health('collector') };
const payments: Service = { name: 'payments', script: stage08('payments-main.ts'), env: { PORT: String(ports.payments), DATABASE_PORT: String(ports.database) }, health: health('payments') };
const inventory: Service = { name: 'inventory', script: stage08('inventory-main.ts'), env: { PORT: String(ports.inventory), ...uses }, health: health('inventory') };
const notifications: Service = { name: 'notifications', script: stage08('notifications-main.ts'), env: { PORT: String(ports.notifications), ...uses }, health: health('notifications') };
const shop: Service = {
  name: 'shop',
  script: stage08('main.ts'),
  env: { PORT: String(ports.shop), ...uses, PAYMENTS_URL: http('payments'), INVENTORY_URL: http('inventory'), NOTIFICATIONS_URL: http('notifications') },
  health: health('shop'),
};
const gateway: Service = {
  name: 'gateway',
  script: own('gateway-main.ts'),
  env: { PORT: String(ports.gateway), SHOP_URL: http('shop'), PAYMENTS_URL: http('payments'), COLLECTOR_URL: http('collector') },
  health: health('gateway'),
};

// The gateway last: its /health is the shop's, so it is healthy once the stage is.
await supervise([[database, broker, collector], [payments, inventory, notifications, shop], [gateway]], () => {
  console.log(`shop ready on http://127.0.0.1:${ports.gateway} (8 processes: the gateway in front, the shop on :${ports.shop}, the collector on :${ports.collector})`);
});
