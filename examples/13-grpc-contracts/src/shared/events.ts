// Shared by every service: the events that travel through the broker, and what the code on
// either side of it needs to know about them. This file is the contract between the
// services, as the HTTP routes are for the shop's clients.

// #region events
type Line = { sku: string; quantity: number };
type OrderFacts = { orderId: string; customerId: string; items: Line[]; totalCents: number };

export type ShopEvents = {
  // published by the orders module: the final step of every order's saga. (Stage 8's other
  // events are gone: the orchestrator asks inventory and payments over HTTP instead.)
  OrderConfirmed: OrderFacts;
  OrderRejected: OrderFacts & { reason: 'out_of_stock' | 'payment_declined' | 'payment_unavailable' | 'unknown_sku' };
  OrderCancelled: OrderFacts & { note: string };
};
export type EventType = keyof ShopEvents;

// An event as it travels: a unique id (consumers use it to spot a second delivery), its
// type, when it happened, and its data.
export type Envelope<K extends EventType = EventType> = {
  [T in K]: { id: string; type: T; occurredAt: string; data: ShopEvents[T] };
}[K];

// The topic an event is published on: shop/events/OrderConfirmed, ...
export const topicOf = (type: EventType) => `shop/events/${type}`;
export const EVENT_TYPES: EventType[] = ['OrderConfirmed', 'OrderRejected', 'OrderCancelled'];
// #endregion events

// #region ports
// What a consumer's handler answers: it did the work, or the event's id was already in its
// inbox and it changed nothing.
export type Outcome = 'processed' | 'duplicate';
export type Handlers = { [K in EventType]?: (event: Envelope<K>) => Promise<Outcome> };

// Publishes one event and resolves once the broker has taken responsibility for it (the
// PUBACK of a QoS 1 publish). src/adapters/mqtt.ts implements it.
export interface Publisher {
  publish(event: Envelope): Promise<void>;
}

// A module's outbox, as the relay sees it.
export interface Outbox {
  unpublished(limit: number): Promise<Envelope[]>;
  markPublished(eventId: string): Promise<void>;
  // Everything published in the last `seconds` is to be published again (the broker lost it).
  republishSince(seconds: number): Promise<number>;
  find(eventId: string): Promise<Envelope | undefined>;
  latest(type: EventType): Promise<Envelope | undefined>;
}
// #endregion ports
