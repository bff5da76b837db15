// A rehearsal of stage 10's src/start.ts, runnable today: stage 07's shop as THREE replicas
// behind the load balancer, with stage 07's database and payments processes, under the
// supervisor (stage 08's, through the shim; unchanged: replicas are services like any other).
// Stage 07 because its shop has no MQTT consumer yet: see PORTING.md, step 0.
//
//   PORT=3000 node drafts/10-scaling-out/scripts/scaled-07.ts     (SHOP_REPLICAS=5 for five)
//
//   database   PGlite over the Postgres wire protocol      PORT+200
//   payments   stage 07's payments service                 PORT+100
//   shop-N     stage 07's shop, N = 1..SHOP_REPLICAS       PORT+1000, PORT+1100, ...
//   balancer   round robin over the shops (public)         PORT
//
// Stage 07's shop is stateless enough to copy: orders, stock and notifications live in
// Postgres. (Its parallel-run flags and circuit breaker are per process: each replica has
// its own. Stage 08 removed the flags; a breaker per process is normal.)

import { fileURLToPath } from 'node:url';
import { replicaCount, replicasEnv, replicated } from '../src/replicas.ts';
import { supervise } from '../src/supervisor.ts';
import type { Service } from '../src/supervisor.ts';

// #region scaled-services
const port = Number(process.env.PORT || 3000);
const shopCount = replicaCount(process.env.SHOP_REPLICAS, 3);
if (!Number.isInteger(port) || port < 1 || port > 65535 - 2000) {
  console.error(`PORT must be a port number from 1 to 63535, got ${process.env.PORT}`);
  process.exit(1);
}
const ports = { balancer: port, payments: port + 100, database: port + 200, firstShop: port + 1000 };
const dataDir = process.env.DATA_DIR || fileURLToPath(new URL('../.data/', import.meta.url));
const stage07 = (name: string) => fileURLToPath(new URL(`../../../examples/07-surviving-the-network/src/${name}`, import.meta.url));
const own = (name: string) => fileURLToPath(new URL(`../src/${name}`, import.meta.url));

const database: Service = { name: 'database', script: stage07('database-main.ts'), env: { PORT: String(ports.database), DATA_DIR: dataDir }, health: { tcp: ports.database } };
const payments: Service = {
  name: 'payments',
  script: stage07('payments-main.ts'),
  env: { PORT: String(ports.payments), DATABASE_PORT: String(ports.database) },
  health: { http: `http://127.0.0.1:${ports.payments}/health` },
};
const shops = replicated({ name: 'shop', count: shopCount, firstPort: ports.firstShop }, (shopPort) => ({
  script: stage07('main.ts'),
  env: { PORT: String(shopPort), DATABASE_PORT: String(ports.database), PAYMENTS_URL: `http://127.0.0.1:${ports.payments}` },
  health: { http: `http://127.0.0.1:${shopPort}/health` },
}));
const balancer: Service = {
  name: 'balancer',
  script: own('balancer-main.ts'),
  env: { PORT: String(ports.balancer), REPLICAS: replicasEnv(shops) },
  health: { http: `http://127.0.0.1:${ports.balancer}/health` },
};

// shop-1 alone first: it applies the migrations, and copies started with it would race it
// (each would find the same migrations still to do). Then the other copies; the balancer last.
await supervise([[database], [payments, shops[0]!], shops.slice(1), [balancer]], () => {
  console.log(`shop ready on http://127.0.0.1:${ports.balancer} (balancer over ${shops.map((s) => `${s.name} :${s.env.PORT}`).join(', ')}; ${shops.length + 3} processes)`);
});
// #endregion scaled-services
