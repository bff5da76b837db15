// `npm start`: the whole stage, three services under one supervisor (src/supervisor.ts).
//
//   database  PGlite served over the Postgres wire protocol     PORT+200 (internal)
//   payments  the payments service, with its own schema          PORT+100 (internal)
//   shop      orders, inventory, notifications, the public API   PORT     (public)
//
// The internal ports are worked out from PORT, so two stages can run side by side (the
// workbench gives neighbouring slots neighbouring ports, hence the steps of 100).

import { fileURLToPath } from 'node:url';
import { supervise } from './supervisor.ts';
import type { Service } from './supervisor.ts';

// #region services
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535 - 200) {
  console.error(`PORT must be a port number from 1 to 65335, got ${process.env.PORT}`);
  process.exit(1);
}
const ports = { shop: port, payments: port + 100, database: port + 200 };
const dataDir = process.env.DATA_DIR || fileURLToPath(new URL('../.data/', import.meta.url));
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

const database: Service = {
  name: 'database',
  script: script('./database-main.ts'),
  env: { PORT: String(ports.database), DATA_DIR: dataDir },
  health: { tcp: ports.database },
};
const payments: Service = {
  name: 'payments',
  script: script('./payments-main.ts'),
  env: { PORT: String(ports.payments), DATABASE_PORT: String(ports.database) },
  health: { http: `http://127.0.0.1:${ports.payments}/health` },
};
const shop: Service = {
  name: 'shop',
  script: script('./main.ts'),
  env: { PORT: String(ports.shop), DATABASE_PORT: String(ports.database), PAYMENTS_URL: `http://127.0.0.1:${ports.payments}` },
  health: { http: `http://127.0.0.1:${ports.shop}/health` },
};

// The database first; then payments and the shop side by side.
await supervise([[database], [payments, shop]], () => {
  console.log(`shop ready on http://127.0.0.1:${ports.shop} (3 processes: database :${ports.database}, payments :${ports.payments}, shop :${ports.shop})`);
});
// #endregion services
