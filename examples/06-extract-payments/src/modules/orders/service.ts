// Private to the orders module: placing and cancelling orders. Stock and payments belong to
// other modules, reached only through their public interfaces (their index.ts), handed in as
// `deps`. Notifications is no longer called at all: the orders module publishes events, and
// whoever cares subscribes.

import type { EventBus } from '../../shared/bus.ts';
import { invalid, ShopError } from '../../shared/errors.ts';
import type { Clock, IdGenerator } from '../../shared/ports.ts';
// #region experiment-imports
import type { Inventory } from '../inventory/index.ts';
import type { Payments } from '../payments/index.ts';
// #endregion experiment-imports
import type { OrderEvent, OrderEvents } from './events.ts';
import { orderTotalCents } from './model.ts';
import type { Order, OrderLine, OrderRequest, OrderStatus, RejectReason } from './model.ts';
import type { PostgresOrders } from './orders.ts';
import { validateOrderTotal } from './validate.ts';
import type { OutboxRelay } from './relay.ts';

// #region deps
// What the orders module works with: its own tables, the other modules' interfaces, the bus
// and the relay that feeds it, and the experiment's two switches.
export type Deps = {
  orders: PostgresOrders;
  inventory: Inventory;
  payments: Payments;
  bus: EventBus<OrderEvents>;
  relay: OutboxRelay;
  clock: Clock;
  ids: IdGenerator;
  // false: publish straight after the commit instead of through the outbox
  useOutbox: boolean;
  // called right after a status change commits, before anything is published
  afterCommit?: () => void;
};
// #endregion deps

// #region events
// The event that announces an order's final status.
function eventFor(deps: Deps, order: Order, note = ''): OrderEvent {
  const id = deps.ids.next('evt');
  const occurredAt = deps.clock.now();
  const facts = {
    orderId: order.id,
    customerId: order.customerId,
    items: order.items.map(({ sku, quantity }) => ({ sku, quantity })),
    totalCents: orderTotalCents(order),
  };
  if (order.status === 'confirmed') return { id, occurredAt, type: 'OrderConfirmed', data: facts };
  if (order.status === 'cancelled') return { id, occurredAt, type: 'OrderCancelled', data: { ...facts, note } };
  return { id, occurredAt, type: 'OrderRejected', data: { ...facts, reason: order.reason ?? 'unknown_sku' } };
}

// #region publish
// Moves an order to its new status and gets the event out. With the outbox, the status and
// the event are committed together and the relay publishes the event afterwards: a crash
// can delay the event, never lose it. Without it, the status is committed and then the
// event is published from memory: a crash in between loses the event for good.
async function changeStatus(deps: Deps, order: Order, from: OrderStatus, note = ''): Promise<boolean> {
  const event = eventFor(deps, order, note);
  if (deps.useOutbox) {
    const changed = await deps.orders.changeStatus(order.id, from, order.status, order.reason, event);
    if (changed) deps.afterCommit?.();
    if (changed) deps.relay.wake();
    return changed;
  }
  const changed = await deps.orders.changeStatus(order.id, from, order.status, order.reason);
  if (changed) deps.afterCommit?.();
  if (changed) await deps.bus.publish(event);
  return changed;
}
// #endregion publish

// Every new order that reaches a final status passes through here, so it gets exactly one
// event for that status.
async function finish(deps: Deps, order: Order, status: OrderStatus, reason?: RejectReason): Promise<void> {
  order.status = status;
  if (reason) order.reason = reason;
  await changeStatus(deps, order, 'pending');
}
// #endregion events

// #region place-order
export type PlacedOrder = { order: Order; replayed: boolean };

export async function placeOrder(deps: Deps, request: OrderRequest, idempotencyKey?: string): Promise<PlacedOrder> {
  // Price every line from the catalogue. An unknown sku refuses the whole order before
  // anything is stored, so the client can fix it and try again.
  const lines: OrderLine[] = [];
  for (const item of request.items) {
    const product = await deps.inventory.findProduct(item.sku);
    if (!product) throw new ShopError('unknown_sku', `items: unknown sku ${item.sku}`);
    lines.push({ sku: item.sku, quantity: item.quantity, unitPriceCents: product.priceCents });
  }
  validateOrderTotal(lines);

  const order: Order = {
    id: deps.ids.next('ord'),
    customerId: request.customerId,
    items: lines,
    status: 'pending',
    createdAt: deps.clock.now(),
  };
  // #region idempotency
  // A client whose request timed out cannot tell whether the order went through, so it
  // sends the same request again with the same Idempotency-Key. The repository stores the
  // order and claims the key in one step; if the key was used before, we answer with the
  // order made the first time instead of making, and charging, a second one. The key is
  // tied to the exact request, so reusing it for a different order is refused.
  const idempotency = idempotencyKey === undefined ? undefined : { key: idempotencyKey, fingerprint: JSON.stringify(request) };
  const earlier = await deps.orders.add(order, idempotency);
  if (earlier) {
    if (earlier.fingerprint !== idempotency?.fingerprint) {
      throw new ShopError('idempotency_key_reused', 'Idempotency-Key was already used for a different request');
    }
    return { order: earlier.order, replayed: true };
  }
  // #endregion idempotency

  // Check the stock of every line and reserve it, as one step of the inventory module.
  // Another request can run while we wait, so we do not check first and subtract later:
  // inventory does both at once.
  if (!(await deps.inventory.reserve(lines))) {
    await finish(deps, order, 'rejected', 'out_of_stock');
    return { order, replayed: false };
  }

  // Charge the card for the whole order; the payments module records the attempt.
  const payment = await deps.payments.charge(order.id, orderTotalCents(order));
  if (payment.status === 'declined') {
    // The reservation only stands if the order is paid for: give the stock back.
    await deps.inventory.release(lines);
    await finish(deps, order, 'rejected', 'payment_declined');
    return { order, replayed: false };
  }

  await finish(deps, order, 'confirmed');
  return { order, replayed: false };
}
// #endregion place-order

// #region cancel-order
export async function cancelOrder(deps: Deps, orderId: string, note: string): Promise<Order> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new ShopError('not_found', `order ${orderId} not found`);
  // Here an order is final by the time POST /orders answers, so 'pending' is never seen
  // from outside and only a confirmed order can still be cancelled. The status changes
  // first, in one step: of two cancels racing each other only one gets past this line, so
  // the money and the stock go back once.
  const status = order.status;
  order.status = 'cancelled';
  if (status !== 'confirmed' || !(await changeStatus(deps, order, 'confirmed', note))) {
    throw new ShopError('not_cancellable', `order ${order.id} is ${status} and cannot be cancelled`);
  }
  // Undo what confirming did: refund the money, put the stock back.
  await deps.payments.refund(order.id);
  await deps.inventory.release(order.items);
  return order;
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
