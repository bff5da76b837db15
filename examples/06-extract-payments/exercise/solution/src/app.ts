// The one place that builds the modules and plugs them together, and the one place that
// picks concrete adapters for their ports, including which payments the orders module gets. Each module is reached only through its public
// interface (src/modules/<name>/index.ts); nothing here knows what is inside one.

import { RandomIds, systemClock } from './adapters/clock-and-ids.ts';
import type { Database } from './shared/ports.ts';
import { HttpPayments } from './adapters/http-payments.ts';
import { ConsoleNotifier, InMemoryNotifier } from './adapters/notifiers.ts';
import type { PaymentsSwitch } from './adapters/parallel-run.ts';
import { plantInService, type Planted } from './adapters/planted-bug.ts';
import { createInventory } from './modules/inventory/index.ts';
import type { Inventory } from './modules/inventory/index.ts';
import { createNotifications } from './modules/notifications/index.ts';
import type { Notifications, Notifier } from './modules/notifications/index.ts';
import { createOrders } from './modules/orders/index.ts';
import type { OrderEvents, Orders } from './modules/orders/index.ts';
import type { Payments } from './modules/payments/index.ts';
import { EventBus } from './shared/bus.ts';

export type App = {
  inventory: Inventory;
  orders: Orders;
  payments: Payments;
  notifications: Notifications;
  bus: EventBus<OrderEvents>;
  // the flags and the log of the parallel run, when there is a payments service
  parallelRun?: PaymentsSwitch;
  // chapter 6's experiment: switches the payments service's planted bug (planted-bug.ts)
  plantBug?: (planted: Planted) => Promise<Planted>;
};

// #region experiment-switches
// The chapter's experiment. Set these in the environment (CRASH_AFTER_COMMIT=1 npm start)
// or change them right here.
export const switches = {
  // OUTBOX=off: commit the order's change, then publish its event from memory
  useOutbox: process.env.OUTBOX !== 'off',
  // CRASH_AFTER_COMMIT=1: stop the process dead right after a change is committed, before
  // its event is published, as a power cut or a kill -9 would
  crashAfterCommit: process.env.CRASH_AFTER_COMMIT === '1',
  // DELIVER_TWICE=1: the relay publishes every event twice, as at-least-once delivery may
  deliverTwice: process.env.DELIVER_TWICE === '1',
};
// #endregion experiment-switches

function paymentsUrlOf(options: { paymentsUrl?: string }): string {
  if (!options.paymentsUrl) throw new Error('createApp needs the payments service\'s URL (paymentsUrl), or a Payments');
  return options.paymentsUrl;
}

function crash(): void {
  console.error('CRASH_AFTER_COMMIT: the change is committed; stopping now, before its event is published');
  process.exit(137);
}

// #region wiring
// Tests may hand in their own notifier and switches; the shop itself uses the ones above.
export function createApp(
  db: Database,
  options: { notifier?: Notifier; paymentsUrl?: string; payments?: Payments } & Partial<typeof switches> = {},
): App {
  const { useOutbox, crashAfterCommit, deliverTwice } = { ...switches, ...options };
  const clock = systemClock;
  const ids = new RandomIds();
  // #region experiment-notifier
  const notifier = options.notifier ?? new ConsoleNotifier(); // try: new InMemoryNotifier()
  // #endregion experiment-notifier
  const bus = new EventBus<OrderEvents>();

  const inventory = createInventory(db);
  // #region payments-choice
  // #region delete-in-process
  // The extraction is finished: the shop has no payments module of its own any more. The
  // orders module gets the payments service, through the same Payments interface as ever.
  // (Tests that run the shop in one process hand in a Payments of their own.)
  const payments: Payments = options.payments ?? new HttpPayments({ baseUrl: paymentsUrlOf(options) });
  // #endregion delete-in-process
  // #endregion payments-choice
  // Notifications subscribes to the orders module's events on the bus.
  const notifications = createNotifications({ db, notifier, clock, ids, bus });
  // Orders depends on inventory and payments, and only on what their index.ts exports; it
  // publishes its events on the bus through its outbox.
  const orders = createOrders({
    db,
    inventory,
    payments,
    bus,
    clock,
    ids,
    useOutbox,
    deliverTwice,
    ...(crashAfterCommit ? { afterCommit: crash } : {}),
  });
  const { paymentsUrl } = options;
  return { inventory, orders, payments, notifications, bus, ...(paymentsUrl ? { plantBug: (planted: Planted) => plantInService(paymentsUrl, planted) } : {}) };
}
// #endregion wiring
