// What a valid request is. Pure functions of the data a client sent: they say what is wrong
// (naming the field) and never look anything up.

import { invalid } from './model.ts';
import type { OrderLine, OrderRequest, Product } from './model.ts';

// #region validate-product
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntegerBetween(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

// Text a client sent, checked so that it can be stored and passed on: no U+0000 (Postgres
// text cannot hold it) and no unpaired UTF-16 surrogate (it has no UTF-8 form, so it cannot
// be stored or put in a URL). The length counts characters (code points), as the contract's
// JSON Schema does, so an emoji is one character, not two.
export function isText(value: unknown, min: number, max: number): value is string {
  if (typeof value !== 'string' || /[\u0000\p{Cs}]/u.test(value)) return false;
  const length = [...value].length;
  return length >= min && length <= max;
}

export function validateNewProduct(body: unknown): Product {
  if (!isObject(body)) throw invalid('body must be a JSON object');
  const { sku, name, priceCents, stock } = body;
  if (typeof sku !== 'string' || !/^[a-z0-9-]{1,64}$/.test(sku)) {
    throw invalid('sku must be 1-64 characters, each a-z, 0-9 or -');
  }
  if (!isText(name, 1, 200)) {
    throw invalid('name must be a string of 1-200 characters, without U+0000 or unpaired surrogates');
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
