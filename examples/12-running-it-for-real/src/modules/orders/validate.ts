// Private to the orders module: what a valid order request is.

import { invalid } from '../../shared/errors.ts';
import { isIntegerBetween, isObject } from '../../shared/validate.ts';
import type { OrderRequest } from './model.ts';

// #region validate-order
export function validateOrderRequest(body: unknown): OrderRequest {
  if (!isObject(body)) throw invalid('body must be a JSON object');
  const { customerId, items } = body;
  if (typeof customerId !== 'string' || customerId.length < 1 || customerId.length > 64) {
    throw invalid('customerId must be a string of 1-64 characters');
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
    if (typeof sku !== 'string' || sku.length < 1 || sku.length > 64) {
      throw invalid(`items[${i}].sku must be a string of 1-64 characters`);
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
