// Private to the orders module: placing and cancelling orders. Since stage 9 POST /orders
// stores the order as pending together with its saga, and the orchestrator (a process of
// its own, src/orchestrator-main.ts) runs the saga's steps: reserve, charge, confirm, and
// the compensations when one fails. Stage 8's event handlers are gone: one place directs
// the steps (orchestration) instead of each service reacting to the others (choreography).

import { invalid, ShopError } from '../../shared/errors.ts';
import type { Envelope, EventType, ShopEvents } from '../../shared/events.ts';
import type { OutboxRelay } from '../../shared/relay.ts';
import type { Clock, IdGenerator } from '../../shared/ports.ts';
// #region experiment-imports
import type { Catalogue } from '../inventory/index.ts';
// #endregion experiment-imports
import { orderTotalCents } from './model.ts';
import type { Order, OrderLine, OrderRequest, RejectReason } from './model.ts';
import type { PostgresOrders } from './orders.ts';
import { validateOrderTotal } from './validate.ts';
import { orderDeadline, startSaga } from './saga/model.ts';
import { admit } from './backlog.ts';

// #region deps
// What the orders module works with: its own tables, the catalogue (over HTTP, through its
// interface), and the relay that publishes its outbox (in the orchestrator only, since stage 10).
export type Deps = {
  orders: PostgresOrders;
  catalogue: Pick<Catalogue, 'findProduct'>;
  relay?: Pick<OutboxRelay, 'wake'>;
  clock: Clock;
  ids: IdGenerator;
  // the most unfinished orders before POST /orders answers 503 (backlog.ts); 0: no bound
  backlogLimit: number;
};
// #endregion deps

// #region events
function event<K extends EventType>(deps: Deps, type: K, data: ShopEvents[K]): Envelope {
  return { id: deps.ids.next('evt'), type, occurredAt: deps.clock.now(), data } as Envelope;
}

const factsOf = (order: Order) => ({
  orderId: order.id,
  customerId: order.customerId,
  items: order.items.map(({ sku, quantity }) => ({ sku, quantity })),
  totalCents: orderTotalCents(order),
});
// #endregion events

// #region place-order
export type PlacedOrder = { order: Order; replayed: boolean };

// `budgetMs`: the time the request that places the order has left (the gateway says it), which
// becomes the order's deadline (saga/model.ts, orderDeadline).
export async function placeOrder(deps: Deps, request: OrderRequest, idempotencyKey?: string, budgetMs?: number): Promise<PlacedOrder> {
  // Backpressure first: a shop too far behind refuses before it prices or stores anything.
  await admit(deps.backlogLimit, () => deps.orders.unfinished());
  // Price every line from the catalogue (inventory's HTTP API). An unknown sku refuses the
  // whole order before anything is stored, so the client can fix it and try again.
  const lines: OrderLine[] = [];
  for (const item of request.items) {
    const product = await deps.catalogue.findProduct(item.sku);
    if (!product) throw new ShopError('unknown_sku', `items: unknown sku ${item.sku}`);
    lines.push({ sku: item.sku, quantity: item.quantity, unitPriceCents: product.priceCents });
  }
  validateOrderTotal(lines);
  const order: Order = { id: deps.ids.next('ord'), customerId: request.customerId, items: lines, status: 'pending', createdAt: deps.clock.now() };

  // The order, its idempotency key and its saga are stored together. That is all: the order
  // answers 202 pending, and the orchestrator takes it from here.
  const idempotency = idempotencyKey === undefined ? undefined : { key: idempotencyKey, fingerprint: JSON.stringify(request) };
  const saga = startSaga({ id: order.id, customerId: order.customerId, lines: lines, totalCents: orderTotalCents(order) }, order.createdAt, orderDeadline(order.createdAt, budgetMs));
  const earlier = await deps.orders.add(order, saga, idempotency);
  if (earlier) {
    if (earlier.fingerprint !== idempotency?.fingerprint) {
      throw new ShopError('idempotency_key_reused', 'Idempotency-Key was already used for a different request');
    }
    return { order: earlier.order, replayed: true };
  }
  return { order, replayed: false };
}
// #endregion place-order

// #region settle-order
// The saga's final step, run by the orchestrator: the order's status and its event
// (OrderConfirmed, OrderRejected or OrderCancelled, for notifications) in one transaction.
export async function settleOrder(deps: Deps, orderId: string, status: 'confirmed' | 'rejected' | 'cancelled', reason?: RejectReason): Promise<void> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new Error(`saga for an order that does not exist: ${orderId}`);
  const facts = factsOf(order);
  const announce =
    status === 'confirmed' ? event(deps, 'OrderConfirmed', facts)
    : status === 'cancelled' ? event(deps, 'OrderCancelled', { ...facts, note: await deps.orders.cancelNote(orderId) })
    : event(deps, 'OrderRejected', { ...facts, reason: reason ?? 'out_of_stock' });
  if (await deps.orders.settle(orderId, status, reason, announce)) deps.relay?.wake();
}
// #endregion settle-order

// #region cancel-order
// A cancellation is asked for (answered 202): the saga turns round at its next step and
// undoes what it did, newest first (refund, release), then the order becomes cancelled.
// Asking again while it is under way answers the same.
export async function cancelOrder(deps: Deps, orderId: string, note: string): Promise<Order> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new ShopError('not_found', `order ${orderId} not found`);
  const changed = await deps.orders.requestCancel(order.id, note);
  const now = changed ? order : await deps.orders.get(order.id);
  if (!changed && !(now?.cancelRequestedAt && (now.status === 'pending' || now.status === 'confirmed'))) {
    throw new ShopError('not_cancellable', `order ${order.id} is ${now?.status ?? order.status} and cannot be cancelled`);
  }
  return now ?? order;
}
// #endregion cancel-order

// #region queries
export const PAGE_SIZE = 20;

export async function getOrder(deps: Deps, orderId: string): Promise<Order> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new ShopError('not_found', `order ${orderId} not found`);
  return order;
}

export async function listOrders(deps: Deps, customerId: string, page: number): Promise<Order[]> {
  if (!Number.isSafeInteger(page) || page < 1) throw invalid('query parameter page must be a whole number from 1 up');
  return deps.orders.listByCustomer(customerId, (page - 1) * PAGE_SIZE, PAGE_SIZE);
}
// #endregion queries
