// The orders module: placing, cancelling and listing orders, and (since stage 9) the saga
// that takes each order to its final status. This file is its public interface, the only file other code
// may import; everything else in this folder is private to the module, and so are its
// tables in the orders schema.

import type { Outbox, Publisher } from '../../shared/events.ts';
import { PostgresOutbox } from '../../shared/outbox.ts';
import { OutboxRelay } from '../../shared/relay.ts';
import type { Clock, Database, IdGenerator } from '../../shared/ports.ts';
import type { Catalogue } from '../inventory/index.ts';
import type { Order, OrderRequest } from './model.ts';
import { BACKLOG_LIMIT } from './backlog.ts';
import { PostgresOrders } from './orders.ts';
import type { Saga } from './saga/model.ts';
import type { SagaInventory, SagaPayments } from './saga/ports.ts';
import { PostgresSagas } from './saga/repository.ts';
import { SagaRunner } from './saga/runner.ts';
export type { SagaRunner } from './saga/runner.ts';
import type { RunnerOptions } from './saga/runner.ts';
import { cancelOrder, getOrder, listOrders, placeOrder, settleOrder } from './service.ts';
import type { PlacedOrder } from './service.ts';

// #region orders-index
export type { Order, OrderLine, OrderRequest, OrderStatus, RejectReason } from './model.ts';
export type { PlacedOrder } from './service.ts';
export { orderTotalCents } from './model.ts';
export { PAGE_SIZE } from './service.ts';
export { BACKLOG_LIMIT } from './backlog.ts';
export { validateIdempotencyKey, validateOrderRequest } from './validate.ts';
export type { Saga, Step } from './saga/model.ts';
export { FORWARD } from './saga/model.ts';
export type { SagaInventory, SagaPayments } from './saga/ports.ts';

export interface Orders {
  placeOrder(request: OrderRequest, idempotencyKey?: string): Promise<PlacedOrder>;
  cancelOrder(orderId: string, note: string): Promise<Order>;
  getOrder(orderId: string): Promise<Order>;
  // a customer's orders, newest first, PAGE_SIZE to a page
  listOrders(customerId: string, page: number): Promise<Order[]>;
  // the newest sagas with their steps, as stored (GET /ops/sagas)
  sagas(limit: number): Promise<Saga[]>;
  // its outbox, and the relay that publishes it: start() it once the process is up
  outbox: Outbox;
  relay: OutboxRelay;
}

export function createOrders(options: {
  db: Database;
  catalogue: Pick<Catalogue, 'findProduct'>;
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
    sagas: (limit) => new PostgresSagas(options.db).latest(limit),
    outbox,
    relay,
  };
}

// #region order-saga
// The orchestrator's side of the module: the runner of the place-order saga, with the other
// services' commands as ports (over HTTP in src/orchestrator-main.ts) and the final step
// done here, in the orders schema. Its event goes into the module's outbox, which the
// relay in the shop process publishes, as in stage 8.
export function createOrderSaga(
  options: { db: Database; inventory: SagaInventory; payments: SagaPayments; clock: Clock; ids: IdGenerator } & Pick<RunnerOptions, 'pollMs' | 'giveUpAfterMs' | 'retryDelay' | 'log'>,
): SagaRunner {
  const deps = { orders: new PostgresOrders(options.db), catalogue: { findProduct: async () => undefined }, clock: options.clock, ids: options.ids, backlogLimit: 0 };
  return new SagaRunner({
    ...options,
    sagas: new PostgresSagas(options.db),
    orders: { settle: (orderId, status, reason) => settleOrder(deps, orderId, status, reason) },
  });
}
// #endregion order-saga
// #endregion orders-index
