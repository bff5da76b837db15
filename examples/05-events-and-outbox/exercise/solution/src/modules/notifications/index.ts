// The notifications module: telling customers what happened to their orders, and keeping a
// record of it. This file is its public interface, the only file other code may import;
// everything else in this folder is private to the module, and so is its table in the
// notifications schema.

import type { EventBus } from '../../shared/bus.ts';
import type { Clock, Database, IdGenerator } from '../../shared/ports.ts';
import type { OrderEvent, OrderEvents } from '../orders/index.ts';
import { messageFor } from './messages.ts';
import { PostgresNotifications } from './notifications.ts';
import type { Notification, NotificationKind } from './notifications.ts';

// #region notifications-index
export type { Notification, NotificationKind } from './notifications.ts';

// How a customer is told: an email, a text message, a push notification... A port of this
// module; the adapters (src/adapters/notifiers.ts) implement it.
export interface Notifier {
  send(customerId: string, text: string): Promise<void>;
}

// What happened to an order: everything this module needs to tell the customer, taken from
// the orders module's events, so it never has to ask the orders module (or read its tables).
export type OrderNews = {
  orderId: string;
  customerId: string;
  kind: NotificationKind;
  // what was bought
  items: { sku: string; quantity: number }[];
  totalCents: number;
  reason?: string;
  // the customer's own words when cancelling
  note?: string;
};

// What this process has done with the events it was handed since it started: every delivery,
// and how many the inbox turned away as seen before (the chapter's experiment C shows it).
export type Deliveries = { delivered: number; notified: number; ignoredAsSeen: number };

export interface Notifications {
  listForCustomer(customerId: string): Promise<Notification[]>;
  deliveries(): Deliveries;
}

// Nobody calls this module to notify: it subscribes to the orders module's events.
export function createNotifications(options: {
  db: Database;
  notifier: Notifier;
  clock: Clock;
  ids: IdGenerator;
  bus: EventBus<OrderEvents>;
}): Notifications {
  const notifications = new PostgresNotifications(options.db);
  const counted: Deliveries = { delivered: 0, notified: 0, ignoredAsSeen: 0 };

  // #region idempotent-consumer
  // Events arrive at least once. The event's id goes into the inbox in the same transaction
  // as the notification, so a second delivery of the same event finds its id there and
  // changes nothing: one notification per final status, however often the event comes.
  async function tell(event: OrderEvent, news: OrderNews): Promise<void> {
    const notification: Notification = {
      id: options.ids.next('ntf'),
      customerId: news.customerId,
      orderId: news.orderId,
      kind: news.kind,
      createdAt: options.clock.now(),
    };
    counted.delivered++;
    if (!(await notifications.addOnce(event.id, notification))) {
      counted.ignoredAsSeen++;
      return; // seen it before
    }
    counted.notified++;
    // Sent after the commit: a crash right here loses this email, but it is never sent twice.
    await options.notifier.send(news.customerId, messageFor(news));
  }

  options.bus.subscribe('OrderConfirmed', (event) => tell(event, { ...event.data, kind: 'order_confirmed' }));
  options.bus.subscribe('OrderRejected', (event) => tell(event, { ...event.data, kind: 'order_rejected' }));
  options.bus.subscribe('OrderCancelled', (event) => tell(event, { ...event.data, kind: 'order_cancelled' }));
  // #endregion idempotent-consumer

  // #region welcome
  // A second consumer of OrderConfirmed: welcome a customer after their first order. The
  // customer's id is its idempotency key: a duplicate event, or a later order, finds the
  // customer already welcomed.
  options.bus.subscribe('OrderConfirmed', async (event) => {
    const { customerId, orderId } = event.data;
    if (!(await notifications.welcomeOnce(customerId, orderId))) return;
    await options.notifier.send(customerId, `Welcome to the shop, ${customerId}! Thank you for your first order.`);
  });
  // #endregion welcome

  return {
    listForCustomer: (customerId) => notifications.listByCustomer(customerId),
    deliveries: () => ({ ...counted }),
  };
}
// #endregion notifications-index
