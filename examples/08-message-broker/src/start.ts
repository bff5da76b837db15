// `npm start`: the whole stage, six processes under one supervisor (src/supervisor.ts).
//
//   database       PGlite served over the Postgres wire protocol        PORT+200 (internal)
//   broker         aedes, an MQTT broker                                PORT+300 (internal)
//   payments       the payments service, with its own schema            PORT+100 (internal)
//   inventory      the catalogue and the stock; consumes order events   PORT+400 (internal)
//   notifications  tells customers; consumes order events               PORT+500 (internal)
//   shop           orders, and the public API                           PORT     (public)
//
// The internal ports are worked out from PORT, so two stages can run side by side (the
// workbench gives neighbouring slots neighbouring ports, hence the steps of 100).
// BROKER_URL points the services at another MQTT broker; the local aedes starts anyway.

import { fileURLToPath } from 'node:url';
import { supervise } from './supervisor.ts';
import type { Service } from './supervisor.ts';

// #region services
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535 - 500) {
  console.error(`PORT must be a port number from 1 to 65035, got ${process.env.PORT}`);
  process.exit(1);
}
const ports = { shop: port, payments: port + 100, database: port + 200, broker: port + 300, inventory: port + 400, notifications: port + 500 };
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
  env: { PORT: String(ports.shop), ...uses, PAYMENTS_URL: http('payments'), INVENTORY_URL: http('inventory'), NOTIFICATIONS_URL: http('notifications') },
  health: { http: `${http('shop')}/health` },
};

// The database and the broker first; then the four services side by side.
await supervise([[database, broker], [payments, inventory, notifications, shop]], () => {
  console.log(
    `shop ready on http://127.0.0.1:${ports.shop} (6 processes: database :${ports.database}, broker :${ports.broker}, ` +
      `payments :${ports.payments}, inventory :${ports.inventory}, notifications :${ports.notifications}, shop :${ports.shop})`,
  );
});
// #endregion services
