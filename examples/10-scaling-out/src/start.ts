// `npm start`: the whole stage under one supervisor (src/supervisor.ts). Since stage 10 the
// public port is a load balancer's, and two kinds of process run as several copies:
//
//   balancer       round robin over the shop's replicas                 PORT     (public)
//   payments       the payments service, with its own schema            PORT+100 (internal)
//   database       PGlite served over the Postgres wire protocol        PORT+200 (internal)
//   broker         aedes, an MQTT broker                                PORT+300 (internal)
//   inventory      the catalogue and the stock                          PORT+400 (internal)
//   notifications  records notifications and enqueues their jobs       PORT+500 (internal)
//   orchestrator   runs every order's saga; publishes the orders outbox PORT+600 (internal)
//   shop-1..N      orders, and the public API (SHOP_REPLICAS, 2)        PORT+1000, +1100 ...
//   worker-1..N    send the notifications from the job queue (WORKERS, 3) PORT+2000, +2100 ...
//
// SHOP_PROFILE=small starts one shop and one worker unless SHOP_REPLICAS or WORKERS say more:
// fewer processes and less memory, for a small device where the site's in-browser runtime runs
// them all in one tab.
//
// The internal ports are worked out from PORT, so two stages can run side by side (the
// workbench gives neighbouring slots neighbouring ports, hence the steps of 100).
// BROKER_URL points the services at another MQTT broker; the local aedes starts anyway.

import { fileURLToPath } from 'node:url';
import { supervise } from './supervisor.ts';
import type { Service } from './supervisor.ts';
import { profileCount, replicaCount, replicasEnv, replicated } from './replicas.ts';

// #region services
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535 - 2900) {
  console.error(`PORT must be a port number from 1 to ${65535 - 2900}, got ${process.env.PORT}`);
  process.exit(1);
}
const ports = { balancer: port, payments: port + 100, database: port + 200, broker: port + 300, inventory: port + 400, notifications: port + 500, orchestrator: port + 600 };
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
const orchestrator: Service = {
  name: 'orchestrator',
  script: script('./orchestrator-main.ts'),
  env: { PORT: String(ports.orchestrator), ...uses, PAYMENTS_URL: http('payments'), INVENTORY_URL: http('inventory') },
  health: { http: `${http('orchestrator')}/health` },
};


// #region scaled-services
// The copies: one Service per replica, each started, health-checked and restarted by the
// supervisor on its own, like any other service (src/replicas.ts names them and picks ports).
let shops: Service[];
let workers: Service[];
try {
  workers = replicated({ name: 'worker', count: replicaCount(process.env.WORKERS, profileCount(process.env.SHOP_PROFILE, 3)), firstPort: port + 2000 }, (p, name) => ({
    script: script('./worker-main.ts'),
    env: { PORT: String(p), WORKER_ID: name, DATABASE_PORT: String(ports.database) },
    health: { http: `http://127.0.0.1:${p}/health` },
  }));
  shops = replicated({ name: 'shop', count: replicaCount(process.env.SHOP_REPLICAS, profileCount(process.env.SHOP_PROFILE, 2)), firstPort: port + 1000 }, (p) => ({
    script: script('./main.ts'),
    env: {
      PORT: String(p),
      DATABASE_PORT: String(ports.database),
      PAYMENTS_URL: http('payments'),
      INVENTORY_URL: http('inventory'),
      NOTIFICATIONS_URL: http('notifications'),
      ORCHESTRATOR_URL: http('orchestrator'),
      WORKER_URLS: replicasEnv(workers),
    },
    health: { http: `http://127.0.0.1:${p}/health` },
  }));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
// One public address in front of the shop's copies.
const balancer: Service = {
  name: 'balancer',
  script: script('./balancer-main.ts'),
  env: { PORT: String(ports.balancer), REPLICAS: replicasEnv(shops) },
  health: { http: `http://127.0.0.1:${ports.balancer}/health` },
};
// #endregion scaled-services

// The database and the broker first; then the services with shop-1 alone (it brings the
// orders schema up to date, which the other copies and the orchestrator would race it to
// do); then the rest: the workers after notifications (it owns their table), and the
// balancer, which takes each replica into the rotation once it answers its health check.
const all = [database, broker, payments, inventory, notifications, orchestrator, ...shops, ...workers, balancer];
await supervise([[database, broker], [payments, inventory, notifications, shops[0]!], [orchestrator, ...shops.slice(1), ...workers, balancer]], () => {
  console.log(
    `shop ready on http://127.0.0.1:${ports.balancer} (${all.length} processes: ` +
      all.map((s) => `${s.name} :${s.env.PORT}`).join(', ') +
      ')',
  );
});
// #endregion services
