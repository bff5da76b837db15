// The shop's vocabulary: what a product, an order, a payment and a notification are, and
// the errors the rules can raise. Plain data and plain functions: nothing here knows about
// HTTP, the console or where anything is stored.

// #region types
export type Product = { sku: string; name: string; priceCents: number; stock: number };

export type OrderStatus = 'pending' | 'confirmed' | 'rejected' | 'cancelled';
export type RejectReason = 'out_of_stock' | 'payment_declined' | 'unknown_sku';
export type OrderLine = { sku: string; quantity: number; unitPriceCents: number };
export type Order = {
  id: string;
  customerId: string;
  items: OrderLine[];
  status: OrderStatus;
  reason?: RejectReason;
  createdAt: string;
};

export type Payment = {
  id: string;
  orderId: string;
  amountCents: number;
  status: 'captured' | 'refunded' | 'declined';
};

export type NotificationKind = 'order_confirmed' | 'order_rejected' | 'order_cancelled';
export type Notification = {
  id: string;
  customerId: string;
  orderId: string;
  kind: NotificationKind;
  createdAt: string;
};

// What a client asks for in POST /orders, once it has passed validation.
export type OrderRequest = { customerId: string; items: { sku: string; quantity: number }[] };
// #endregion types

// #region order-total
// The one place that turns order lines into money. The order total, the amount charged and
// the confirmation text all come from here (in stage 1 the same sum was written out three
// times).
export function orderTotalCents(order: Order): number {
  let totalCents = 0;
  for (const line of order.items) totalCents += line.unitPriceCents * line.quantity;
  return totalCents;
}
// #endregion order-total

// #region errors
// Anything the rules refuse is thrown as a ShopError with a code from this list. The domain
// does not know about HTTP: the HTTP adapter decides which status each code gets.
export type ErrorCode =
  | 'invalid_request'
  | 'not_found'
  | 'sku_exists'
  | 'unknown_sku'
  | 'not_cancellable'
  | 'idempotency_key_reused';

export class ShopError extends Error {
  code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export function invalid(message: string): ShopError {
  return new ShopError('invalid_request', message);
}
// #endregion errors
