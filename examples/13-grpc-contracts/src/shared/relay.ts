// The outbox relay, one per service that publishes: it takes the events its module wrote
// to its outbox (in the same transaction as the change they announce) and publishes them
// to the broker.

import type { Outbox, Publisher } from './events.ts';

// How often the relay looks at the outbox when nobody wakes it, and how many events it
// takes per look.
const POLL_MS = 200;
const BATCH = 50;

// #region relay
// Publish, wait for the broker's PUBACK, then mark the row published. A crash (or a broker
// that never answers) between the two leaves the row unpublished, and it is published
// again: at least once, so every consumer keeps an inbox. A publish that fails stops the
// round; the event stays in the outbox and is tried again on the next one.
export class OutboxRelay {
  private outbox: Outbox;
  private publisher: Publisher;
  private stopped = false;
  private woken = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private log: (line: string) => void;

  constructor(outbox: Outbox, publisher: Publisher, log: (line: string) => void = console.error) {
    this.outbox = outbox;
    this.publisher = publisher;
    this.log = log;
  }

  // One round: everything unpublished right now. Returns how many events it published.
  async publishPending(): Promise<number> {
    let published = 0;
    for (;;) {
      const events = await this.outbox.unpublished(BATCH);
      for (const event of events) {
        await this.publisher.publish(event);
        await this.outbox.markPublished(event.id);
        published += 1;
      }
      if (events.length < BATCH) return published;
    }
  }
  // #endregion relay

  // #region replay
  // The broker lost what it held (it was restarted and keeps its sessions in memory): the
  // events of the last `seconds` go out again. Consumers that had them ignore them.
  async replay(seconds: number): Promise<number> {
    const count = await this.outbox.republishSince(seconds);
    this.wake();
    return count;
  }
  // #endregion replay

  // Runs rounds until stopped: every POLL_MS, or at once when woken after a commit.
  start(): void {
    this.loop ??= (async () => {
      let failing = false;
      while (!this.stopped) {
        this.woken = false;
        try {
          await this.publishPending();
          if (failing) this.log('relay: publishing again');
          failing = false;
        } catch (error) {
          if (!failing) this.log(`relay: publishing failed, will try again: ${error instanceof Error ? error.message : String(error)}`);
          failing = true;
        }
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
