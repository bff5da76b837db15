// The shop's wiring: the one place that picks concrete adapters for the orders module's
// ports. Since stage 8 the shop holds only the orders module; inventory, notifications and
// payments are services of their own, reached over HTTP (their interfaces, implemented by
// HTTP clients) and through the broker (events).

import { RandomIds, systemClock } from './adapters/clock-and-ids.ts';
import type { Database } from './shared/ports.ts';
import { HttpError } from './adapters/http.ts';
import { HttpCatalogue, HttpNotifications } from './adapters/http-services.ts';
import { HttpPayments } from './adapters/http-payments.ts';
import type { ResilienceOptions } from './adapters/http-payments.ts';
import { MqttConsumer, MqttPublisher, REPLAY_WINDOW_S } from './adapters/mqtt.ts';
import type { ConsumerStats } from './adapters/mqtt.ts';
import type { Catalogue } from './modules/inventory/index.ts';
import type { Notifications } from './modules/notifications/index.ts';
import { createOrders } from './modules/orders/index.ts';
import type { Orders } from './modules/orders/index.ts';
import type { Envelope, EventType } from './shared/events.ts';

export type Urls = { broker: string; payments: string; inventory: string; notifications: string };

export type App = {
  catalogue: Catalogue;
  orders: Orders;
  payments: HttpPayments;
  notifications: Notifications;
  publisher: MqttPublisher;
  consumer: MqttConsumer;
  ops: {
    consumers(): Promise<{ consumers: (ConsumerStats | { name: string; error: string })[] }>;
    setConsumer(name: string, running: boolean): Promise<ConsumerStats>;
    redeliver(eventId?: string): Promise<{ redelivered: { id: string; type: string; orderId: string } }>;
    holdBack(types: EventType[]): { heldBack: EventType[] };
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
export function createApp(db: Database, urls: Urls): App {
  const catalogue = new HttpCatalogue(urls.inventory);
  const notifications = new HttpNotifications(urls.notifications);
  const payments = new HttpPayments({ baseUrl: urls.payments, resilience });
  // The relay publishes through this client; a replay request (or a broker that lost our
  // session) makes it publish the recent events again.
  let orders: Orders | undefined;
  const publisher = new MqttPublisher({
    url: urls.broker,
    name: 'shop',
    onReplay: (why) => {
      void orders?.relay.replay(REPLAY_WINDOW_S).then((n) => n > 0 && console.log(`relay: publishing the last ${n} events again (${why})`), () => {});
    },
  });
  orders = createOrders({ db, catalogue, payments, publisher, clock: systemClock, ids: new RandomIds(), ...(backlogLimit === undefined ? {} : { backlogLimit }) });
  const consumer = new MqttConsumer({ url: urls.broker, name: 'shop', handlers: orders.handlers });
  const services: Record<string, HttpCatalogue | HttpNotifications> = { inventory: catalogue, notifications };
  const ordersModule = orders;

  return {
    catalogue,
    orders,
    payments,
    notifications,
    publisher,
    consumer,
    // #region ops
    ops: {
      // How each consumer is doing: the shop's own, and the two services' (asked over HTTP).
      async consumers() {
        const others = await Promise.all(
          Object.entries(services).map(([name, service]) =>
            service.client.ops('GET', '/ops/consumer').then(
              (res) => res.body as ConsumerStats,
              () => ({ name, error: `the ${name} service is not answering` }),
            ),
          ),
        );
        return { consumers: [consumer.stats, ...others] };
      },
      // Stops or starts a consumer: its MQTT client disconnects and the broker keeps its
      // session, queueing what is published for it meanwhile.
      async setConsumer(name, running) {
        if (name === 'shop') {
          if (running) consumer.start();
          else await consumer.stop();
          return consumer.stats;
        }
        // own properties only: a name such as `constructor` must not find Object.prototype's
        const service = Object.hasOwn(services, name) ? services[name] : undefined;
        if (!service) throw new HttpError(404, 'not_found', `no consumer ${name}; the consumers are shop, inventory and notifications`);
        const res = await service.client.ops('POST', '/ops/consumer', JSON.stringify({ running }));
        if (res.status !== 200) throw new HttpError(res.status, 'service_unavailable', `the ${name} service answered ${res.status}`);
        return res.body as ConsumerStats;
      },
      // At-least-once, on demand: publishes an event the shop published before (the last
      // OrderPlaced unless told which) once more, as a relay that crashed before marking it
      // published would. Every consumer of it should find it in its inbox and ignore it.
      async redeliver(eventId) {
        const event: Envelope | undefined = eventId ? await ordersModule.outbox.find(eventId) : await ordersModule.outbox.latest('OrderPlaced');
        if (!event) throw new HttpError(404, 'not_found', eventId ? `the shop published no event ${eventId}` : 'no order placed yet: place one first');
        await publisher.publish(event);
        console.log(`redeliver: ${event.type} ${event.id} published again`);
        return { redelivered: { id: event.id, type: event.type, orderId: (event.data as { orderId: string }).orderId } };
      },
      // Out of order, on demand: the shop's relay keeps events of these types back while it
      // publishes the rest, until the list is empty again.
      holdBack(types) {
        const heldBack = ordersModule.relay.holdBack(types);
        console.log(heldBack.length > 0 ? `relay: holding back ${heldBack.join(', ')}; later events go out before them` : 'relay: holding nothing back; what waited goes out now');
        return { heldBack };
      },
    },
    // #endregion ops
  };
}
// #endregion wiring
