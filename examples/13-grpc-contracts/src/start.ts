// `npm start`: the whole stage under one supervisor (src/supervisor.ts). Since stage 10 two
// kinds of process run as several copies behind a load balancer; since stage 11 the public
// port is the gateway's, in front of the balancer:
//
//   gateway        the one public entry, and the span collector         PORT     (public)
//                  every process sends its spans to                     PORT+700 (internal)
//   balancer       round robin over the shop's replicas                 PORT+800 (internal)
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
//
// Stage 12: all configuration comes from the environment. DATABASE_URL (postgres://...) puts
// every service on that PostgreSQL, and the database process is not started; BROKER_URL
// (mqtt://... for an MQTT broker, nats://... for NATS JetStream; src/adapters/broker.ts) does
// the same for the broker. HOST is where the services listen (127.0.0.1).

import { fileURLToPath } from 'node:url';
import { redacted } from './adapters/redact.ts';
import { databaseUrls, rolesNote } from './database-urls.ts';
import { supervise } from './supervisor.ts';
import type { Service } from './supervisor.ts';
import { profileCount, replicaCount, replicasEnv, replicated } from './replicas.ts';

// #region services
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535 - 2900) {
  console.error(`PORT must be a port number from 1 to ${65535 - 2900}, got ${process.env.PORT}`);
  process.exit(1);
}
const ports = {
  gateway: port, payments: port + 100, database: port + 200, broker: port + 300, inventory: port + 400, notifications: port + 500,
  orchestrator: port + 600, collector: port + 700, balancer: port + 800,
};
const dataDir = process.env.DATA_DIR || fileURLToPath(new URL('../.data/', import.meta.url));
// #region external
const external = { database: process.env.DATABASE_URL, broker: process.env.BROKER_URL };
const databaseUrl = external.database || `postgres://postgres@127.0.0.1:${ports.database}/postgres`;
const brokerUrl = external.broker || `mqtt://127.0.0.1:${ports.broker}`;
// #endregion external
// a role per service on a real PostgreSQL, when told one (src/database-urls.ts)
const roleUrls = databaseUrls(process.env, databaseUrl);
if ('error' in roleUrls) {
  console.error(roleUrls.error);
  process.exit(1);
}
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const http = (name: keyof typeof ports) => `http://127.0.0.1:${ports[name]}`;
// every process sends its finished spans to the collector (stage 11)
const traced = { COLLECTOR_URL: http('collector') };
const uses = { DATABASE_URL: databaseUrl, BROKER_URL: brokerUrl, ...traced };
// stage 12: Redis, when REDIS_URL names one, for the shop's catalogue cache (the inventory
// service deletes what it changes) and the gateway's shared rate limit
const redis: Record<string, string> = process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {};

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
  env: { PORT: String(ports.payments), DATABASE_URL: roleUrls.payments, ...traced },
  health: { http: `${http('payments')}/health` },
};
const inventory: Service = {
  name: 'inventory',
  script: script('./inventory-main.ts'),
  env: { PORT: String(ports.inventory), ...uses, DATABASE_URL: roleUrls.inventory, ...redis },
  health: { http: `${http('inventory')}/health` },
};
const notifications: Service = {
  name: 'notifications',
  script: script('./notifications-main.ts'),
  env: { PORT: String(ports.notifications), ...uses, DATABASE_URL: roleUrls.notifications },
  health: { http: `${http('notifications')}/health` },
};
const orchestrator: Service = {
  name: 'orchestrator',
  script: script('./orchestrator-main.ts'),
  env: { PORT: String(ports.orchestrator), ...uses, DATABASE_URL: roleUrls.orders, PAYMENTS_URL: http('payments'), INVENTORY_URL: http('inventory') },
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
    // sending takes 100 ms here (stage 10's 1.5 s was there to kill a worker mid-job by hand):
    // stage 11's experiment looks for the slow span, and it should be the one you slowed down
    env: { PORT: String(p), WORKER_ID: name, DATABASE_URL: roleUrls.notifications, SEND_MS: process.env.SEND_MS || '100', ...traced },
    health: { http: `http://127.0.0.1:${p}/health` },
  }));
  shops = replicated({ name: 'shop', count: replicaCount(process.env.SHOP_REPLICAS, profileCount(process.env.SHOP_PROFILE, 2)), firstPort: port + 1000 }, (p, name) => ({
    script: script('./main.ts'),
    env: {
      PORT: String(p),
      // stage 12: the catalogue's cache (Redis when REDIS_URL is set) and its invalidation
      REPLICA_NAME: name,
      BROKER_URL: brokerUrl,
      ...redis,
      DATABASE_URL: roleUrls.orders,
      PAYMENTS_URL: http('payments'),
      INVENTORY_URL: http('inventory'),
      NOTIFICATIONS_URL: http('notifications'),
      ORCHESTRATOR_URL: http('orchestrator'),
      WORKER_URLS: replicasEnv(workers),
      ...traced,
    },
    health: { http: `http://127.0.0.1:${p}/health` },
  }));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
