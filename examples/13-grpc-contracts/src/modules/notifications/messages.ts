// Private to the notifications module: what the customer reads.

import type { OrderNews } from './index.ts';

function formatMoney(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

// #region messages
export function messageFor(news: OrderNews): string {
  if (news.kind === 'order_confirmed') {
    return `Order ${news.orderId} is confirmed. Total: ${formatMoney(news.totalCents)}.`;
  }
  if (news.kind === 'order_rejected') {
    return `Sorry, order ${news.orderId} could not be placed (${news.reason ?? 'unknown reason'}).`;
  }
  return `Order ${news.orderId} is cancelled${news.note ? ` (${news.note})` : ''}. Your payment is refunded.`;
}
// #endregion messages
