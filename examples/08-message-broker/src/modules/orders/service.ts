// Private to the orders module: placing and cancelling orders, and what the module does
// when inventory answers. Since stage 8 nothing here waits for another service to finish
// an order: POST /orders stores the order as pending with an OrderPlaced event, and each
// step after that is a small function run when an event arrives through the broker
// (choreography: no one directs the steps; each service reacts to the others' events).

import { invalid, ShopError } from '../../shared/errors.ts';
import type { Envelope, EventType, Outcome, ShopEvents } from '../../shared/events.ts';
import type { OutboxRelay } from '../../shared/relay.ts';
import type { Clock, IdGenerator } from '../../shared/ports.ts';
// #region experiment-imports
import type { Catalogue } from '../inventory/index.ts';
import type { Payments } from '../payments/index.ts';
// #endregion experiment-imports
import { orderTotalCents } from './model.ts';
import type { Order, OrderLine, OrderRequest } from './model.ts';
import type { PostgresOrders } from './orders.ts';
import { validateOrderTotal } from './validate.ts';
import { admit } from './backlog.ts';

// #region deps
// What the orders module works with: its own tables, the catalogue and payments (over
// HTTP, through their interfaces), and the relay that publishes its outbox.
export type Deps = {
  orders: PostgresOrders;
  catalogue: Pick<Catalogue, 'findProduct'>;
  payments: Payments;
  relay: OutboxRelay;
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

export async function placeOrder(deps: Deps, request: OrderRequest, idempotencyKey?: string): Promise<PlacedOrder> {
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

  // The order, its idempotency key and its OrderPlaced event are stored together. That is
  // all: the order answers 202 pending, and inventory takes it from here.
  const idempotency = idempotencyKey === undefined ? undefined : { key: idempotencyKey, fingerprint: JSON.stringify(request) };
  const earlier = await deps.orders.add(order, event(deps, 'OrderPlaced', factsOf(order)), idempotency);
  if (earlier) {
    if (earlier.fingerprint !== idempotency?.fingerprint) {
      throw new ShopError('idempotency_key_reused', 'Idempotency-Key was already used for a different request');
    }
    return { order: earlier.order, replayed: true };
  }
  deps.relay.wake();
  return { order, replayed: false };
}
// #endregion place-order

// A 4xx from payments (its HTTP client throws an error carrying the status) is its final word
// on this charge, such as an amount it does not take: asking again would get the same
// answer, so the charge counts as declined and the stock goes back.
function refused(error: unknown): boolean {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

// #region on-stock-reserved
// StockReserved: charge the card (over HTTP, outside any transaction), then confirm the
// order, or record the decline and ask inventory for the stock back. A crash after the
// charge means the event comes again; the charge's idempotency key makes the second
// charge the same one, answered from the payments service's records.
export async function onStockReserved(deps: Deps, reserved: Envelope<'StockReserved'>): Promise<Outcome> {
  if (await deps.orders.seen(reserved.id)) return 'duplicate';
  const order = await deps.orders.get(reserved.data.orderId);
  if (!order || order.status !== 'pending' || order.reason || order.cancelRequestedAt) return deps.orders.handled(reserved.id);
  let declined: boolean;
  try {
    declined = (await deps.payments.charge(order.id, orderTotalCents(order))).status === 'declined';
  } catch (error) {
    if (!refused(error)) throw error;
    declined = true;
  }
  const { outcome } =
    declined
      ? await deps.orders.declined(order.id, reserved.id, event(deps, 'PaymentDeclined', { orderId: order.id }))
      : await deps.orders.confirm(order.id, reserved.id, event(deps, 'OrderConfirmed', factsOf(order)));
  deps.relay.wake();
  return outcome;
}
// #endregion on-stock-reserved

// #region on-stock-rejected
// StockRejected: not enough stock (or no such product any more): the order is rejected.
export async function onStockRejected(deps: Deps, rejected: Envelope<'StockRejected'>): Promise<Outcome> {
  const order = await deps.orders.get(rejected.data.orderId);
  if (!order) return deps.orders.handled(rejected.id);
  const { reason } = rejected.data;
  const { outcome } = await deps.orders.reject(order.id, reason, rejected.id, event(deps, 'OrderRejected', { ...factsOf(order), reason }));
  deps.relay.wake();
  return outcome;
}
// #endregion on-stock-rejected

// #region on-stock-released
// StockReleased: the stock is back. A cancellation is finished (refund first, then the
// status); a declined order is rejected. Only then does the order reach its final status,
// so whoever sees it final also sees the stock and the money back.
export async function onStockReleased(deps: Deps, released: Envelope<'StockReleased'>): Promise<Outcome> {
  if (await deps.orders.seen(released.id)) return 'duplicate';
  const order = await deps.orders.get(released.data.orderId);
  if (!order || (order.status !== 'pending' && order.status !== 'confirmed')) return deps.orders.handled(released.id);
  let result;
  if (order.cancelRequestedAt) {
    await deps.payments.refund(order.id); // safe to repeat: refunds only what is still captured
    const note = await deps.orders.cancelNote(order.id);
    result = await deps.orders.finishCancel(order.id, released.id, event(deps, 'OrderCancelled', { ...factsOf(order), note }));
  } else if (order.reason === 'payment_declined') {
    const facts = { ...factsOf(order), reason: 'payment_declined' as const };
    result = await deps.orders.rejectDeclined(order.id, released.id, event(deps, 'OrderRejected', facts));
  } else {
    return deps.orders.handled(released.id);
  }
  deps.relay.wake();
  return result.outcome;
}
// #endregion on-stock-released

// #region cancel-order
// A cancellation is asked for (answered 202): inventory puts the stock back, then the
// money is refunded and the order becomes cancelled (onStockReleased). Asking again while
// it is under way answers the same.
export async function cancelOrder(deps: Deps, orderId: string, note: string): Promise<Order> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new ShopError('not_found', `order ${orderId} not found`);
  const { changed } = await deps.orders.requestCancel(order.id, note, event(deps, 'CancellationRequested', { orderId: order.id }));
  const now = changed ? order : await deps.orders.get(order.id);
  if (!changed && !(now?.cancelRequestedAt && (now.status === 'pending' || now.status === 'confirmed'))) {
    throw new ShopError('not_cancellable', `order ${order.id} is ${now?.status ?? order.status} and cannot be cancelled`);
  }
  deps.relay.wake();
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
