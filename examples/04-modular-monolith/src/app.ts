// The one place that builds the modules and plugs them together, and the one place that
// picks concrete adapters for their ports. Each module is reached only through its public
// interface (src/modules/<name>/index.ts); nothing here knows what is inside one.

import { FakeCardProcessor } from './adapters/card-processor.ts';
import { SequentialIds, systemClock } from './adapters/clock-and-ids.ts';
import type { Database } from './shared/ports.ts';
import { ConsoleNotifier, InMemoryNotifier } from './adapters/notifiers.ts';
import { createInventory } from './modules/inventory/index.ts';
import type { Inventory } from './modules/inventory/index.ts';
import { createNotifications } from './modules/notifications/index.ts';
import type { Notifications, Notifier } from './modules/notifications/index.ts';
import { createOrders } from './modules/orders/index.ts';
import type { Orders } from './modules/orders/index.ts';
import { createPayments } from './modules/payments/index.ts';
import type { Payments } from './modules/payments/index.ts';

export type App = { inventory: Inventory; orders: Orders; payments: Payments; notifications: Notifications };

// #region wiring
// Tests may hand in their own notifier; the shop itself uses the one picked below.
export function createApp(db: Database, options: { notifier?: Notifier } = {}): App {
  const clock = systemClock;
  const ids = new SequentialIds();
  // #region experiment-notifier
  const notifier = options.notifier ?? new ConsoleNotifier(); // try: new InMemoryNotifier()
  // #endregion experiment-notifier

  const inventory = createInventory(db);
  const payments = createPayments({ db, cards: new FakeCardProcessor(), ids });
  const notifications = createNotifications({ db, notifier, clock, ids });
  // Orders depends on the other three, and only on what their index.ts exports.
  const orders = createOrders({ db, inventory, payments, notifications, clock, ids });
  return { inventory, orders, payments, notifications };
}
// #endregion wiring
