// The database process: one PGlite, on disk in DATA_DIR, served over the Postgres wire
// protocol on PORT (127.0.0.1 only) by @electric-sql/pglite-socket. The shop and the
// payments service each hold one connection to it. PGlite runs one query at a time, so a
// transaction on one connection holds the other back until it ends: no service may keep a
// transaction open across a call to another service.

import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { openDatabase } from './adapters/database.ts';
import { exitWithSupervisor } from './supervisor.ts';

// first, before anything that waits (src/supervisor.ts says why)
exitWithSupervisor();

// #region database-server
const port = Number(process.env.PORT);
const dataDir = process.env.DATA_DIR;
if (!Number.isInteger(port) || port < 1 || !dataDir) {
  console.error('database-main.ts needs PORT and DATA_DIR (src/start.ts sets them)');
  process.exit(1);
}
const opening = performance.now();
const { db, from } = await openDatabase(dataDir);
const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 16 });
await server.start();
const how = { disk: 'opened from disk', cache: 'made from the cache', initdb: 'initialised' }[from];
console.log(`postgres (PGlite ${how} in ${Math.round(performance.now() - opening)} ms, data in ${dataDir}) listening on 127.0.0.1:${port}`);

const stop = () => {
  setTimeout(() => process.exit(0), 3000).unref();
  server
    .stop()
    .then(() => db.close())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// #endregion database-server
