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
export { validateDeadlineHeader, validateIdempotencyKey, validateOrderRequest } from './validate.ts';
export type { Saga, Step } from './saga/model.ts';
export { FORWARD } from './saga/model.ts';
export type { SagaInventory, SagaPayments } from './saga/ports.ts';

export interface Orders {
  placeOrder(request: OrderRequest, idempotencyKey?: string, budgetMs?: number): Promise<PlacedOrder>;
  cancelOrder(orderId: string, note: string): Promise<Order>;
  getOrder(orderId: string): Promise<Order>;
  // a customer's orders, newest first, PAGE_SIZE to a page
  listOrders(customerId: string, page: number): Promise<Order[]>;
  // the newest sagas with their steps, as stored (GET /ops/sagas)
  sagas(limit: number): Promise<Saga[]>;
}

// Since stage 10 the shop runs as several replicas, so it has no relay and no publisher:
// an order's events are written by the orchestrator's final step, and published by the
// orchestrator's relay (createOrdersRelay below), one copy of each loop.
export function createOrders(options: {
  db: Database;
  catalogue: Pick<Catalogue, 'findProduct'>;
  clock: Clock;
  ids: IdGenerator;
  // the most unfinished orders before POST /orders answers 503 overloaded (0: no bound)
  backlogLimit?: number;
}): Orders {
  const orders = new PostgresOrders(options.db);
  const deps = { ...options, orders, backlogLimit: options.backlogLimit ?? BACKLOG_LIMIT };
  return {
    placeOrder: (request, idempotencyKey, budgetMs) => placeOrder(deps, request, idempotencyKey, budgetMs),
    cancelOrder: (orderId, note) => cancelOrder(deps, orderId, note),
    getOrder: (orderId) => getOrder(deps, orderId),
    listOrders: (customerId, page) => listOrders(deps, customerId, page),
    sagas: (limit) => new PostgresSagas(options.db).latest(limit),
  };
}

// #region orders-relay
// The orders outbox and the relay that publishes it, for ONE process (the orchestrator since
// stage 10). Started in every shop replica, it would publish each event once per replica,
// through publishers that share one MQTT clientId and so keep kicking each other off.
export function createOrdersRelay(options: { db: Database; publisher: Publisher }): { outbox: Outbox; relay: OutboxRelay } {
  const outbox = new PostgresOutbox(options.db, 'orders');
  return { outbox, relay: new OutboxRelay(outbox, options.publisher) };
}
// #endregion orders-relay

// #region order-saga
// The orchestrator's side of the module: the runner of the place-order saga, with the other
// services' commands as ports (over HTTP in src/orchestrator-main.ts) and the final step
// done here, in the orders schema. Its event goes into the module's outbox, and `relay`
// (in the same process since stage 10) is woken to publish it at once.
export function createOrderSaga(
  options: { db: Database; inventory: SagaInventory; payments: SagaPayments; clock: Clock; ids: IdGenerator; relay?: Pick<OutboxRelay, 'wake'> } & Pick<
    RunnerOptions,
    'pollMs' | 'giveUpAfterMs' | 'retryDelay' | 'log' | 'traceStep'
  >,
): SagaRunner {
  const deps = { orders: new PostgresOrders(options.db), catalogue: { findProduct: async () => undefined }, clock: options.clock, ids: options.ids, relay: options.relay, backlogLimit: 0 };
  return new SagaRunner({
    ...options,
    sagas: new PostgresSagas(options.db),
    orders: { settle: (orderId, status, reason) => settleOrder(deps, orderId, status, reason) },
  });
}
// #endregion order-saga
// #endregion orders-index
