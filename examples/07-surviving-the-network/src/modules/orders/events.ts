// Private to the orders module (its index.ts re-exports the types): the events it publishes.

import type { Envelope } from '../../shared/bus.ts';
import type { RejectReason } from './model.ts';

// #region order-events
// What the orders module announces when an order reaches a final status. Other modules
// subscribe to these instead of being called; each event carries what they need to know.
type OrderFacts = {
  orderId: string;
  customerId: string;
  items: { sku: string; quantity: number }[];
  totalCents: number;
};

export type OrderEvents = {
  OrderConfirmed: OrderFacts;
  OrderRejected: OrderFacts & { reason: RejectReason };
  OrderCancelled: OrderFacts & { note: string };
};

export type OrderEvent = Envelope<OrderEvents>;
// #endregion order-events
