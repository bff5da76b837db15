// The HTTP adapter: turns requests into calls to the modules' public interfaces and their
// answers (and errors) into JSON responses. It knows routes, status codes and bodies; it
// does not know how an order is placed, and it does not pick where anything is stored.

import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.ts';
import { validateNewProduct } from '../modules/inventory/index.ts';
import { FORWARD, orderTotalCents, PAGE_SIZE, validateDeadlineHeader, validateIdempotencyKey, validateOrderRequest } from '../modules/orders/index.ts';
import type { Order, Saga, Step } from '../modules/orders/index.ts';
import { ShopError } from '../shared/errors.ts';
import type { ErrorCode } from '../shared/errors.ts';
import type { EventConsumer } from './broker.ts';
import { observed } from '../observability/service-kit.ts';
import { trace } from '../observability/tracing.ts';
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
  overloaded: 503,
};

export class HttpError extends Error {
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
    // (a declined order keeps its reason while the stock goes back; it shows once rejected)
    ...(order.reason && order.status === 'rejected' ? { reason: order.reason } : {}),
    createdAt: order.createdAt,
  };
}
// #endregion order-json

// #region http-helpers
export const MAX_BODY_BYTES = 1024 * 1024;

// Reads the whole body even when it is too big, so the client gets to read our 413 rather
// than a connection cut off while it is still sending.
export async function readJson(req: IncomingMessage): Promise<unknown> {
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

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: string, message: string, retryAfterSeconds?: number): void {
  if (retryAfterSeconds !== undefined) res.setHeader('retry-after', String(retryAfterSeconds));
  sendJson(res, status, { error: { code, message } });
}

