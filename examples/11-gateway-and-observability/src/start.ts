// `npm start`: the whole stage, eight processes under one supervisor (src/supervisor.ts).
//
//   database       PGlite served over the Postgres wire protocol        PORT+200 (internal)
//   broker         aedes, an MQTT broker                                PORT+300 (internal)
//   payments       the payments service, with its own schema            PORT+100 (internal)
//   inventory      the catalogue and the stock; consumes order events   PORT+400 (internal)
//   notifications  tells customers; consumes order events               PORT+500 (internal)
//   shop           orders, and the shop's API                           PORT+800 (internal since stage 11)
//   orchestrator   runs every order's saga (new in stage 9)             PORT+600 (internal)
//   gateway        the one public entry (new in stage 11), and the      PORT     (public)
//                  span collector every service sends its spans to      PORT+700 (internal)
//
// The internal ports are worked out from PORT, so two stages can run side by side (the
// workbench gives neighbouring slots neighbouring ports, hence the steps of 100).
// BROKER_URL points the services at another MQTT broker; the local aedes starts anyway.

import { fileURLToPath } from 'node:url';
import { supervise } from './supervisor.ts';
import type { Service } from './supervisor.ts';

// #region services
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535 - 800) {
  console.error(`PORT must be a port number from 1 to 64735, got ${process.env.PORT}`);
  process.exit(1);
}
const ports = {
  gateway: port, payments: port + 100, database: port + 200, broker: port + 300, inventory: port + 400, notifications: port + 500,
  orchestrator: port + 600, collector: port + 700, shop: port + 800,
};
const dataDir = process.env.DATA_DIR || fileURLToPath(new URL('../.data/', import.meta.url));
const brokerUrl = process.env.BROKER_URL || `mqtt://127.0.0.1:${ports.broker}`;
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const http = (name: keyof typeof ports) => `http://127.0.0.1:${ports[name]}`;
// every service sends its finished spans to the collector (stage 11)
const uses = { DATABASE_PORT: String(ports.database), BROKER_URL: brokerUrl, COLLECTOR_URL: http('collector') };

const database: Service = {
  name: 'database',
  script: script('./database-main.ts'),
  env: { PORT: String(ports.database), DATA_DIR: dataDir },
  health: { tcp: ports.database },
};
const broker: Service = { name: 'broker', script: script('./broker-main.ts'), env: { PORT: String(ports.broker) }, health: { tcp: ports.broker } };
const payments: Service = {
  name: 'payments',
  script: script('./payments-main.ts'),
  env: { PORT: String(ports.payments), DATABASE_PORT: String(ports.database), COLLECTOR_URL: http('collector') },
  health: { http: `${http('payments')}/health` },
};
const inventory: Service = {
  name: 'inventory',
  script: script('./inventory-main.ts'),
  env: { PORT: String(ports.inventory), ...uses },
  health: { http: `${http('inventory')}/health` },
};
const notifications: Service = {
  name: 'notifications',
  script: script('./notifications-main.ts'),
  env: { PORT: String(ports.notifications), ...uses },
  health: { http: `${http('notifications')}/health` },
};
const shop: Service = {
  name: 'shop',
  script: script('./main.ts'),
  env: {
    PORT: String(ports.shop),
    ...uses,
    PAYMENTS_URL: http('payments'),
    INVENTORY_URL: http('inventory'),
    NOTIFICATIONS_URL: http('notifications'),
    ORCHESTRATOR_URL: http('orchestrator'),
  },
  health: { http: `${http('shop')}/health` },
};
const orchestrator: Service = {
  name: 'orchestrator',
  script: script('./orchestrator-main.ts'),
  env: { PORT: String(ports.orchestrator), ...uses, PAYMENTS_URL: http('payments'), INVENTORY_URL: http('inventory') },
  health: { http: `${http('orchestrator')}/health` },
};

// #region gateway-service
// Stage 11: the gateway takes the public PORT and hosts the span collector on its internal
// port (COLLECTOR_PORT: one Node process fewer than a collector of its own). It starts last:
// its health check is the shop's /health through it, healthy once the whole path is.
const gateway: Service = {
  name: 'gateway',
  script: script('./gateway-main.ts'),
  env: { PORT: String(ports.gateway), SHOP_URL: http('shop'), PAYMENTS_URL: http('payments'), COLLECTOR_PORT: String(ports.collector) },
  health: { http: `${http('gateway')}/health` },
};
// #endregion gateway-service

// The database and the broker first; then the four services side by side; then the
// orchestrator, once the shop has brought the orders schema up to date, and the gateway.
await supervise([[database, broker], [payments, inventory, notifications, shop], [orchestrator, gateway]], () => {
  console.log(
    `shop ready on http://127.0.0.1:${ports.gateway} (8 processes: gateway :${ports.gateway} with the span collector :${ports.collector}, ` +
      `database :${ports.database}, broker :${ports.broker}, payments :${ports.payments}, inventory :${ports.inventory}, ` +
      `notifications :${ports.notifications}, shop :${ports.shop}, orchestrator :${ports.orchestrator})`,
  );
});
// #endregion services
