// The orders module: placing, cancelling and listing orders. This file is its public
// interface, the only file other code may import; everything else in this folder is private
// to the module, and so are its tables in the orders schema.

import type { Clock, Database, IdGenerator } from '../../shared/ports.ts';
import type { Inventory } from '../inventory/index.ts';
import type { Notifications } from '../notifications/index.ts';
import type { Payments } from '../payments/index.ts';
import type { Order, OrderRequest } from './model.ts';
import { PostgresOrders } from './orders.ts';
import { cancelOrder, getOrder, listOrders, placeOrder } from './service.ts';
import type { PlacedOrder } from './service.ts';

// #region orders-index
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
}

// The orders module needs the other three, through their public interfaces.
export function createOrders(options: {
  db: Database;
  inventory: Inventory;
  payments: Payments;
  notifications: Notifications;
  clock: Clock;
  ids: IdGenerator;
}): Orders {
  const deps = { ...options, orders: new PostgresOrders(options.db) };
  return {
    placeOrder: (request, idempotencyKey) => placeOrder(deps, request, idempotencyKey),
    cancelOrder: (orderId, note) => cancelOrder(deps, orderId, note),
    getOrder: (orderId) => getOrder(deps, orderId),
    listOrders: (customerId, page) => listOrders(deps, customerId, page),
  };
}
// #endregion orders-index
