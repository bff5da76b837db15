// Private to the orders module: placing and cancelling orders. The same rules as stage 3,
// but stock, payments and notifications now belong to other modules, and this file reaches
// them only through their public interfaces (their index.ts), handed in as `deps`.

import { invalid, ShopError } from '../../shared/errors.ts';
import type { Clock, IdGenerator } from '../../shared/ports.ts';
// #region experiment-imports
import type { Inventory } from '../inventory/index.ts';
import type { NotificationKind, Notifications } from '../notifications/index.ts';
import type { Payments } from '../payments/index.ts';
// #endregion experiment-imports
import { orderTotalCents } from './model.ts';
import type { Order, OrderLine, OrderRequest, OrderStatus, RejectReason } from './model.ts';
import type { PostgresOrders } from './orders.ts';
import { validateOrderTotal } from './validate.ts';

// #region deps
// What the orders module works with: its own table, and the other modules' interfaces.
export type Deps = {
  orders: PostgresOrders;
  inventory: Inventory;
  payments: Payments;
  notifications: Notifications;
  clock: Clock;
  ids: IdGenerator;
};
// #endregion deps

// #region notifications
// Tells the notifications module what happened; it decides what the customer reads.
async function notify(deps: Deps, order: Order, kind: NotificationKind, note = ''): Promise<void> {
  await deps.notifications.notify({
    orderId: order.id,
    customerId: order.customerId,
    kind,
    items: order.items.map(({ sku, quantity }) => ({ sku, quantity })),
    totalCents: orderTotalCents(order),
    ...(order.reason ? { reason: order.reason } : {}),
    note,
  });
}

// Every new order that reaches a final status passes through here, so it gets exactly one
// notification for that status.
async function finish(deps: Deps, order: Order, status: OrderStatus, reason?: RejectReason): Promise<void> {
  await deps.orders.changeStatus(order.id, 'pending', status, reason);
  order.status = status;
  if (reason) order.reason = reason;
  if (status === 'confirmed') await notify(deps, order, 'order_confirmed');
  if (status === 'rejected') await notify(deps, order, 'order_rejected');
}
// #endregion notifications

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
  if (order.status !== 'confirmed' || !(await deps.orders.changeStatus(order.id, 'confirmed', 'cancelled'))) {
    throw new ShopError('not_cancellable', `order ${order.id} is ${order.status} and cannot be cancelled`);
  }
  order.status = 'cancelled';
  // Undo what confirming did: refund the money, put the stock back.
  await deps.payments.refund(order.id);
  await deps.inventory.release(order.items);
  await notify(deps, order, 'order_cancelled', note);
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
