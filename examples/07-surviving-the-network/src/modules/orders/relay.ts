// Private to the orders module: the relay that takes events out of the outbox and publishes
// them on the bus.

import type { EventBus } from '../../shared/bus.ts';
import type { OrderEvents } from './events.ts';
import type { PostgresOrders } from './orders.ts';

// How often the relay looks at the outbox when nobody wakes it, and how many events it
// takes per look.
const POLL_MS = 200;
const BATCH = 50;

// #region relay
// Delivers every event in the outbox at least once, in the order they were written:
// publish, then mark delivered. A crash between the two means the event is published again
// after the restart, so consumers must cope with seeing an event twice. A consumer that
// fails stops the round; the event stays in the outbox and is tried again on the next one.
export class OutboxRelay {
  private orders: PostgresOrders;
  private bus: EventBus<OrderEvents>;
  private deliverTwice: boolean;
  private stopped = false;
  private woken = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(orders: PostgresOrders, bus: EventBus<OrderEvents>, options: { deliverTwice?: boolean } = {}) {
    this.orders = orders;
    this.bus = bus;
    this.deliverTwice = options.deliverTwice ?? false;
  }

  // One round: everything undelivered right now. Returns how many events it delivered.
  async deliverPending(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const events = await this.orders.undelivered(BATCH);
      for (const event of events) {
        await this.bus.publish(event);
        // The experiment's switch: at-least-once delivery may deliver an event twice.
        if (this.deliverTwice) await this.bus.publish(event);
        await this.orders.markDelivered(event.id);
        delivered += 1;
      }
      if (events.length < BATCH) return delivered;
    }
  }

  // Runs rounds until stopped: every POLL_MS, or at once when woken after a commit.
  start(): void {
    this.loop ??= (async () => {
      while (!this.stopped) {
        this.woken = false;
        try {
          await this.deliverPending();
        } catch (error) {
          console.error(`relay: delivery failed, will try again: ${error instanceof Error ? error.message : String(error)}`);
        }
        // Woken during the round? Then something was committed meanwhile: go again at once.
        if (this.woken || this.stopped) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = undefined;
      }
    })();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  // Lets the round in progress finish, then stops.
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }
}
// #endregion relay
