// Private to the orders module: what a valid order request is.

import { invalid } from '../../shared/errors.ts';
import { isIntegerBetween, isObject, isText } from '../../shared/validate.ts';
import type { OrderLine, OrderRequest } from './model.ts';

// #region validate-order
export function validateOrderRequest(body: unknown): OrderRequest {
  if (!isObject(body)) throw invalid('body must be a JSON object');
  const { customerId, items } = body;
  if (!isText(customerId, 1, 64)) {
    throw invalid('customerId must be a string of 1-64 characters, without U+0000 or unpaired surrogates');
  }
  if (!Array.isArray(items) || items.length < 1 || items.length > 50) {
    throw invalid('items must be an array of 1-50 order lines');
  }
  const lines: OrderRequest['items'] = [];
  const seen = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (!isObject(item)) throw invalid(`items[${i}] must be an object with sku and quantity`);
    const { sku, quantity } = item;
    if (!isText(sku, 1, 64)) {
      throw invalid(`items[${i}].sku must be a string of 1-64 characters, without U+0000 or unpaired surrogates`);
    }
    if (!isIntegerBetween(quantity, 1, 1000)) {
      throw invalid(`items[${i}].quantity must be an integer from 1 to 1000`);
    }
    // One line per sku keeps stock checks and totals simple: ask for a bigger quantity instead.
    if (seen.has(sku)) throw invalid(`items[${i}].sku repeats ${sku}: items must have distinct skus`);
    seen.add(sku);
    lines.push({ sku, quantity });
  }
  return { customerId, items: lines };
}

export function validateIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || header.length < 1 || header.length > 200) {
    throw invalid('Idempotency-Key header must be 1-200 characters');
  }
  return header;
}
// #endregion validate-order

// Stage 13: the time the request has left, in milliseconds, as the gateway (or a client in
// front of it) says in X-Deadline-Ms; it becomes the order's deadline.
export function validateDeadlineHeader(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !/^[1-9][0-9]{0,8}$/.test(header)) throw invalid('X-Deadline-Ms header must be a whole number of milliseconds, 1-999999999');
  return Number(header);
}

// #region order-total
// The most one order may come to: well inside the 32-bit integer columns that store money,
// and what the payments service (its own process from stage 6 on) takes in one charge. The
// total is known only once the lines are priced, so placing an order checks it then, before
// anything is stored or reserved.
export const MAX_ORDER_TOTAL_CENTS = 1_000_000_000;

export function validateOrderTotal(lines: OrderLine[]): void {
  let totalCents = 0;
  for (const line of lines) totalCents += line.unitPriceCents * line.quantity;
  if (totalCents > MAX_ORDER_TOTAL_CENTS) {
    throw invalid(`items: the order's totalCents would be ${totalCents}, above the limit of ${MAX_ORDER_TOTAL_CENTS} for one order`);
  }
}
// #endregion order-total
