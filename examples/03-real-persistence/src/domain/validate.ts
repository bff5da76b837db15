// What a valid request is. Pure functions of the data a client sent: they say what is wrong
// (naming the field) and never look anything up.

import { invalid } from './model.ts';
import type { OrderRequest, Product } from './model.ts';

// #region validate-product
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntegerBetween(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

export function validateNewProduct(body: unknown): Product {
  if (!isObject(body)) throw invalid('body must be a JSON object');
  const { sku, name, priceCents, stock } = body;
  if (typeof sku !== 'string' || !/^[a-z0-9-]{1,64}$/.test(sku)) {
    throw invalid('sku must be 1-64 characters, each a-z, 0-9 or -');
  }
  if (typeof name !== 'string' || name.length < 1 || name.length > 200) {
    throw invalid('name must be a string of 1-200 characters');
  }
  if (!isIntegerBetween(priceCents, 1, 10_000_000)) {
    throw invalid('priceCents must be an integer from 1 to 10000000');
  }
  if (!isIntegerBetween(stock, 0, 1_000_000)) {
    throw invalid('stock must be an integer from 0 to 1000000');
  }
  return { sku, name, priceCents, stock };
}
// #endregion validate-product

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
