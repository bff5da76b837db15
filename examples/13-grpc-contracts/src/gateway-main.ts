// The gateway process (stage 11): the stage's public PORT. src/start.ts tells it where the
// services are and starts it last:
//
//   PORT=3000 SHOP_URL=http://127.0.0.1:3800 PAYMENTS_URL=... COLLECTOR_PORT=3700 node src/gateway-main.ts
//
// JWT_SECRET signs the /ops/ tokens (the development secret when unset: see ops-auth.ts);
// RATE_BURST and RATE_PER_S set each client's bucket (PUT /ops/rate-limit changes it live);
// REDIS_URL (stage 12) makes the buckets one set shared by every gateway replica.
// COLLECTOR_PORT: the gateway hosts the span collector itself, on that internal port (one
// Node process fewer, about 90 MB); the services send their spans to it. COLLECTOR_URL
// instead: a collector that runs elsewhere.

import { createGateway } from './adapters/gateway.ts';
import { DEV_JWT_SECRET } from './adapters/ops-auth.ts';
import { createCollectorServer, TraceStore } from './observability/collector.ts';
import { createLogger } from './observability/logger.ts';
import { Registry } from './observability/metrics.ts';
import { setupTracing } from './observability/tracing.ts';
import { listenHost } from './adapters/process.ts';
import { exitWithSupervisor } from './supervisor.ts';

// first, before anything that waits (src/supervisor.ts says why)
exitWithSupervisor();

// #region gateway-main
const port = Number(process.env.PORT);
const { SHOP_URL, PAYMENTS_URL, COLLECTOR_PORT } = process.env;
const COLLECTOR_URL = process.env.COLLECTOR_URL || (COLLECTOR_PORT ? `http://127.0.0.1:${COLLECTOR_PORT}` : undefined);
if (!Number.isInteger(port) || !SHOP_URL || !PAYMENTS_URL || !COLLECTOR_URL) {
  console.error('gateway-main.ts needs PORT, SHOP_URL, PAYMENTS_URL and COLLECTOR_URL or COLLECTOR_PORT (src/start.ts sets them)');
  process.exit(1);
}
if (COLLECTOR_PORT && !process.env.COLLECTOR_URL) {
  const collector = createCollectorServer(new TraceStore({ maxTraces: Number(process.env.MAX_TRACES) || 200 }));
  collector.on('error', (error) => {
    console.error(`gateway could not start its span collector: ${error.message}`);
    process.exit(1);
  });
  collector.listen(Number(COLLECTOR_PORT), listenHost());
}
const log = createLogger('gateway');
const secret = process.env.JWT_SECRET || DEV_JWT_SECRET;
if (secret === DEV_JWT_SECRET) {
  if (process.env.NODE_ENV === 'production') {
    console.error('gateway could not start: JWT_SECRET is not set, and the development secret is public');
    process.exit(1);
  }
  log.warn('JWT_SECRET is not set: /ops/ accepts the development token (fine on your machine, never anywhere else)');
} else if (secret.length < 32) {
  console.error('gateway could not start: JWT_SECRET must be at least 32 characters (HS256 wants 256 bits)');
  process.exit(1);
}
// Stage 12: with REDIS_URL, one bucket per client shared by every gateway replica, kept in
// Redis (loaded only then); without it, this gateway's own buckets.
const limits = { burst: Number(process.env.RATE_BURST) || 200, perSecond: Number(process.env.RATE_PER_S) || 100 };
const limiter = process.env.REDIS_URL
  ? await import('./adapters/redis.ts').then(({ RedisRateLimiter, checkRedisUrl }) => new RedisRateLimiter({ url: checkRedisUrl(process.env.REDIS_URL!), name: 'gateway', limits, log: (line) => log.info(line) }))
  : undefined;
const gateway = createGateway({
  upstreams: { shop: SHOP_URL, payments: PAYMENTS_URL, collector: COLLECTOR_URL },
  secret,
  // generous enough for the contract suite (it sends a few hundred requests in bursts of 30);
  // the chapter's experiment lowers it with PUT /ops/rate-limit
  limits,
  ...(limiter ? { limiter } : {}),
  // TRUSTED_PROXIES: our own proxies in front (nginx, an Ingress), e.g. 127.0.0.1 or
  // 10.0.0.0/8; their X-Forwarded-For names the client the rate limit counts. None by default.
  trustedProxies: (process.env.TRUSTED_PROXIES ?? '').split(','),
  kit: { log, metrics: new Registry(), tracing: setupTracing({ service: 'gateway', collectorUrl: COLLECTOR_URL }) },
});
gateway.server.on('error', (error) => {
  console.error(`gateway could not start: ${error.message}`);
  process.exit(1);
});
gateway.server.listen(port, listenHost(), () => {
  log.info(`gateway listening on http://127.0.0.1:${port}`, { shop: SHOP_URL, payments: PAYMENTS_URL, collector: COLLECTOR_URL, limits: gateway.limiter.limits });
});
// #endregion gateway-main

const stop = () => {
  gateway.stop();
  gateway.server.close(() => process.exit(0));
  gateway.server.closeIdleConnections();
  setTimeout(() => process.exit(0), 3000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
