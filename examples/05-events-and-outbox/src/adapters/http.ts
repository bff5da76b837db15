// The HTTP adapter: turns requests into calls to the modules' public interfaces and their
// answers (and errors) into JSON responses. It knows routes, status codes and bodies; it
// does not know how an order is placed, and it does not pick where anything is stored.

import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.ts';
import { validateNewProduct } from '../modules/inventory/index.ts';
import { orderTotalCents, PAGE_SIZE, validateIdempotencyKey, validateOrderRequest } from '../modules/orders/index.ts';
import type { Order } from '../modules/orders/index.ts';
import { ShopError } from '../shared/errors.ts';
import type { ErrorCode } from '../shared/errors.ts';
import { isObject, isText } from '../shared/validate.ts';
import { MAX_JSON_DEPTH, nestedDeeperThan, parseTarget } from '../shared/request-target.ts';
import { answerClientErrors } from '../shared/client-errors.ts';

// #region errors
// The modules name what went wrong; HTTP decides the status. Errors that only HTTP can
// have (a body that is not JSON, a route that does not exist) are HttpErrors.
const STATUS_OF: Record<ErrorCode, number> = {
  invalid_request: 400,
  not_found: 404,
  sku_exists: 409,
  not_cancellable: 409,
  unknown_sku: 422,
  idempotency_key_reused: 422,
};

class HttpError extends Error {
  status: number;
  code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}
// #endregion errors

// #region order-json
// What clients see of an order. The total is not stored: it is worked out from the lines
// whenever an order is sent, so it can never disagree with them.
function orderJson(order: Order) {
  return {
    id: order.id,
    customerId: order.customerId,
    items: order.items,
    totalCents: orderTotalCents(order),
    status: order.status,
    ...(order.reason ? { reason: order.reason } : {}),
    createdAt: order.createdAt,
  };
}
// #endregion order-json

// #region http-helpers
const MAX_BODY_BYTES = 1024 * 1024;

// Reads the whole body even when it is too big, so the client gets to read our 413 rather
// than a connection cut off while it is still sending.
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  if (size > MAX_BODY_BYTES) {
    throw new HttpError(413, 'payload_too_large', 'request body is larger than 1 MiB');
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  // checked on the text, before anything builds or walks it: a body nested thousands deep
  // would overflow the stack of whatever recursed through it (validation, JSON.stringify)
  if (nestedDeeperThan(text)) throw new HttpError(400, 'invalid_json', `request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'request body is not valid JSON');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

function requiredParam(url: URL, name: string): string {
  const value = url.searchParams.get(name);
  if (!isText(value, 1, 64)) {
    throw new HttpError(400, 'invalid_request', `query parameter ${name} is required (1-64 characters, without U+0000 or unpaired surrogates)`);
  }
  return value;
}

// The request's path and query, as the stage's one parser reads them (request-target.ts): a
// target it refuses (a backslash, an empty or dot segment, no path) is the contract's 400, and
// an absolute-form target is routed by its path alone.
export function requestUrl(req: IncomingMessage): URL {
  const target = parseTarget(req.url);
  if ('invalid' in target) throw new HttpError(400, 'invalid_request', target.invalid);
  return target.url;
}
// #endregion http-helpers

// #region routes
type Reply = { status: number; body: unknown };

async function handle(app: App, req: IncomingMessage): Promise<Reply> {
  const url = requestUrl(req);
  const path = url.pathname;
  const method = req.method ?? 'GET';

  if (method === 'GET' && path === '/health') {
    return { status: 200, body: { status: 'ok' } };
  }

  if (method === 'GET' && path === '/products') {
    return { status: 200, body: await app.inventory.listProducts() };
  }

  if (method === 'POST' && path === '/products') {
    const product = validateNewProduct(await readJson(req));
    return { status: 201, body: await app.inventory.addProduct(product) };
  }

  if (method === 'POST' && path === '/orders') {
    const key = validateIdempotencyKey(req.headers['idempotency-key']);
    const request = validateOrderRequest(await readJson(req));
    const { order, replayed } = await app.orders.placeOrder(request, key);
    // A replay answers 200 with the order made the first time (202 if that one is still
    // being worked on by the first request).
    const status = !replayed ? 201 : order.status === 'pending' ? 202 : 200;
    return { status, body: orderJson(order) };
  }

  if (method === 'GET' && path === '/orders') {
    const customerId = requiredParam(url, 'customerId');
    const pageText = url.searchParams.get('page') ?? '1';
    const page = /^[0-9]+$/.test(pageText) ? Number(pageText) : NaN;
    const items = (await app.orders.listOrders(customerId, page)).map(orderJson);
    return { status: 200, body: { items, page, pageSize: PAGE_SIZE } };
  }

  const orderPath = /^\/orders\/([^/]+)$/.exec(path);
  if (method === 'GET' && orderPath) {
    return { status: 200, body: orderJson(await app.orders.getOrder(orderPath[1] ?? '')) };
  }

  const cancelPath = /^\/orders\/([^/]+)\/cancel$/.exec(path);
  if (method === 'POST' && cancelPath) {
    // The body is optional here: `curl -X POST .../cancel` is a reasonable thing to type.
    const body = (await readJson(req)) ?? {};
    if (!isObject(body)) throw new HttpError(400, 'invalid_request', 'body must be a JSON object');
    const reason = body.reason ?? '';
    if (!isText(reason, 0, 500)) {
      throw new HttpError(400, 'invalid_request', 'reason must be a string of at most 500 characters, without U+0000 or unpaired surrogates');
    }
    return { status: 200, body: orderJson(await app.orders.cancelOrder(cancelPath[1] ?? '', reason)) };
  }

  if (method === 'GET' && path === '/payments') {
    return { status: 200, body: await app.payments.listForOrder(requiredParam(url, 'orderId')) };
  }

  if (method === 'GET' && path === '/notifications') {
    return { status: 200, body: await app.notifications.listForCustomer(requiredParam(url, 'customerId')) };
  }

  // Experiment C: events handed to notifications since the start, and what its inbox did with them.
  if (method === 'GET' && path === '/ops/deliveries') {
    return { status: 200, body: app.notifications.deliveries() };
  }

  throw new HttpError(404, 'not_found', `no route for ${method} ${path}`);
}
// #endregion routes

// #region server
// A server for the app it is given, not yet listening: src/main.ts decides the port, and
// tests start as many as they like.
export function createHttpServer(app: App): http.Server {
  return answerClientErrors(http.createServer((req, res) => {
    // .catch after .then: an answer that cannot be sent (or an error in sending one) is a 500
    // for this request only, never an unhandled rejection that ends the process
    handle(app, req)
      .then((reply) => sendJson(res, reply.status, reply.body))
      .catch((error: unknown) => {
        if (res.headersSent) return void res.destroy(); // too late for an answer of its own
        if (error instanceof ShopError) {
          sendError(res, STATUS_OF[error.code], error.code, error.message);
          return;
        }
        if (error instanceof HttpError) {
          sendError(res, error.status, error.code, error.message);
          return;
        }
        // The details are for us, in the log; the client only learns that it was our fault.
        console.error(error);
        if (!res.headersSent) sendError(res, 500, 'internal', 'something went wrong on our side');
        else res.destroy();
      });
  }));
}
// #endregion server
