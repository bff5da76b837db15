// The notifications module: telling customers what happened to their orders, and keeping a
// record of it. This file is its public interface, the only file other code may import;
// everything else in this folder is private to the module, and so is its table in the
// notifications schema.

import type { Envelope, Handlers } from '../../shared/events.ts';
import type { JobQueue } from '../../shared/job-queue.ts';
import type { Clock, Database, IdGenerator } from '../../shared/ports.ts';
import { PostgresNotifications } from './notifications.ts';
import type { Notification, NotificationKind } from './notifications.ts';

// #region notifications-index
export type { Notification, NotificationKind } from './notifications.ts';
// #region jobs-exports
// Since stage 10 telling a customer is a job in a queue (notifications.jobs), done by the
// worker processes (src/worker-main.ts).
export { enqueueNotification, notificationQueue, notificationText, SEND_NOTIFICATION, sendNotification } from './jobs.ts';
// #endregion jobs-exports

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
  // where "send it" goes: notificationQueue(db)
  queue: JobQueue;
  clock: Clock;
  ids: IdGenerator;
}): Notifications & { handlers: Handlers } {
  const notifications = new PostgresNotifications(options.db);

  // #region idempotent-consumer
  // Events arrive at least once. The event's id goes into the inbox in the same transaction
  // as the notification, so a second delivery of the same event finds its id there and
  // changes nothing: one notification per final status, however often the event comes.
  // Since stage 10 the same transaction enqueues the job that sends it: no email is sent
  // here any more, so a crash after the commit loses nothing (until stage 9 it lost the
  // email). A worker sends it, at least once, and its effect is recorded once.
  async function tell(event: Envelope, news: OrderNews): Promise<'processed' | 'duplicate'> {
    const notification: Notification = {
      id: options.ids.next('ntf'),
      customerId: news.customerId,
      orderId: news.orderId,
      kind: news.kind,
      createdAt: options.clock.now(),
    };
    return (await notifications.addOnce(event.id, notification, options.queue, news)) ? 'processed' : 'duplicate';
  }

  const handlers: Handlers = {
    OrderConfirmed: (event) => tell(event, { ...event.data, kind: 'order_confirmed' }),
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
