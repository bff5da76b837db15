// The orders module: placing, cancelling and listing orders, and the steps that follow
// from inventory's answers. This file is its public interface, the only file other code
// may import; everything else in this folder is private to the module, and so are its
// tables in the orders schema.

import type { Handlers, Outbox, Publisher } from '../../shared/events.ts';
import { PostgresOutbox } from '../../shared/outbox.ts';
import { OutboxRelay } from '../../shared/relay.ts';
import type { Clock, Database, IdGenerator } from '../../shared/ports.ts';
import type { Catalogue } from '../inventory/index.ts';
import type { Payments } from '../payments/index.ts';
import type { Order, OrderRequest } from './model.ts';
import { BACKLOG_LIMIT } from './backlog.ts';
import { PostgresOrders } from './orders.ts';
import { cancelOrder, getOrder, listOrders, onStockRejected, onStockReleased, onStockReserved, placeOrder } from './service.ts';
import type { PlacedOrder } from './service.ts';

// #region orders-index
export type { Order, OrderLine, OrderRequest, OrderStatus, RejectReason } from './model.ts';
export type { PlacedOrder } from './service.ts';
export { orderTotalCents } from './model.ts';
export { PAGE_SIZE } from './service.ts';
export { validateIdempotencyKey, validateOrderRequest } from './validate.ts';
export { BACKLOG_LIMIT } from './backlog.ts';

export interface Orders {
  placeOrder(request: OrderRequest, idempotencyKey?: string): Promise<PlacedOrder>;
  cancelOrder(orderId: string, note: string): Promise<Order>;
  getOrder(orderId: string): Promise<Order>;
  // a customer's orders, newest first, PAGE_SIZE to a page
  listOrders(customerId: string, page: number): Promise<Order[]>;
  // what the module does with inventory's answers (the consumer hands it the events)
  handlers: Handlers;
  // its outbox, and the relay that publishes it: start() it once the process is up
  outbox: Outbox;
  relay: OutboxRelay;
}

export function createOrders(options: {
  db: Database;
  catalogue: Pick<Catalogue, 'findProduct'>;
  payments: Payments;
  publisher: Publisher;
  clock: Clock;
  ids: IdGenerator;
  // the most unfinished orders before POST /orders answers 503 overloaded (0: no bound)
  backlogLimit?: number;
}): Orders {
  const orders = new PostgresOrders(options.db);
  const outbox = new PostgresOutbox(options.db, 'orders');
  const relay = new OutboxRelay(outbox, options.publisher);
  const deps = { ...options, orders, relay, backlogLimit: options.backlogLimit ?? BACKLOG_LIMIT };
  return {
    placeOrder: (request, idempotencyKey) => placeOrder(deps, request, idempotencyKey),
    cancelOrder: (orderId, note) => cancelOrder(deps, orderId, note),
    getOrder: (orderId) => getOrder(deps, orderId),
    listOrders: (customerId, page) => listOrders(deps, customerId, page),
    handlers: {
      StockReserved: (event) => onStockReserved(deps, event),
      StockRejected: (event) => onStockRejected(deps, event),
      StockReleased: (event) => onStockReleased(deps, event),
    },
    outbox,
    relay,
  };
}
// #endregion orders-index
