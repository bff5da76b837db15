// The notifications service: the notifications module in a process of its own (new in
// stage 8). It owns the notifications schema, hears of every final order through the
// broker (its inbox makes a second delivery harmless) and serves GET /notifications. Since
// stage 10 it sends nothing itself: with each notification it enqueues a job, and the
// worker processes (src/worker-main.ts) send them. GET /ops/jobs shows the queue.

import { RandomIds, systemClock } from './adapters/clock-and-ids.ts';
import { consumerRoute, HttpError, jsonServer, requestUrl, requiredParam } from './adapters/http.ts';
import { brokerAway, createConsumer } from './adapters/broker.ts';
import { createNotifications, notificationQueue } from './modules/notifications/index.ts';
import { listen, openServiceDatabase, requireEnv, stopOnSignal } from './adapters/process.ts';
import { exitWithSupervisor } from './supervisor.ts';
import { degradedWhen, readyWhen, useKit } from './observability/service-kit.ts';
import { tracedHandlers } from './observability/event-tracing.ts';

// first, before anything that waits (src/supervisor.ts says why)
exitWithSupervisor();

// #region notifications-service
const kit = useKit('notifications');
const env = requireEnv('notifications-main.ts', ['PORT', 'DATABASE_URL', 'BROKER_URL']);
const { db, applied } = await openServiceDatabase('notifications', env.DATABASE_URL, new URL('../migrations/notifications/', import.meta.url));
const queue = notificationQueue(db);
const notifications = createNotifications({ db, queue, clock: systemClock, ids: new RandomIds() });
// an MQTT consumer or a JetStream durable consumer, as BROKER_URL says (src/adapters/broker.ts)
const consumer = await createConsumer({ url: env.BROKER_URL, name: 'notifications', handlers: tracedHandlers(notifications.handlers, kit.tracing) });
consumer.start();
// Ready means GET /notifications can be answered: the database. Not the broker: it brings the
// writes (events), and a failed readiness takes the service out of rotation, which stops only
// its reads; the events wait in the broker meanwhile. The consumer's state is on /ops/consumers,
// and a broker that is away is in /ready's `degraded`.
readyWhen({ database: () => db.query('SELECT 1') });
degradedWhen({ broker: brokerAway(consumer) });
// #endregion notifications-service

const server = jsonServer(async (req) => {
  const url = requestUrl(req);
  const method = req.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/health') return { status: 200, body: { status: 'ok' } };
  if (method === 'GET' && url.pathname === '/notifications') {
    return { status: 200, body: await notifications.listForCustomer(requiredParam(url, 'customerId')) };
  }
  // the queue: how many jobs in each state, who did how many, the latest jobs
  if (method === 'GET' && url.pathname === '/ops/jobs') return { status: 200, body: await queue.report() };
  const ops = await consumerRoute(consumer, req, method, url.pathname);
  if (ops) return ops;
  throw new HttpError(404, 'not_found', `no route for ${method} ${url.pathname}`);
});
listen('notifications', server, Number(env.PORT), `notifications service listening on http://127.0.0.1:${env.PORT} (migrations applied: ${applied.join(', ') || 'none'})`);
stopOnSignal(server, () => consumer.stop().then(() => db.close()));
