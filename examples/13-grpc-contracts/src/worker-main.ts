// A notification worker (stage 10): one of a pool of identical processes that compete for
// the jobs in notifications.jobs. src/start.ts starts several (worker-1, worker-2, ...);
// each claims a job, sends it, marks it done, and claims the next. Kill one mid-job and its
// lease runs out: another worker sends that notification, once.
//
//   WORKER_ID   its name in the queue and the logs (src/start.ts uses the service's name)
//   PORT        its own small HTTP port: /health for the supervisor, /ops/worker, /ops/jobs,
//               and POST /ops/crash (the experiment without a terminal: see below)
//   DATABASE_URL, and optionally SEND_MS (how long sending takes, 1500 ms: long enough to
//   kill a worker mid-job by hand), LEASE_MS (5000), POLL_MS (250) and WAKE_UP=listen (a
//   LISTEN connection for quicker wake-ups: real PostgreSQL only, see job-wake-up.ts)
//
// The worker does not migrate: the notifications service owns the schema and starts first.

import { hostname } from 'node:os';
import { connectDatabase } from './adapters/database.ts';
import { HttpError, jsonServer, requestUrl } from './adapters/http.ts';
import { listenForJobs } from './adapters/job-wake-up.ts';
import { listen, requireEnv, stopOnSignal } from './adapters/process.ts';
import { notificationQueue, notificationText, SEND_NOTIFICATION, sendNotification } from './modules/notifications/index.ts';
import { JobWorker } from './shared/job-worker.ts';
import { exitWithSupervisor } from './supervisor.ts';
import { readyWhen, useKit } from './observability/service-kit.ts';
import { contextFrom, SpanKind } from './observability/tracing.ts';

// first, before anything that waits (src/supervisor.ts says why)
exitWithSupervisor();

// #region worker-main
const required = requireEnv('worker-main.ts', ['PORT', 'DATABASE_URL']);
const env = {
  id: process.env.WORKER_ID || hostname(),
  port: Number(required.PORT),
  databaseUrl: required.DATABASE_URL,
  sendMs: Number(process.env.SEND_MS ?? 1500),
  leaseMs: Number(process.env.LEASE_MS ?? 5000),
  pollMs: Number(process.env.POLL_MS ?? 250),
};
if (!/^[a-z0-9-]{1,64}$/.test(env.id)) {
  console.error(`WORKER_ID is a name like worker-2 (lower-case letters, digits and -), got ${env.id}`);
  process.exit(1);
}
if (!(env.sendMs >= 0 && env.leaseMs > env.sendMs && env.pollMs > 0)) {
  console.error(`LEASE_MS (${env.leaseMs}) must be longer than SEND_MS (${env.sendMs}), or every job is taken over before it is done`);
  process.exit(1);
}

// #region crash
// POST /ops/crash: die as `kill -9` would, halfway through a job (the one in hand, or the
// next one claimed). No graceful stop, no release: the lease has to run out.
let crashArmed = false;
function crashMidJob(): void {
  setTimeout(() => {
    const current = worker.snapshot().current;
    if (!current) return; // finished meanwhile: the next job's start tries again
    console.log(`${env.id}: crashing now, in the middle of ${current.key} (POST /ops/crash)`);
    process.kill(process.pid, 'SIGKILL');
  }, env.sendMs / 2);
}
// #endregion crash

const kit = useKit('worker');
const jobs = kit.metrics.counter('jobs_run_total', 'Jobs this worker ran, by kind', ['kind']);
const db = connectDatabase({ url: env.databaseUrl, name: env.id });
readyWhen({ database: () => db.query('SELECT 1') });
const queue = notificationQueue(db, { leaseMs: env.leaseMs });
const worker = new JobWorker({
  id: env.id,
  queue,
  handlers: { [SEND_NOTIFICATION]: sendNotification({ sendMs: env.sendMs }) },
  pollMs: env.pollMs,
  // Stage 11: a job's turn in a span of the trace that enqueued it (the order's), so its log
  // lines carry that trace and the request id of the POST /orders behind it
  around: (job, turn) =>
    kit.tracing.inSpan(`job ${job.kind}`, { kind: SpanKind.CONSUMER, parent: contextFrom(job.trace), attributes: { 'job.id': job.id, 'job.attempt': job.attempts, worker: env.id } }, () => {
      jobs.inc({ kind: job.kind });
      return turn();
    }),
  onStart: () => {
    if (crashArmed) crashMidJob();
  },
  // printed once the send is committed, as the ConsoleNotifier of earlier stages did
  onDone: (job) => {
    const { customerId, text } = notificationText(job);
    console.log(`${env.id}: email to ${customerId}: ${text}`);
  },
});
worker.start();
const wakeUp =
  process.env.WAKE_UP === 'listen'
    ? listenForJobs({ url: env.databaseUrl, channel: queue.channel, name: env.id, onWake: () => worker.wake() })
    : undefined;
// #endregion worker-main

// #region worker-ops
const server = jsonServer(async (req) => {
  const url = requestUrl(req);
  const method = req.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/health') return { status: 200, body: { status: 'ok' } };
  // this worker: what it is doing, and what it did
  if (method === 'GET' && url.pathname === '/ops/worker') return { status: 200, body: worker.snapshot() };
  // the whole queue, as any worker sees it: depth by state, done per worker, the latest jobs
  if (method === 'GET' && url.pathname === '/ops/jobs') return { status: 200, body: await queue.report() };
  if (method === 'POST' && url.pathname === '/ops/crash') {
    const working = worker.snapshot().state === 'working';
    if (!crashArmed) {
      crashArmed = true;
      if (working) crashMidJob();
    }
    return { status: 202, body: { worker: env.id, crashes: working ? 'in the middle of the job in hand' : 'in the middle of the next job it claims' } };
  }
  throw new HttpError(404, 'not_found', `no route for ${method} ${url.pathname}`);
});
// #endregion worker-ops
listen(
  env.id,
  server,
  env.port,
  `${env.id} listening on http://127.0.0.1:${env.port}; claiming ${SEND_NOTIFICATION} jobs (send ${env.sendMs} ms, lease ${env.leaseMs} ms, poll ${env.pollMs} ms)`,
);

// #region worker-stop
// SIGTERM (the supervisor's stop, a scale-down, a deploy): finish the job in hand if it
// can be done within 2.5 s (stopOnSignal leaves after 3), otherwise hand it back; then
// leave. SIGKILL gives no such chance: then the lease runs out, and that is the experiment.
const STOP_GRACE_MS = 2500;
stopOnSignal(server, () =>
  worker
    .stop(STOP_GRACE_MS)
    .then(() => wakeUp?.close())
    .then(() => db.close()),
);
// #endregion worker-stop