// One address in front of the shop's copies (public in stage 10; the gateway's upstream now).
const balancer: Service = {
  name: 'balancer',
  script: script('./balancer-main.ts'),
  env: { PORT: String(ports.balancer), REPLICAS: replicasEnv(shops) },
  health: { http: `http://127.0.0.1:${ports.balancer}/health` },
};
// #endregion scaled-services

// #region gateway-service
// Stage 11: the gateway takes the public PORT and hosts the span collector on its internal
// port (COLLECTOR_PORT: one Node process fewer than a collector of its own). It starts last:
// its health check is the shop's /health through it and the balancer, healthy once the
// whole path is.
const gateway: Service = {
  name: 'gateway',
  script: script('./gateway-main.ts'),
  env: {
    PORT: String(ports.gateway), SHOP_URL: http('balancer'), PAYMENTS_URL: http('payments'), COLLECTOR_PORT: String(ports.collector),
    // stage 12: one rate limit shared by the gateway replicas, in Redis
    ...redis,
  },
  health: { http: `${http('gateway')}/health` },
};
// #endregion gateway-service

// The database and the broker first; then the services with shop-1 alone (it brings the
// orders schema up to date, which the other copies and the orchestrator would race it to
// do); then the rest: the workers after notifications (it owns their table), the
// balancer, which takes each replica into the rotation once it answers its health check,
// and the gateway, healthy once the balancer is.
// (Stage 12: the database and the broker only when they are not elsewhere.)
// #region waves
const infrastructure = [...(external.database ? [] : [database]), ...(external.broker ? [] : [broker])];
const waves = [infrastructure, [payments, inventory, notifications, shops[0]!], [orchestrator, ...shops.slice(1), ...workers, balancer, gateway]].filter((wave) => wave.length > 0);
// #endregion waves
const all = [gateway, ...waves.flat().filter((s) => s !== gateway)];
const elsewhere = [
  ...(external.database ? [`database ${redacted(databaseUrl)}${rolesNote(roleUrls)}`] : []),
  ...(external.broker ? [`broker ${redacted(brokerUrl)}`] : []),
  ...(process.env.REDIS_URL ? [`redis ${redacted(process.env.REDIS_URL)}`] : []),
];
await supervise(waves, () => {
  console.log(
    `shop ready on http://127.0.0.1:${ports.gateway} (${all.length} processes: gateway :${ports.gateway} with the span collector :${ports.collector}, ` +
      all.slice(1).map((s) => `${s.name} :${s.env.PORT}`).join(', ') +
      ')' +
      (elsewhere.length > 0 ? `; using ${[elsewhere.slice(0, -1).join(', '), elsewhere.at(-1)].filter(Boolean).join(' and ')}` : ''),
  );
});
// #endregion services