export function requiredParam(url: URL, name: string): string {
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
// `drop: true`: do the work, then lose the answer (fault injection closes the connection).
export type Reply = { status: number; body: unknown; drop?: boolean };

async function handle(app: App, req: IncomingMessage): Promise<Reply> {
  const url = requestUrl(req);
  const path = url.pathname;
  const method = req.method ?? 'GET';

  if (method === 'GET' && path === '/health') {
    return { status: 200, body: { status: 'ok' } };
  }

  if (method === 'GET' && path === '/products') {
    return { status: 200, body: await app.catalogue.listProducts() };
  }

  if (method === 'POST' && path === '/products') {
    const product = validateNewProduct(await readJson(req));
    return { status: 201, body: await app.catalogue.addProduct(product) };
  }

  // #region post-orders
  if (method === 'POST' && path === '/orders') {
    const key = validateIdempotencyKey(req.headers['idempotency-key']);
    const budgetMs = validateDeadlineHeader(req.headers['x-deadline-ms']);
    const request = validateOrderRequest(await readJson(req));
    const { order, replayed } = await app.orders.placeOrder(request, key, budgetMs);
    // Stage 11: the order's id on the request's span, so GET /ops/traces?orderId= finds it
    trace.getActiveSpan()?.setAttribute('order.id', order.id);
    // Accepted, not finished: 202 with the order pending. The client follows it with
    // GET /orders/:id; it is final within a few hundred milliseconds when all is well.
    const status = replayed && order.status !== 'pending' ? 200 : 202;
    return { status, body: orderJson(order) };
  }
  // #endregion post-orders

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
    // 202: the cancellation is under way (stock back, then the refund, then `cancelled`).
    return { status: 202, body: orderJson(await app.orders.cancelOrder(cancelPath[1] ?? '', reason)) };
  }

  if (method === 'GET' && path === '/payments') {
    return { status: 200, body: await app.payments.listForOrder(requiredParam(url, 'orderId')) };
  }

  if (method === 'GET' && path === '/notifications') {
    return { status: 200, body: await app.notifications.listForCustomer(requiredParam(url, 'customerId')) };
  }

  // #region ops-routes
  // Operating the stage while it runs, all through the shop (the request console only
  // talks to the shop). Stage 9: the sagas as stored, and the orchestrator's two controls.
  if (path === '/ops/sagas' && method === 'GET') {
    const orderId = url.searchParams.get('orderId');
    const sagas = (await app.orders.sagas(SAGAS_SHOWN)).filter((saga) => orderId === null || saga.id === orderId);
    return { status: 200, body: { sagas: sagas.map(sagaJson) } };
  }
  if (path === '/ops/saga-pause' && (method === 'GET' || method === 'PUT')) {
    const body = method === 'PUT' ? JSON.stringify(validatePause(await readJson(req))) : undefined;
    return app.orchestrator.ops(method, '/ops/pause', body);
  }
  if (path === '/ops/orchestrator/crash' && method === 'POST') {
    return app.orchestrator.ops('POST', '/ops/crash');
  }
  // Stage 8: the consumers, and a second delivery on demand.
  if (path === '/ops/consumers' && method === 'GET') {
    return { status: 200, body: await app.ops.consumers() };
  }
  const consumerPath = /^\/ops\/consumers\/([^/]+)$/.exec(path);
  if (consumerPath && method === 'POST') {
    const { running } = validateConsumerSwitch(await readJson(req));
    return { status: 200, body: await app.ops.setConsumer(consumerPath[1] ?? '', running) };
  }
  // Since stage 10 the orchestrator runs the one outbox relay, so it publishes the repeat.
  if (path === '/ops/redeliver' && method === 'POST') {
    return app.orchestrator.ops('POST', '/ops/redeliver', JSON.stringify(validateRedeliver(await readJson(req))));
  }
  // Stage 10: the notification jobs (the queue is the notifications schema's), and a worker
  // told to die in the middle of a job. (GET /ops/replicas is the load balancer's own.)
  if (path === '/ops/jobs' && method === 'GET') {
    return app.notifications.client.ops('GET', '/ops/jobs');
  }
  const workerPath = /^\/ops\/workers\/([^/]+)(\/crash)?$/.exec(path);
  if (workerPath && (workerPath[2] ? method === 'POST' : method === 'GET')) {
    const name = workerPath[1] ?? '';
    // own properties only: a name such as `constructor` must not find Object.prototype's
    const worker = Object.hasOwn(app.workers, name) ? app.workers[name] : undefined;
    if (!worker) throw new HttpError(404, 'not_found', `no worker ${name}; the workers are ${Object.keys(app.workers).join(', ') || 'none'}`);
    return worker.ops(method, workerPath[2] ? '/ops/crash' : '/ops/worker');
  }
  // Stage 7: the breaker's state, and the payments service's faults and card charges.
  if (path === '/ops/breaker' && method === 'GET') {
    return { status: 200, body: { ...app.payments.client.breaker.snapshot(), settings: app.payments.client.options } };
  }
  if (path === '/ops/faults' || path === '/ops/charges') {
    if (method !== 'GET' && !(method === 'PUT' && path === '/ops/faults')) throw new HttpError(404, 'not_found', `no route for ${method} ${path}`);
    const body = method === 'PUT' ? JSON.stringify(await readJson(req)) : undefined;
    return app.payments.client.ops(method, path, body);
  }
  // #endregion ops-routes

  throw new HttpError(404, 'not_found', `no route for ${method} ${path}`);
}
// #endregion routes

// #region saga-json
// How many sagas GET /ops/sagas shows, newest first, and how each one looks: its status,
// the steps still to do, and the log of the steps done, as the database has them.
const SAGAS_SHOWN = 20;
function sagaJson(saga: Saga) {
  return {
    orderId: saga.id,
    status: saga.status,
    ...(saga.reason ? { reason: saga.reason } : {}),
    done: saga.log.map((entry) => `${entry.step}: ${entry.outcome}`),
    todo: saga.todo,
    cancelRequested: saga.cancelRequested,
    updatedAt: saga.updatedAt,
  };
}

