// The notifications module: telling customers what happened to their orders, and keeping a
// record of it. This file is its public interface, the only file other code may import;
// everything else in this folder is private to the module, and so is its table in the
// notifications schema.

import { centsOf } from '../../shared/event-versions.ts';
import type { Envelope, Handlers } from '../../shared/events.ts';
import type { Clock, Database, IdGenerator } from '../../shared/ports.ts';
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

export interface Notifications {
  listForCustomer(customerId: string): Promise<Notification[]>;
}

// Nobody calls this module to notify: its consumer hands it the orders module's events.
export function createNotifications(options: {
  db: Database;
  notifier: Notifier;
  clock: Clock;
  ids: IdGenerator;
}): Notifications & { handlers: Handlers } {
  const notifications = new PostgresNotifications(options.db);

  // #region idempotent-consumer
  // Events arrive at least once. The event's id goes into the inbox in the same transaction
  // as the notification, so a second delivery of the same event finds its id there and
  // changes nothing: one notification per final status, however often the event comes.
  async function tell(event: Envelope, news: OrderNews): Promise<'processed' | 'duplicate'> {
    const notification: Notification = {
      id: options.ids.next('ntf'),
      customerId: news.customerId,
      orderId: news.orderId,
      kind: news.kind,
      createdAt: options.clock.now(),
    };
    if (!(await notifications.addOnce(event.id, notification))) return 'duplicate'; // seen it before
    // Sent after the commit: a crash right here loses this email, but it is never sent twice.
    await options.notifier.send(news.customerId, messageFor(news));
    return 'processed';
  }

  const handlers: Handlers = {
    OrderConfirmed: (event) => tell(event, { ...event.data, kind: 'order_confirmed' }),
    // #region read-both-versions
    // Version 2 of the same fact (src/shared/event-versions.ts): read as what it is, its total
    // turned back into cents. While the shop publishes both, they carry one id, so the inbox
    // lets through whichever comes first and ignores the other.
    OrderConfirmedV2: (event) => {
      const { total, ...facts } = event.data;
      return tell(event, { ...facts, totalCents: centsOf(total), kind: 'order_confirmed' });
    },
    // #endregion read-both-versions
    OrderRejected: (event) => tell(event, { ...event.data, kind: 'order_rejected' }),
    OrderCancelled: (event) => tell(event, { ...event.data, kind: 'order_cancelled' }),
  };
  // #endregion idempotent-consumer

  return {
    listForCustomer: (customerId) => notifications.listByCustomer(customerId),
    handlers,
  };
}
// #endregion notifications-index
