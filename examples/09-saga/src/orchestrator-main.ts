// The orchestrator (new in stage 9): the process that runs every order's saga. It shares
// the orders module with the shop (the sagas live in the orders schema), asks inventory and
// payments over HTTP, and gives each order its final status. Kill it at any moment: the
// supervisor starts it again, and its first round picks up every saga it left half done.

import { systemClock, RandomIds } from './adapters/clock-and-ids.ts';
import { HttpError, jsonServer, readJson, requestUrl, validatePause } from './adapters/http.ts';
import { listen, openServiceDatabase, requireEnv, stopOnSignal } from './adapters/process.ts';
import { HttpSagaInventory, HttpSagaPayments, sagaRetry } from './adapters/saga-services.ts';
import { createOrderSaga } from './modules/orders/index.ts';
import { exitWithSupervisor } from './supervisor.ts';

// first, before anything that waits (src/supervisor.ts says why)
exitWithSupervisor();

// #region orchestrator
const env = requireEnv('orchestrator-main.ts', ['PORT', 'DATABASE_PORT', 'INVENTORY_URL', 'PAYMENTS_URL']);
const { db } = await openServiceDatabase('orchestrator', Number(env.DATABASE_PORT), new URL('../migrations/shop/', import.meta.url));
const runner = createOrderSaga({
  db,
  inventory: new HttpSagaInventory(env.INVENTORY_URL),
  payments: new HttpSagaPayments(env.PAYMENTS_URL),
  clock: systemClock,
  ids: new RandomIds(),
  // a new saga is picked up within 100 ms; a step that keeps failing is given up and undone
  pollMs: 100,
  giveUpAfterMs: Number(process.env.SAGA_GIVE_UP_MS) || sagaRetry.giveUpAfterMs,
  retryDelay: sagaRetry.retryDelay,
});
runner.start();
// #endregion orchestrator

// #region orchestrator-ops
// The experiment's two controls, reached through the shop's /ops routes: hold the sagas
// after a step (in this process's memory only), and die on the spot, as kill -9 would.
const server = jsonServer(async (req) => {
  const url = requestUrl(req);
  const route = `${req.method ?? 'GET'} ${url.pathname}`;
  if (route === 'GET /health') return { status: 200, body: { status: 'ok' } };
  if (route === 'GET /ops/pause') return { status: 200, body: { pid: process.pid, ...runner.pauseState() } };
  if (route === 'PUT /ops/pause') {
    const { after } = validatePause(await readJson(req));
    if (after === null) runner.resume();
    else runner.pause(after);
    return { status: 200, body: { pid: process.pid, ...runner.pauseState() } };
  }
  if (route === 'POST /ops/crash') {
    console.log(`orchestrator: crashing now (pid ${process.pid}), with sagas ${JSON.stringify(runner.pauseState().held)} held`);
    // SIGKILL: no clean-up runs, as with kill -9 (where a runtime refuses it, exit at once)
    setTimeout(() => {
      try {
        process.kill(process.pid, 'SIGKILL');
      } catch {
        process.exit(137);
      }
    }, 50);
    return { status: 202, body: { crashing: true, pid: process.pid, held: runner.pauseState().held } };
  }
  throw new HttpError(404, 'not_found', `no route for ${route}`);
});
// #endregion orchestrator-ops
listen('orchestrator', server, Number(env.PORT), `orchestrator listening on http://127.0.0.1:${env.PORT} (pid ${process.pid}); resuming unfinished sagas`);
stopOnSignal(server, () => runner.stop().then(() => db.close()));