// The pause: after which step the orchestrator holds every saga, or null to let them go on.
export function validatePause(body: unknown): { after: Step | null } {
  const steps = [...FORWARD, 'release', 'refund'];
  if (!isObject(body) || !('after' in body)) {
    throw new HttpError(400, 'invalid_request', `the body is {"after": step} with a step from ${steps.join(', ')}, or {"after": null}`);
  }
  const extra = Object.keys(body).find((key) => key !== 'after');
  if (extra) throw new HttpError(400, 'invalid_request', `unknown field ${extra}; the body is {"after": step} or {"after": null}`);
  if (body.after !== null && !steps.includes(body.after as string)) {
    throw new HttpError(400, 'invalid_request', `after must be one of ${steps.join(', ')}, or null`);
  }
  return { after: body.after as Step | null };
}
// #endregion saga-json

// #region ops-validation
export function validateConsumerSwitch(body: unknown): { running: boolean } {
  if (!isObject(body) || typeof body.running !== 'boolean') {
    throw new HttpError(400, 'invalid_request', 'running must be true or false, as in {"running": false}');
  }
  const extra = Object.keys(body).find((key) => key !== 'running');
  if (extra) throw new HttpError(400, 'invalid_request', `unknown field ${extra}; the body is {"running": true|false}`);
  return { running: body.running };
}

export function validateRedeliver(body: unknown): { eventId?: string } {
  const given = body ?? {};
  if (!isObject(given)) throw new HttpError(400, 'invalid_request', 'the body must be an object such as {"eventId": "evt_..."} or {}');
  const extra = Object.keys(given).find((key) => key !== 'eventId');
  if (extra) throw new HttpError(400, 'invalid_request', `unknown field ${extra}; the body is {"eventId": "evt_..."} or {}`);
  if (given.eventId !== undefined && (typeof given.eventId !== 'string' || given.eventId.length < 1 || given.eventId.length > 64)) {
    throw new HttpError(400, 'invalid_request', 'eventId must be a string of 1-64 characters');
  }
  return given.eventId === undefined ? {} : { eventId: given.eventId };
}

// The same two routes on every service that consumes: how its consumer is doing, and
// stopping or starting it.
export async function consumerRoute(consumer: EventConsumer, req: IncomingMessage, method: string, path: string): Promise<Reply | undefined> {
  if (path !== '/ops/consumer') return undefined;
  if (method === 'GET') return { status: 200, body: consumer.stats };
  if (method !== 'POST') return undefined;
  const { running } = validateConsumerSwitch(await readJson(req));
  if (running) consumer.start();
  else await consumer.stop();
  console.log(`consumer ${consumer.stats.name}: ${running ? 'started' : 'stopped (its session stays on the broker, which queues its messages)'}`);
  return { status: 200, body: consumer.stats };
}
// #endregion ops-validation

// #region server
// A JSON server for a handler: errors the rules raise get their status, HTTP-only errors
// theirs, and anything unexpected a 500 with no details. The payments service uses it too.
// Stage 11: every request is observed (src/observability/service-kit.ts).
export function jsonServer(handler: (req: IncomingMessage) => Promise<Reply>): http.Server {
  return answerClientErrors(http.createServer(observed((req, res) => {
    // .catch after .then: an answer that cannot be sent (or an error in sending one) is a 500
    // for this request only, never an unhandled rejection that ends the process
    handler(req)
      .then((reply) => (reply.drop ? res.destroy() : sendJson(res, reply.status, reply.body)))
      .catch((error: unknown) => {
        if (res.headersSent) return void res.destroy(); // too late for an answer of its own
        if (error instanceof ShopError) {
          sendError(res, STATUS_OF[error.code], error.code, error.message, error.retryAfterSeconds);
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
  })));
}

// The shop's server, not yet listening: src/main.ts decides the port, and tests start as
// many as they like.
export function createHttpServer(app: App): http.Server {
  return jsonServer((req) => handle(app, req));
}
// #endregion server
