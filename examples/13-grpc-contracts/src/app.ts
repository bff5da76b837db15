// The shop's wiring: the one place that picks concrete adapters for the orders module's
// ports. Since stage 8 the shop holds only the orders module; inventory, notifications and
// payments are services of their own, reached over HTTP (their interfaces, implemented by
// HTTP clients) and through the broker (events). Since stage 9 the orchestrator runs each
// order's saga. Since stage 10 the shop runs as several replicas behind a load balancer,
// so it keeps nothing of its own and runs no loop: the orchestrator publishes the outbox.

import { RandomIds, systemClock } from './adapters/clock-and-ids.ts';
import type { Database } from './shared/ports.ts';
import { HttpError } from './adapters/http.ts';
import { HttpCatalogue, HttpNotifications } from './adapters/http-services.ts';
import { HttpPayments } from './adapters/http-payments.ts';
import type { ResilienceOptions } from './adapters/http-payments.ts';
import type { ConsumerStats } from './adapters/broker.ts';
import type { Cache } from './adapters/cache.ts';
import { CachedCatalogue } from './adapters/cached-catalogue.ts';
import { ServiceClient } from './adapters/service-client.ts';
import type { Catalogue } from './modules/inventory/index.ts';
import { createOrders } from './modules/orders/index.ts';
import type { Orders } from './modules/orders/index.ts';

export type Urls = { payments: string; inventory: string; notifications: string; orchestrator: string; workers: Record<string, string> };

export type App = {
  catalogue: Catalogue;
  orders: Orders;
  payments: HttpPayments;
  notifications: HttpNotifications;
  // the orchestrator's ops routes (the pause, the crash, a redelivery), passed through
  orchestrator: ServiceClient;
  // the notification workers' ops routes (POST /ops/crash), by worker id
  workers: Record<string, ServiceClient>;
  ops: {
    consumers(): Promise<{ consumers: (ConsumerStats | { name: string; error: string })[] }>;
    setConsumer(name: string, running: boolean): Promise<ConsumerStats>;
  };
};

// Stage 7: the payments client's settings, e.g. PAYMENTS_TIMEOUT_MS=300 npm start
export const resilience: Partial<ResilienceOptions> = Object.fromEntries(
  (
    [
      ['timeoutMs', 'PAYMENTS_TIMEOUT_MS'],
      ['attempts', 'PAYMENTS_ATTEMPTS'],
      ['breakerThreshold', 'PAYMENTS_BREAKER_THRESHOLD'],
      ['breakerCooldownMs', 'PAYMENTS_BREAKER_COOLDOWN_MS'],
    ] as const
  )
    .filter(([, name]) => Number.isInteger(Number(process.env[name])) && Number(process.env[name]) > 0)
    .map(([key, name]) => [key, Number(process.env[name])]),
);

// Issue 29: the backlog past which POST /orders answers 503 (src/modules/orders/backlog.ts),
// e.g. BACKLOG_LIMIT=0 npm start for no bound at all
const given = process.env.BACKLOG_LIMIT;
export const backlogLimit = given !== undefined && Number.isInteger(Number(given)) && Number(given) >= 0 ? Number(given) : undefined;

// #region wiring
export function createApp(db: Database, urls: Urls, cached?: { cache: Cache; onRead?: (result: 'hit' | 'miss') => void }): App {
  // stage 12: catalogue reads are cache-aside (src/adapters/cached-catalogue.ts)
  const inventory = new HttpCatalogue(urls.inventory);
  const catalogue = cached ? new CachedCatalogue(inventory, cached.cache, cached.onRead ? { onRead: cached.onRead } : {}) : inventory;
  const notifications = new HttpNotifications(urls.notifications);
  const payments = new HttpPayments({ baseUrl: urls.payments, resilience });
  const orders = createOrders({ db, catalogue, clock: systemClock, ids: new RandomIds(), ...(backlogLimit === undefined ? {} : { backlogLimit }) });
  // Since stage 9 only notifications consumes events: the orchestrator asks inventory.
  const services: Record<string, HttpNotifications> = { notifications };

  return {
    catalogue,
    orders,
    payments,
    notifications,
    orchestrator: new ServiceClient({ name: 'orchestrator', baseUrl: urls.orchestrator }),
    workers: Object.fromEntries(Object.entries(urls.workers).map(([id, url]) => [id, new ServiceClient({ name: id, baseUrl: url })])),
    // #region ops
    ops: {
      // How each consumer is doing (asked over HTTP): since stage 9 only notifications'.
      async consumers() {
        const others = await Promise.all(
          Object.entries(services).map(([name, service]) =>
            service.client.ops('GET', '/ops/consumer').then(
              (res) => res.body as ConsumerStats,
              () => ({ name, error: `the ${name} service is not answering` }),
            ),
          ),
        );
        return { consumers: others };
      },
      // Stops or starts a consumer: its MQTT client disconnects and the broker keeps its
      // session, queueing what is published for it meanwhile.
      async setConsumer(name, running) {
        // own properties only: a name such as `constructor` must not find Object.prototype's
        const service = Object.hasOwn(services, name) ? services[name] : undefined;
        if (!service) throw new HttpError(404, 'not_found', `no consumer ${name}; since stage 9 the one consumer is notifications`);
        const res = await service.client.ops('POST', '/ops/consumer', JSON.stringify({ running }));
        if (res.status !== 200) throw new HttpError(res.status, 'service_unavailable', `the ${name} service answered ${res.status}`);
        return res.body as ConsumerStats;
      },
    },
    // #endregion ops
  };
}
// #endregion wiring
