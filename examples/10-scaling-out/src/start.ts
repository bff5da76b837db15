// `npm start`: the whole stage, seven processes under one supervisor (src/supervisor.ts).
//
//   database       PGlite served over the Postgres wire protocol        PORT+200 (internal)
//   broker         aedes, an MQTT broker                                PORT+300 (internal)
//   payments       the payments service, with its own schema            PORT+100 (internal)
//   inventory      the catalogue and the stock; consumes order events   PORT+400 (internal)
//   notifications  tells customers; consumes order events               PORT+500 (internal)
//   shop           orders, and the public API                           PORT     (public)
//   orchestrator   runs every order's saga (new in stage 9)             PORT+600 (internal)
//
// The internal ports are worked out from PORT, so two stages can run side by side (the
// workbench gives neighbouring slots neighbouring ports, hence the steps of 100).
// BROKER_URL points the services at another MQTT broker; the local aedes starts anyway.

import { fileURLToPath } from 'node:url';
import { supervise } from './supervisor.ts';
import type { Service } from './supervisor.ts';

// #region services
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535 - 600) {
  console.error(`PORT must be a port number from 1 to 64935, got ${process.env.PORT}`);
  process.exit(1);
}
const ports = { shop: port, payments: port + 100, database: port + 200, broker: port + 300, inventory: port + 400, notifications: port + 500, orchestrator: port + 600 };
const dataDir = process.env.DATA_DIR || fileURLToPath(new URL('../.data/', import.meta.url));
const brokerUrl = process.env.BROKER_URL || `mqtt://127.0.0.1:${ports.broker}`;
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const uses = { DATABASE_PORT: String(ports.database), BROKER_URL: brokerUrl };
const http = (name: keyof typeof ports) => `http://127.0.0.1:${ports[name]}`;

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
  env: { PORT: String(ports.payments), DATABASE_PORT: String(ports.database) },
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
  env: { PORT: String(ports.orchestrator), DATABASE_PORT: String(ports.database), PAYMENTS_URL: http('payments'), INVENTORY_URL: http('inventory') },
  health: { http: `${http('orchestrator')}/health` },
};

// The database and the broker first; then the four services side by side; then the
// orchestrator, once the shop has brought the orders schema up to date.
await supervise([[database, broker], [payments, inventory, notifications, shop], [orchestrator]], () => {
  console.log(
    `shop ready on http://127.0.0.1:${ports.shop} (7 processes: database :${ports.database}, broker :${ports.broker}, ` +
      `payments :${ports.payments}, inventory :${ports.inventory}, notifications :${ports.notifications}, shop :${ports.shop}, ` +
      `orchestrator :${ports.orchestrator})`,
  );
});
// #endregion services
