// Ports: what the domain needs from the outside world, written as interfaces. The domain
// calls these and never learns what is behind them; adapters (src/adapters/) implement
// them, and src/main.ts picks which ones run.
//
// Every port returns a promise, even though the in-memory adapters of this stage answer at
// once: a database or a card processor is a network call away, and an interface that only
// fits the in-memory adapter would have to change the day the real one arrives.

import type { Notification, Order, OrderLine, OrderStatus, Payment, Product, RejectReason } from './model.ts';

// #region ports
export interface ProductRepository {
  // every product, sorted by sku
  list(): Promise<Product[]>;
  get(sku: string): Promise<Product | undefined>;
  // false (and nothing stored) when the sku is taken
  add(product: Product): Promise<boolean>;
  // Takes the stock for every line, or for none of them when any line is short, and
  // answers whether it did. One step: two reservations never both see the last unit.
  reserve(lines: OrderLine[]): Promise<boolean>;
  // puts reserved stock back
  release(lines: OrderLine[]): Promise<void>;
}

export type IdempotencyKey = { key: string; fingerprint: string };

export interface OrderRepository {
  // Stores a new order. With an idempotency key it does so only if the key is new, in the
  // same step; when the key was used before it stores nothing and returns what the key
  // was first used for.
  add(order: Order, idempotency?: IdempotencyKey): Promise<{ fingerprint: string; order: Order } | undefined>;
  get(id: string): Promise<Order | undefined>;
  // a customer's orders, newest first
  listByCustomer(customerId: string, offset: number, limit: number): Promise<Order[]>;
  // Moves an order from one status to another and answers whether it did: false when the
  // order is no longer in status `from` (somebody else got there first).
  changeStatus(id: string, from: OrderStatus, to: OrderStatus, reason?: RejectReason): Promise<boolean>;
}

export interface PaymentRepository {
  add(payment: Payment): Promise<void>;
  listByOrder(orderId: string): Promise<Payment[]>;
  // captured -> refunded for every captured payment of the order; returns those payments
  markRefunded(orderId: string): Promise<Payment[]>;
}

export interface NotificationRepository {
  add(notification: Notification): Promise<void>;
  listByCustomer(customerId: string): Promise<Notification[]>;
}

// The card processor: a payment provider outside our walls.
export interface CardProcessor {
  charge(orderId: string, amountCents: number): Promise<'captured' | 'declined'>;
  refund(orderId: string, amountCents: number): Promise<void>;
}

// How a customer is told: an email, a text message, a push notification...
export interface Notifier {
  send(customerId: string, text: string): Promise<void>;
}

export interface Clock {
  // the current time as an ISO 8601 string
  now(): string;
}

export interface IdGenerator {
  // a new id starting with the prefix, e.g. ord_7
  next(prefix: string): string;
}

// Everything the domain works with, handed to it by whoever starts the shop.
export type Shop = {
  products: ProductRepository;
  orders: OrderRepository;
  payments: PaymentRepository;
  notifications: NotificationRepository;
  cards: CardProcessor;
  notifier: Notifier;
  clock: Clock;
  ids: IdGenerator;
};
// #endregion ports
