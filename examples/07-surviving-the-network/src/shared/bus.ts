// A typed in-process event bus. Modules publish events and subscribe to them by name; the
// types say which data each event carries, so a handler cannot get the wrong shape.

// #region event-bus
// An event as it travels: a unique id (consumers use it to spot a second delivery), its
// type, when it happened, and its data.
export type Envelope<Events, K extends keyof Events = keyof Events> = {
  [T in K]: { id: string; type: T; occurredAt: string; data: Events[T] };
}[K];

type Handler<Events, K extends keyof Events> = (event: Envelope<Events, K>) => Promise<void>;

export class EventBus<Events> {
  private handlers = new Map<keyof Events, Handler<Events, any>[]>();

  subscribe<K extends keyof Events>(type: K, handler: Handler<Events, K>): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
  }

  // Hands the event to every subscriber, one after another, and resolves when all of them
  // have handled it. If one fails, publish fails: whoever published can try again later.
  async publish(event: Envelope<Events>): Promise<void> {
    for (const handler of this.handlers.get(event.type) ?? []) await handler(event);
  }
}
// #endregion event-bus
