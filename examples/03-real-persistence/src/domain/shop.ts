// The business rules: placing and cancelling orders, and what the customer is told. The same
// rules as stage 1, but everything they need from outside (storage, the card processor, the
// notifier, the clock) comes in through the ports in `shop`. No I/O happens in this file.

import { invalid, orderTotalCents, ShopError } from './model.ts';
import type { Notification, NotificationKind, Order, OrderLine, OrderRequest, OrderStatus, Payment, Product, RejectReason } from './model.ts';
import type { Shop } from './ports.ts';
import { validateOrderTotal } from './validate.ts';

// #region products
export async function listProducts(shop: Shop): Promise<Product[]> {
  return shop.products.list();
}

export async function addProduct(shop: Shop, product: Product): Promise<Product> {
  if (!(await shop.products.add(product))) {
    throw new ShopError('sku_exists', `sku ${product.sku} already exists`);
  }
  return product;
}
// #endregion products

// #region notifications
function formatMoney(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

// The notification is recorded (GET /notifications) and the customer is told through
// whichever Notifier the shop was started with.
async function notify(shop: Shop, order: Order, kind: NotificationKind, note = ''): Promise<void> {
  const notification: Notification = {
    id: shop.ids.next('ntf'),
    customerId: order.customerId,
    orderId: order.id,
    kind,
    createdAt: shop.clock.now(),
  };
  await shop.notifications.add(notification);
  let text: string;
  if (kind === 'order_confirmed') {
    text = `Order ${order.id} is confirmed. Total: ${formatMoney(orderTotalCents(order))}.`;
  } else if (kind === 'order_rejected') {
    text = `Sorry, order ${order.id} could not be placed (${order.reason ?? 'unknown reason'}).`;
  } else {
    text = `Order ${order.id} is cancelled${note ? ` (${note})` : ''}. Your payment is refunded.`;
  }
  await shop.notifier.send(order.customerId, text);
}

// Every new order that reaches a final status passes through here, so it gets exactly one
// notification for that status.
async function finish(shop: Shop, order: Order, status: OrderStatus, reason?: RejectReason): Promise<void> {
  await shop.orders.changeStatus(order.id, 'pending', status, reason);
  order.status = status;
  if (reason) order.reason = reason;
  if (status === 'confirmed') await notify(shop, order, 'order_confirmed');
  if (status === 'rejected') await notify(shop, order, 'order_rejected');
}
// #endregion notifications

// #region place-order
export type PlacedOrder = { order: Order; replayed: boolean };

export async function placeOrder(shop: Shop, request: OrderRequest, idempotencyKey?: string): Promise<PlacedOrder> {
  // Price every line from the catalogue. An unknown sku refuses the whole order before
  // anything is stored, so the client can fix it and try again.
  const lines: OrderLine[] = [];
  for (const item of request.items) {
    const product = await shop.products.get(item.sku);
    if (!product) throw new ShopError('unknown_sku', `items: unknown sku ${item.sku}`);
    lines.push({ sku: item.sku, quantity: item.quantity, unitPriceCents: product.priceCents });
  }
  validateOrderTotal(lines);

  const order: Order = {
    id: shop.ids.next('ord'),
    customerId: request.customerId,
    items: lines,
    status: 'pending',
    createdAt: shop.clock.now(),
  };
  // #region idempotency
  // A client whose request timed out cannot tell whether the order went through, so it
  // sends the same request again with the same Idempotency-Key. The repository stores the
  // order and claims the key in one step; if the key was used before, we answer with the
  // order made the first time instead of making, and charging, a second one. The key is
  // tied to the exact request, so reusing it for a different order is refused.
  const idempotency = idempotencyKey === undefined ? undefined : { key: idempotencyKey, fingerprint: JSON.stringify(request) };
  const earlier = await shop.orders.add(order, idempotency);
  if (earlier) {
    if (earlier.fingerprint !== idempotency?.fingerprint) {
      throw new ShopError('idempotency_key_reused', 'Idempotency-Key was already used for a different request');
    }
    return { order: earlier.order, replayed: true };
  }
  // #endregion idempotency

  // Check the stock of every line and reserve it, as one step of the product repository.
  // Here, unlike stage 1, every call to a port is awaited, and another request can run
  // while we wait. So the domain does not check first and subtract later: it asks the
  // repository to do both at once, and each adapter keeps that promise its own way.
  if (!(await shop.products.reserve(lines))) {
    await finish(shop, order, 'rejected', 'out_of_stock');
    return { order, replayed: false };
  }

  // Charge the card for the whole order.
  const amountCents = orderTotalCents(order);
  const payment: Payment = {
    id: shop.ids.next('pay'),
    orderId: order.id,
    amountCents,
    status: await shop.cards.charge(order.id, amountCents),
  };
  // Declined attempts are kept too: they are what tells support why an order failed.
  await shop.payments.add(payment);
  if (payment.status === 'declined') {
    // The reservation only stands if the order is paid for: give the stock back.
    await shop.products.release(lines);
    await finish(shop, order, 'rejected', 'payment_declined');
    return { order, replayed: false };
  }

  await finish(shop, order, 'confirmed');
  return { order, replayed: false };
}
// #endregion place-order

// #region cancel-order
export async function cancelOrder(shop: Shop, orderId: string, note: string): Promise<Order> {
  const order = await shop.orders.get(orderId);
  if (!order) throw new ShopError('not_found', `order ${orderId} not found`);
  // Here an order is final by the time POST /orders answers, so 'pending' is never seen
  // from outside and only a confirmed order can still be cancelled. The status changes
  // first, in one step: of two cancels racing each other only one gets past this line, so
  // the money and the stock go back once.
  if (order.status !== 'confirmed' || !(await shop.orders.changeStatus(order.id, 'confirmed', 'cancelled'))) {
    throw new ShopError('not_cancellable', `order ${order.id} is ${order.status} and cannot be cancelled`);
  }
  order.status = 'cancelled';
  // Undo what confirming did: refund the money, put the stock back.
  for (const payment of await shop.payments.markRefunded(order.id)) {
    await shop.cards.refund(order.id, payment.amountCents);
  }
  await shop.products.release(order.items);
  await notify(shop, order, 'order_cancelled', note);
  return order;
}
// #endregion cancel-order

// #region queries
export const PAGE_SIZE = 20;

export async function getOrder(shop: Shop, orderId: string): Promise<Order> {
  const order = await shop.orders.get(orderId);
  if (!order) throw new ShopError('not_found', `order ${orderId} not found`);
  return order;
}

export async function listOrders(shop: Shop, customerId: string, page: number): Promise<Order[]> {
  if (!Number.isSafeInteger(page) || page < 1) throw invalid('query parameter page must be a whole number from 1 up');
  return shop.orders.listByCustomer(customerId, (page - 1) * PAGE_SIZE, PAGE_SIZE);
}

export async function paymentsOf(shop: Shop, orderId: string): Promise<Payment[]> {
  return shop.payments.listByOrder(orderId);
}

export async function notificationsOf(shop: Shop, customerId: string): Promise<Notification[]> {
  return shop.notifications.listByCustomer(customerId);
}
// #endregion queries
