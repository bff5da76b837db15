// The orders module: placing, cancelling and listing orders. This file is its public
// interface, the only file other code may import; everything else in this folder is private
// to the module, and so are its tables in the orders schema.

import type { EventBus } from '../../shared/bus.ts';
import type { Clock, Database, IdGenerator } from '../../shared/ports.ts';
import type { Inventory } from '../inventory/index.ts';
import type { Payments } from '../payments/index.ts';
import type { OrderEvents } from './events.ts';
import type { Order, OrderRequest } from './model.ts';
import { PostgresOrders } from './orders.ts';
import { OutboxRelay } from './relay.ts';
import { cancelOrder, getOrder, listOrders, placeOrder } from './service.ts';
import type { PlacedOrder } from './service.ts';

// #region orders-index
export type { OrderEvent, OrderEvents } from './events.ts';
export type { Order, OrderLine, OrderRequest, OrderStatus, RejectReason } from './model.ts';
export type { PlacedOrder } from './service.ts';
export { orderTotalCents } from './model.ts';
export { PAGE_SIZE } from './service.ts';
export { validateIdempotencyKey, validateOrderRequest } from './validate.ts';

export interface Orders {
  placeOrder(request: OrderRequest, idempotencyKey?: string): Promise<PlacedOrder>;
  cancelOrder(orderId: string, note: string): Promise<Order>;
  getOrder(orderId: string): Promise<Order>;
  // a customer's orders, newest first, PAGE_SIZE to a page
  listOrders(customerId: string, page: number): Promise<Order[]>;
  // publishes the outbox's events on the bus: start() it once everyone has subscribed
  relay: { start(): void; stop(): Promise<void>; deliverPending(): Promise<number> };
}

// The orders module needs inventory and payments through their public interfaces, and a
// bus to publish its events on (OrderEvents, exported above).
export function createOrders(options: {
  db: Database;
  inventory: Inventory;
  payments: Payments;
  bus: EventBus<OrderEvents>;
  clock: Clock;
  ids: IdGenerator;
  useOutbox?: boolean;
  afterCommit?: () => void;
  deliverTwice?: boolean;
}): Orders {
  const orders = new PostgresOrders(options.db);
  const relay = new OutboxRelay(orders, options.bus, { deliverTwice: options.deliverTwice ?? false });
  const deps = { ...options, orders, relay, useOutbox: options.useOutbox ?? true };
  return {
    placeOrder: (request, idempotencyKey) => placeOrder(deps, request, idempotencyKey),
    cancelOrder: (orderId, note) => cancelOrder(deps, orderId, note),
    getOrder: (orderId) => getOrder(deps, orderId),
    listOrders: (customerId, page) => listOrders(deps, customerId, page),
    relay,
  };
}
// #endregion orders-index
