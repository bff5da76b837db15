// The orchestrator (new in stage 9): the process that runs every order's saga. It shares
// the orders module with the shop (the sagas live in the orders schema), asks inventory and
// payments over HTTP, and gives each order its final status. Kill it at any moment: the
// supervisor starts it again, and its first round picks up every saga it left half done.
//
// Since stage 10 it also runs the orders outbox's relay, which the shop ran until stage 9:
// the shop is now several replicas, and a loop started in each of them would run once per
// replica. The orchestrator is one process, so the relay (and its publisher, with its
// one clientId) is one too.

import { systemClock, RandomIds } from './adapters/clock-and-ids.ts';
import { HttpError, jsonServer, readJson, requestUrl, validatePause, validateRedeliver } from './adapters/http.ts';
import { createPublisher } from './adapters/broker.ts';
import { REPLAY_WINDOW_S } from './adapters/mqtt.ts';
import { listen, openServiceDatabase, requireEnv, stopOnSignal } from './adapters/process.ts';
import { sagaRetry } from './adapters/saga-services.ts';
import { RpcSagaInventory, RpcSagaPayments } from './adapters/rpc-saga-services.ts';
import { chooseProtocol } from './adapters/rpc-client.ts';
import { createOrderSaga, createOrdersRelay } from './modules/orders/index.ts';
import type { Envelope } from './shared/events.ts';
import { exitWithSupervisor } from './supervisor.ts';
import { readyWhen, useKit } from './observability/service-kit.ts';
import { contextFrom } from './observability/tracing.ts';
import { TracedPublisher } from './observability/event-tracing.ts';

// first, before anything that waits (src/supervisor.ts says why)
exitWithSupervisor();

// #region orchestrator
const kit = useKit('orchestrator');
const steps = kit.metrics.counter('saga_steps_total', 'Saga steps run, by step and outcome', ['step', 'outcome']);
const env = requireEnv('orchestrator-main.ts', ['PORT', 'DATABASE_URL', 'INVENTORY_URL', 'PAYMENTS_URL', 'BROKER_URL']);
const { db } = await openServiceDatabase('orchestrator', env.DATABASE_URL, new URL('../migrations/shop/', import.meta.url));
// #region one-relay
// The one relay of the orders outbox. A replay request (or a broker that lost our session)
// makes it publish the recent events again.
// MQTT or JetStream, as BROKER_URL says (src/adapters/broker.ts)
const publisher = await createPublisher({
  url: env.BROKER_URL,
  name: 'shop',
  onReplay: (why) => {
    void relay.replay(REPLAY_WINDOW_S).then((n) => n > 0 && console.log(`relay: publishing the last ${n} events again (${why})`), () => {});
  },
});
// Stage 11: each event is published in a producer span of the trace it was written in
const { outbox, relay } = createOrdersRelay({ db, publisher: new TracedPublisher(publisher, kit.tracing) });
// The relay first publishes whatever an earlier run committed but never got to publish.
relay.start();
// #endregion one-relay
// Stage 13: the saga's commands are RPCs, gRPC over HTTP/2 where node:http2 works, the Connect
// protocol over HTTP/1.1 where it does not (src/adapters/rpc-client.ts)
const protocol = await chooseProtocol();
console.log(`saga commands go to inventory and payments as RPCs over ${protocol === 'grpc' ? 'gRPC (HTTP/2)' : 'the Connect protocol (HTTP/1.1)'}`);
const runner = createOrderSaga({
  relay,
  db,
  inventory: new RpcSagaInventory(env.INVENTORY_URL, protocol),
  payments: new RpcSagaPayments(env.PAYMENTS_URL, protocol),
  clock: systemClock,
  ids: new RandomIds(),
  // a new saga is picked up within 100 ms; a step that keeps failing is given up and undone
  pollMs: 100,
  giveUpAfterMs: Number(process.env.SAGA_GIVE_UP_MS) || sagaRetry.giveUpAfterMs,
  retryDelay: sagaRetry.retryDelay,
  // Stage 11: each step in a span of the trace of the POST /orders that started the saga
  traceStep: (saga, step, work) =>
    kit.tracing.inSpan(`saga ${step}`, { parent: contextFrom(saga.trace), attributes: { 'order.id': saga.id, 'saga.step': step } }, async (span) => {
      const outcome = await work();
      span.setAttribute('saga.outcome', outcome);
      steps.inc({ step, outcome });
      return outcome;
    }),
});
readyWhen({ database: () => db.query('SELECT 1') });
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
  // At-least-once, on demand (stage 8's experiment, here since stage 10): publishes an event
  // published before (the last OrderConfirmed unless told which) once more, as a relay that
  // crashed before marking it published would. Its consumer should find it in its inbox.
  if (route === 'POST /ops/redeliver') {
    const { eventId } = validateRedeliver(await readJson(req));
    const event: Envelope | undefined = eventId ? await outbox.find(eventId) : await outbox.latest('OrderConfirmed');
    if (!event) throw new HttpError(404, 'not_found', eventId ? `the shop published no event ${eventId}` : 'no order confirmed yet: place one first');
    await publisher.publish(event);
    console.log(`redeliver: ${event.type} ${event.id} published again`);
    return { status: 200, body: { redelivered: { id: event.id, type: event.type, orderId: (event.data as { orderId: string }).orderId } } };
  }
  throw new HttpError(404, 'not_found', `no route for ${route}`);
});
// #endregion orchestrator-ops
listen('orchestrator', server, Number(env.PORT), `orchestrator listening on http://127.0.0.1:${env.PORT} (pid ${process.pid}); resuming unfinished sagas`);
stopOnSignal(server, () =>
  runner
    .stop()
    .then(() => relay.stop())
    .then(() => publisher.close())
    .then(() => db.close()),
);
