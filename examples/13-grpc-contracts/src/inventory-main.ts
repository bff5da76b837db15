// The inventory service: the inventory module in a process of its own (new in stage 8). It
// owns the inventory schema and serves over HTTP on PORT the catalogue (the shop forwards
// /products here and prices orders from it) and, since stage 9, the orchestrator's commands:
// PUT /reservations/:key takes the stock, DELETE /reservations/:key puts it back. Stage 8's
// broker consumer is gone: the saga asks, and waits for the answer.

import { HttpError, jsonServer, readJson, requestUrl } from './adapters/http.ts';
import { listen, openServiceDatabase, requireEnv, stopOnSignal } from './adapters/process.ts';
import { inventoryRoutes } from './adapters/inventory-rpc.ts';
import { serveRpc } from './adapters/rpc-server.ts';
import { createInventory, validateNewProduct } from './modules/inventory/index.ts';
import type { StockLine } from './modules/inventory/index.ts';
import { SEED_PRODUCTS } from './seed.ts';
import { isIntegerBetween, isObject } from './shared/validate.ts';
import { exitWithSupervisor } from './supervisor.ts';
import { readyWhen, useKit } from './observability/service-kit.ts';
import { createCache } from './adapters/cache.ts';
import { ALL_PRODUCTS } from './adapters/cached-catalogue.ts';

// first, before anything that waits (src/supervisor.ts says why)
exitWithSupervisor();

// #region inventory-service
useKit('inventory');
const env = requireEnv('inventory-main.ts', ['PORT', 'DATABASE_URL']);
const { db, applied } = await openServiceDatabase('inventory', env.DATABASE_URL, new URL('../migrations/inventory/', import.meta.url));
readyWhen({ database: () => db.query('SELECT 1') });
const inventory = createInventory({ db });
// The catalogue opens with the seed products (the first time only: the data is kept).
if ((await inventory.listProducts()).length === 0) {
  for (const product of SEED_PRODUCTS) await inventory.addProduct(product);
}
// #endregion inventory-service

// #region stock-owner-delete
// Stage 12: with REDIS_URL the shop copies keep the product list in Redis. The stock is
// changed here, so here is where the list is deleted, before the saga hears the answer: a
// client that sees its order confirmed or cancelled then reads the new stock. (The orders'
// final events delete it again, for a read that filled it with the old list meanwhile.)
const sharedCache = process.env.REDIS_URL ? await createCache({ url: process.env.REDIS_URL, name: 'inventory', log: (line) => console.log(line) }) : undefined;
const stockChanged = async () => sharedCache?.delete([ALL_PRODUCTS]);
// #endregion stock-owner-delete

const server = jsonServer(async (req) => {
  const url = requestUrl(req);
  const method = req.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/health') return { status: 200, body: { status: 'ok' } };
  if (method === 'GET' && url.pathname === '/products') {
    const sku = url.searchParams.get('sku');
    if (sku === null) return { status: 200, body: await inventory.listProducts() };
    const product = await inventory.findProduct(sku);
    return { status: 200, body: product ? [product] : [] };
  }
  if (method === 'POST' && url.pathname === '/products') {
    return { status: 201, body: await inventory.addProduct(validateNewProduct(await readJson(req))) };
  }
  // #region reservation-routes
  // PUT and DELETE: HTTP's own idempotent methods, for commands that may be sent twice.
  const reservation = /^\/reservations\/([a-z0-9_-]{1,200})$/.exec(url.pathname);
  if (reservation && method === 'PUT') {
    const lines = validateLines(await readJson(req));
    const status = await inventory.reserve(reservation[1] ?? '', lines);
    if (status === 'reserved') await stockChanged();
    return { status: 200, body: { key: reservation[1], status } };
  }
  if (reservation && method === 'DELETE') {
    await inventory.release(reservation[1] ?? '');
    await stockChanged();
    return { status: 200, body: { key: reservation[1], status: 'released' } };
  }
  // #endregion reservation-routes
  throw new HttpError(404, 'not_found', `no route for ${method} ${url.pathname}`);
});
// Stage 13: the saga's commands as RPCs too, on the same port (src/adapters/inventory-rpc.ts)
serveRpc(server, inventoryRoutes(inventory));
listen('inventory', server, Number(env.PORT), `inventory service listening on http://127.0.0.1:${env.PORT} (migrations applied: ${applied.join(', ') || 'none'})`);
stopOnSignal(server, async () => {
  await sharedCache?.close();
  await db.close();
});

function validateLines(body: unknown): StockLine[] {
  const lines = isObject(body) ? body.lines : undefined;
  if (!Array.isArray(lines) || lines.length < 1 || lines.length > 50) throw new HttpError(400, 'invalid_request', 'lines must be an array of 1-50 {sku, quantity}');
  return lines.map((line: unknown, i) => {
    if (!isObject(line) || typeof line.sku !== 'string' || line.sku.length < 1 || line.sku.length > 64 || !isIntegerBetween(line.quantity, 1, 1000)) {
      throw new HttpError(400, 'invalid_request', `lines[${i}] must be {sku: 1-64 characters, quantity: 1-1000}`);
    }
    return { sku: line.sku, quantity: line.quantity };
  });
}
