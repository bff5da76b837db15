// `npm start`: the whole stage, seven processes under one supervisor (src/supervisor.ts);
// five when DATABASE_URL and BROKER_URL name a real PostgreSQL and a real MQTT broker.
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
//
// Stage 12: all configuration comes from the environment. DATABASE_URL (postgres://...) puts
// every service on that PostgreSQL, and the database process is not started; BROKER_URL
// (mqtt://...) does the same for the broker. HOST is where the services listen (127.0.0.1).

import { fileURLToPath } from 'node:url';
import { redacted } from './adapters/redact.ts';
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
// #region external
const external = { database: process.env.DATABASE_URL, broker: process.env.BROKER_URL };
const databaseUrl = external.database || `postgres://postgres@127.0.0.1:${ports.database}/postgres`;
const brokerUrl = external.broker || `mqtt://127.0.0.1:${ports.broker}`;
// #endregion external
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const uses = { DATABASE_URL: databaseUrl, BROKER_URL: brokerUrl };
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
  env: { PORT: String(ports.payments), DATABASE_URL: databaseUrl },
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
  env: { PORT: String(ports.orchestrator), DATABASE_URL: databaseUrl, PAYMENTS_URL: http('payments'), INVENTORY_URL: http('inventory') },
  health: { http: `${http('orchestrator')}/health` },
};

// The database and the broker first (unless they are elsewhere); then the four services side
// by side; then the orchestrator, once the shop has brought the orders schema up to date.
// #region waves
const infrastructure = [...(external.database ? [] : [database]), ...(external.broker ? [] : [broker])];
const waves = [infrastructure, [payments, inventory, notifications, shop], [orchestrator]].filter((wave) => wave.length > 0);
// #endregion waves
const processes = waves.flat().map((service) => `${service.name} :${ports[service.name as keyof typeof ports]}`);
const elsewhere = [
  ...(external.database ? [`database ${redacted(databaseUrl)}`] : []),
  ...(external.broker ? [`broker ${redacted(brokerUrl)}`] : []),
];
await supervise(waves, () => {
  console.log(
    `shop ready on http://127.0.0.1:${ports.shop} (${processes.length} processes: ${processes.join(', ')})` +
      (elsewhere.length > 0 ? `; using ${elsewhere.join(' and ')}` : ''),
  );
});
// #endregion services
