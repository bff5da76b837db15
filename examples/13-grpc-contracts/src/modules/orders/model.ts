// Private to the orders module: what an order is, and what it costs.

// #region types
export type OrderStatus = 'pending' | 'confirmed' | 'rejected' | 'cancelled';
export type RejectReason = 'out_of_stock' | 'payment_declined' | 'payment_unavailable' | 'unknown_sku';
export type OrderLine = { sku: string; quantity: number; unitPriceCents: number };
export type Order = {
  id: string;
  customerId: string;
  items: OrderLine[];
  status: OrderStatus;
  reason?: RejectReason;
  createdAt: string;
  // set once a cancellation was asked for; the status changes when it is done
  cancelRequestedAt?: string;
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
