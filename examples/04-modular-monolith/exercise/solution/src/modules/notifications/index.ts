// The notifications module: telling customers what happened to their orders, and keeping a
// record of it. This file is its public interface, the only file other code may import;
// everything else in this folder is private to the module, and so is its table in the
// notifications schema.

import type { Clock, Database, IdGenerator } from '../../shared/ports.ts';
import type { Inventory } from '../inventory/index.ts';
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

// What happened to an order: everything this module needs to tell the customer, so it never
// has to ask the orders module (or read its tables).
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
  // Records the notification (GET /notifications) and tells the customer.
  notify(news: OrderNews): Promise<void>;
  listForCustomer(customerId: string): Promise<Notification[]>;
}

export function createNotifications(options: {
  db: Database;
  notifier: Notifier;
  clock: Clock;
  ids: IdGenerator;
  inventory: Inventory;
}): Notifications {
  const notifications = new PostgresNotifications(options.db);
  return {
    async notify(news) {
      const notification: Notification = {
        id: options.ids.next('ntf'),
        customerId: news.customerId,
        orderId: news.orderId,
        kind: news.kind,
        createdAt: options.clock.now(),
      };
      await notifications.add(notification);
      // The product names belong to the inventory module: ask it, through its index.ts.
      const names = await options.inventory.productNames(news.items.map((item) => item.sku));
      await options.notifier.send(news.customerId, messageFor(news, names));
    },
    listForCustomer: (customerId) => notifications.listByCustomer(customerId),
  };
}
// #endregion notifications-index
