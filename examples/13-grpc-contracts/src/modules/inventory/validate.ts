// Private to the inventory module: what a valid new product is.

import { invalid } from '../../shared/errors.ts';
import { isIntegerBetween, isObject, isText } from '../../shared/validate.ts';
import type { Product } from './products.ts';

// #region validate-product
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
