// The whole shop in one file: HTTP routing, validation, business rules, a pretend card
// processor, notifications and storage, all side by side. It works, and it is meant to be
// read top to bottom. Later stages pull these concerns apart; this one shows why they might.
//
// Run it with `npm start` (or `node src/shop.ts`), then try `curl localhost:3000/products`.

import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// #region types
type Product = { sku: string; name: string; priceCents: number; stock: number };

type OrderStatus = 'pending' | 'confirmed' | 'rejected' | 'cancelled';
type RejectReason = 'out_of_stock' | 'payment_declined' | 'unknown_sku';
type OrderLine = { sku: string; quantity: number; unitPriceCents: number };
type Order = {
  id: string;
  customerId: string;
  items: OrderLine[];
  status: OrderStatus;
  reason?: RejectReason;
  createdAt: string;
};

type Payment = {
  id: string;
  orderId: string;
  amountCents: number;
  status: 'captured' | 'refunded' | 'declined';
};

type NotificationKind = 'order_confirmed' | 'order_rejected' | 'order_cancelled';
type Notification = {
  id: string;
  customerId: string;
  orderId: string;
  kind: NotificationKind;
  createdAt: string;
};

// What a client asks for in POST /orders, once it has passed validation.
type OrderRequest = { customerId: string; items: { sku: string; quantity: number }[] };
// #endregion types

// #region catalogue
// The shop opens with a few products so there is something to buy straight away.
// The kettle has only two units, to make running out of stock easy to try; the espresso
// machine costs more than the card processor will ever accept.
const SEED_PRODUCTS: Product[] = [
  { sku: 'coffee-beans', name: 'Coffee beans, 1 kg', priceCents: 2490, stock: 40 },
  { sku: 'espresso-machine', name: 'Espresso machine, professional', priceCents: 549_000, stock: 3 },
  { sku: 'kettle-copper', name: 'Copper kettle', priceCents: 8900, stock: 2 },
  { sku: 'mug-blue', name: 'Blue mug', priceCents: 1200, stock: 25 },
  { sku: 'tea-green', name: 'Green tea, 100 g', priceCents: 850, stock: 100 },
  { sku: 'teapot-cast-iron', name: 'Cast-iron teapot', priceCents: 4500, stock: 6 },
];
// #endregion catalogue

// #region storage
// Everything lives in memory and is gone when the process stops. A Map remembers the order
// in which entries were added, which the order listing relies on for "newest first".
type State = {
  products: Map<string, Product>;
  orders: Map<string, Order>;
  payments: Payment[];
  notifications: Notification[];
  idempotencyKeys: Map<string, { fingerprint: string; orderId: string }>;
  lastId: number;
  log: (line: string) => void;
};

function newState(log: (line: string) => void): State {
  const products = new Map<string, Product>();
  // Copies, so that selling from one shop never changes the seed list for the next.
  for (const product of SEED_PRODUCTS) products.set(product.sku, { ...product });
  return {
    products,
    orders: new Map(),
    payments: [],
    notifications: [],
    idempotencyKeys: new Map(),
    lastId: 0,
    log,
  };
}

// Short readable ids (ord_7, pay_8): easy to type into curl while following the chapter.
function newId(state: State, prefix: string): string {
  state.lastId += 1;
  return `${prefix}_${state.lastId}`;
}
// #endregion storage

// #region errors
// Anything that should reach the client as a JSON error is thrown as a ShopError; the
// request handler at the bottom turns it into a response. Any other exception is a bug.
class ShopError extends Error {
  status: number;
  code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function invalid(message: string): ShopError {
  return new ShopError(400, 'invalid_request', message);
}
// #endregion errors

// #region validate-product
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntegerBetween(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

// Text a client sent, checked so that it can be stored and passed on: no U+0000 (Postgres
// text cannot hold it) and no unpaired UTF-16 surrogate (it has no UTF-8 form, so it cannot
// be stored or put in a URL). The length counts characters (code points), as the contract's
// JSON Schema does, so an emoji is one character, not two.
function isText(value: unknown, min: number, max: number): value is string {
  if (typeof value !== 'string' || /[\u0000\p{Cs}]/u.test(value)) return false;
  const length = [...value].length;
  return length >= min && length <= max;
}

function validateNewProduct(body: unknown): Product {
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
function validateOrderRequest(body: unknown): OrderRequest {
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

function validateIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || header.length < 1 || header.length > 200) {
    throw invalid('Idempotency-Key header must be 1-200 characters');
  }
  return header;
}
// #endregion validate-order

// #region order-total
// The most one order may come to: far above what the card processor accepts, but a bound all
// the same, so that every later stage can store any total it accepts and send it on. The
// total is known only once the lines are priced, so placeOrder checks it then, before
// anything is stored or reserved.
const MAX_ORDER_TOTAL_CENTS = 1_000_000_000;

function validateOrderTotal(lines: OrderLine[]): void {
  let totalCents = 0;
  for (const line of lines) totalCents += line.unitPriceCents * line.quantity;
  if (totalCents > MAX_ORDER_TOTAL_CENTS) {
    throw invalid(`items: the order's totalCents would be ${totalCents}, above the limit of ${MAX_ORDER_TOTAL_CENTS} for one order`);
  }
}
// #endregion order-total

// #region card-processor
// A pretend card processor. A real one is a network call away and can be slow or down;
// this one answers at once, and declines any single charge above 500,000 cents so a failed
// payment can be shown on demand.
const CARD_LIMIT_CENTS = 500_000;

function chargeCard(state: State, orderId: string, amountCents: number): Payment {
  const payment: Payment = {
    id: newId(state, 'pay'),
    orderId,
    amountCents,
    status: amountCents > CARD_LIMIT_CENTS ? 'declined' : 'captured',
  };
  // Declined attempts are kept too: they are what tells support why an order failed.
  state.payments.push(payment);
  return payment;
}
// #endregion card-processor

// #region notifications
function formatMoney(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

// Stands in for sending an email: the notification is recorded (GET /notifications) and
// the text the customer would read is printed on the console.
function notify(state: State, order: Order, kind: NotificationKind, note = ''): void {
  state.notifications.push({
    id: newId(state, 'ntf'),
    customerId: order.customerId,
    orderId: order.id,
    kind,
    createdAt: new Date().toISOString(),
  });
  let text: string;
  if (kind === 'order_confirmed') {
    let totalCents = 0;
    for (const line of order.items) {
      let lineCents = line.unitPriceCents * line.quantity;
      // Bulk discount: 10% off a line of 10 or more, rounded down to whole cents.
      if (line.quantity >= 10) lineCents = Math.floor((lineCents * 90) / 100);
      totalCents += lineCents;
    }
    text = `Order ${order.id} is confirmed. Total: ${formatMoney(totalCents)}.`;
  } else if (kind === 'order_rejected') {
    text = `Sorry, order ${order.id} could not be placed (${order.reason ?? 'unknown reason'}).`;
  } else {
    text = `Order ${order.id} is cancelled${note ? ` (${note})` : ''}. Your payment is refunded.`;
  }
  state.log(`email to ${order.customerId}: ${text}`);
}

// Every order that reaches a final status passes through here, so it gets exactly one
// notification for that status.
function finish(state: State, order: Order, status: OrderStatus, reason?: RejectReason, note = ''): void {
  order.status = status;
  if (reason) order.reason = reason;
  if (status === 'confirmed') notify(state, order, 'order_confirmed');
  if (status === 'rejected') notify(state, order, 'order_rejected');
  if (status === 'cancelled') notify(state, order, 'order_cancelled', note);
}
// #endregion notifications

// #region place-order
function placeOrder(state: State, request: OrderRequest): Order {
  // Price every line from the catalogue. An unknown sku refuses the whole order before
  // anything is stored, so the client can fix it and try again.
  const picked: { product: Product; quantity: number }[] = [];
  const lines: OrderLine[] = [];
  for (const item of request.items) {
    const product = state.products.get(item.sku);
    if (!product) throw new ShopError(422, 'unknown_sku', `items: unknown sku ${item.sku}`);
    picked.push({ product, quantity: item.quantity });
    lines.push({ sku: item.sku, quantity: item.quantity, unitPriceCents: product.priceCents });
  }
  validateOrderTotal(lines);

  const order: Order = {
    id: newId(state, 'ord'),
    customerId: request.customerId,
    items: lines,
    status: 'pending',
    createdAt: new Date().toISOString(),
  };
  state.orders.set(order.id, order);

  // Check the stock of every line, then reserve it. Nothing between the check and the
  // reservation awaits anything, so Node runs both without letting another request in:
  // two buyers can never both see "1 left" and both take it. Put an `await` in between (a
  // database query, a call to another service) and that guarantee is gone; later stages
  // have to earn it back with transactions and locks.
  const short = picked.find((p) => p.product.stock < p.quantity);
  if (short) {
    finish(state, order, 'rejected', 'out_of_stock');
    return order;
  }
  for (const p of picked) p.product.stock -= p.quantity;

  // Charge the card for the whole order.
  let amountCents = 0;
  for (const line of order.items) {
    let lineCents = line.unitPriceCents * line.quantity;
    // Bulk discount: 10% off a line of 10 or more, rounded down to whole cents.
    if (line.quantity >= 10) lineCents = Math.floor((lineCents * 90) / 100);
    amountCents += lineCents;
  }
  const payment = chargeCard(state, order.id, amountCents);
  if (payment.status === 'declined') {
    // The reservation only stands if the order is paid for: give the stock back.
    for (const p of picked) p.product.stock += p.quantity;
    finish(state, order, 'rejected', 'payment_declined');
    return order;
  }

  finish(state, order, 'confirmed');
  return order;
}
// #endregion place-order

// #region cancel-order
function cancelOrder(state: State, orderId: string, note: string): Order {
  const order = state.orders.get(orderId);
  if (!order) throw new ShopError(404, 'not_found', `order ${orderId} not found`);
  // Here an order is final by the time POST /orders answers, so 'pending' is never seen
  // from outside and only a confirmed order can still be cancelled.
  if (order.status !== 'confirmed') {
    throw new ShopError(409, 'not_cancellable', `order ${order.id} is ${order.status} and cannot be cancelled`);
  }
  // Undo what confirming did: refund the money, put the stock back.
  for (const payment of state.payments) {
    if (payment.orderId === order.id && payment.status === 'captured') payment.status = 'refunded';
  }
  for (const line of order.items) {
    const product = state.products.get(line.sku);
    if (product) product.stock += line.quantity;
  }
  finish(state, order, 'cancelled', undefined, note);
  return order;
}
// #endregion cancel-order

// #region idempotency
// A client whose request timed out cannot tell whether the order went through, so it
// sends the same request again with the same Idempotency-Key. We answer with the order
// made the first time instead of making, and charging, a second one. The key is tied to
// the exact request, so reusing it for a different order is refused.
function findEarlierOrder(state: State, key: string, fingerprint: string): Order | undefined {
  const earlier = state.idempotencyKeys.get(key);
  if (!earlier) return undefined;
  if (earlier.fingerprint !== fingerprint) {
    throw new ShopError(422, 'idempotency_key_reused', 'Idempotency-Key was already used for a different request');
  }
  return state.orders.get(earlier.orderId);
}

function rememberKey(state: State, key: string, fingerprint: string, orderId: string): void {
  state.idempotencyKeys.set(key, { fingerprint, orderId });
}
// #endregion idempotency

// #region order-json
// What clients see of an order. The total is not stored: it is worked out from the lines
// whenever an order is sent, so it can never disagree with them.
function orderJson(order: Order) {
  let totalCents = 0;
  for (const line of order.items) {
    let lineCents = line.unitPriceCents * line.quantity;
    // Bulk discount: 10% off a line of 10 or more, rounded down to whole cents.
    if (line.quantity >= 10) lineCents = Math.floor((lineCents * 90) / 100);
    totalCents += lineCents;
  }
  return {
    id: order.id,
    customerId: order.customerId,
    items: order.items,
    totalCents,
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
    throw new ShopError(413, 'payload_too_large', 'request body is larger than 1 MiB');
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  // checked on the text, before anything builds or walks it: a body nested thousands deep
  // would overflow the stack of whatever recursed through it
  if (nestedDeeperThan(text)) throw new ShopError(400, 'invalid_json', `request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ShopError(400, 'invalid_json', 'request body is not valid JSON');
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
    throw invalid(`query parameter ${name} is required (1-64 characters, without U+0000 or unpaired surrogates)`);
  }
  return value;
}
// #endregion http-helpers

// #region request-target
// What a request names: the request target, routed by its path alone (an absolute-form
// `http://host/path` keeps its path and drops its host), and how deep a JSON body nests.
// Paths that could be read as another host or path are refused, not guessed at: a backslash,
// an empty segment (`//host`, `/orders/`), a dot segment (`/x/../y`). Nothing here throws.
const MAX_JSON_DEPTH = 64;

// scheme "://" authority: the authority is never looked at
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
// A base that the path is resolved against; the checks above leave it no way to matter.
const BASE = 'http://target.invalid';

type Target = { url: URL } | { invalid: string };

function parseTarget(raw: string | undefined): Target {
  const text = raw ?? '/';
  // visible ASCII only: Node lets some bytes through that no URL may hold
  if (!/^[\x21-\x7e]+$/.test(text)) return { invalid: 'the request target may hold visible ASCII characters only (percent-encode the rest)' };
  const absolute = ABSOLUTE_FORM.exec(text);
  let rest = absolute ? text.slice(absolute[0].length) : text;
  if (absolute && (rest === '' || rest.startsWith('?'))) rest = `/${rest}`;
  if (!rest.startsWith('/')) return { invalid: 'the request target must be a path beginning with / (or an absolute URL)' };
  if (rest.includes('#')) return { invalid: 'the request target may not hold a fragment (#)' };
  const query = rest.indexOf('?');
  const path = query < 0 ? rest : rest.slice(0, query);
  if (path.includes('\\')) return { invalid: 'the path may not hold a backslash' };
  const segments = path.split('/').slice(1);
  if (path !== '/' && segments.some((segment) => segment === '')) return { invalid: 'the path may not hold an empty segment (// or a trailing /)' };
  if (segments.some((segment) => DOT_SEGMENT.test(segment))) return { invalid: 'the path may not hold a . or .. segment' };
  try {
    return { url: new URL(rest, BASE) };
  } catch {
    return { invalid: 'the request target is not a valid path' };
  }
}

// True when a JSON text nests arrays and objects deeper than `limit`: checked on the text,
// before JSON.parse builds it and before anything walks it (validation, JSON.stringify).
function nestedDeeperThan(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // \ escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
// #endregion request-target

// #region routes
type Reply = { status: number; body: unknown };

const PAGE_SIZE = 20;

async function handle(state: State, req: IncomingMessage): Promise<Reply> {
  const target = parseTarget(req.url);
  if ('invalid' in target) throw new ShopError(400, 'invalid_request', target.invalid);
  const { url } = target;
  const path = url.pathname;
  const method = req.method ?? 'GET';

  if (method === 'GET' && path === '/health') {
    return { status: 200, body: { status: 'ok' } };
  }

  if (method === 'GET' && path === '/products') {
    const products = [...state.products.values()];
    products.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    return { status: 200, body: products };
  }

  if (method === 'POST' && path === '/products') {
    const product = validateNewProduct(await readJson(req));
    if (state.products.has(product.sku)) {
      throw new ShopError(409, 'sku_exists', `sku ${product.sku} already exists`);
    }
    state.products.set(product.sku, product);
    return { status: 201, body: product };
  }

  if (method === 'POST' && path === '/orders') {
    const key = validateIdempotencyKey(req.headers['idempotency-key']);
    const request = validateOrderRequest(await readJson(req));
    // From here to the reply nothing awaits, so a second request with the same key can't
    // slip in between the lookup and rememberKey and place a second order.
    if (key === undefined) {
      return { status: 201, body: orderJson(placeOrder(state, request)) };
    }
    const fingerprint = JSON.stringify(request);
    const earlier = findEarlierOrder(state, key, fingerprint);
    if (earlier) return { status: 200, body: orderJson(earlier) };
    const order = placeOrder(state, request);
    rememberKey(state, key, fingerprint, order.id);
    return { status: 201, body: orderJson(order) };
  }

  if (method === 'GET' && path === '/orders') {
    const customerId = requiredParam(url, 'customerId');
    const pageText = url.searchParams.get('page') ?? '1';
    const page = Number(pageText);
    if (!/^[0-9]+$/.test(pageText) || !Number.isSafeInteger(page) || page < 1) {
      throw invalid('query parameter page must be a whole number from 1 up');
    }
    const mine = [...state.orders.values()].filter((o) => o.customerId === customerId).reverse();
    const items = mine.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(orderJson);
    return { status: 200, body: { items, page, pageSize: PAGE_SIZE } };
  }

  const orderPath = /^\/orders\/([^/]+)$/.exec(path);
  if (method === 'GET' && orderPath) {
    const order = state.orders.get(orderPath[1] ?? '');
    if (!order) throw new ShopError(404, 'not_found', `order ${orderPath[1]} not found`);
    return { status: 200, body: orderJson(order) };
  }

  const cancelPath = /^\/orders\/([^/]+)\/cancel$/.exec(path);
  if (method === 'POST' && cancelPath) {
    // The body is optional here: `curl -X POST .../cancel` is a reasonable thing to type.
    const body = (await readJson(req)) ?? {};
    if (!isObject(body)) throw invalid('body must be a JSON object');
    const reason = body.reason ?? '';
    if (!isText(reason, 0, 500)) {
      throw invalid('reason must be a string of at most 500 characters, without U+0000 or unpaired surrogates');
    }
    return { status: 200, body: orderJson(cancelOrder(state, cancelPath[1] ?? '', reason)) };
  }

  if (method === 'GET' && path === '/payments') {
    const orderId = requiredParam(url, 'orderId');
    return { status: 200, body: state.payments.filter((p) => p.orderId === orderId) };
  }

  if (method === 'GET' && path === '/notifications') {
    const customerId = requiredParam(url, 'customerId');
    return { status: 200, body: state.notifications.filter((n) => n.customerId === customerId) };
  }

  throw new ShopError(404, 'not_found', `no route for ${method} ${path}`);
}
// #endregion routes

// #region client-errors
// Answers for the requests Node's own HTTP parser refuses before any handler runs: a request
// line or header it cannot read, a request line and headers over its 16 KiB limit, a request
// that never finished arriving, and CONNECT (which asks for a tunnel, not a resource). Without
// these listeners Node answers a bare 400 or 431 with no body, or just closes the connection;
// with them every answer carries the contract's JSON error. Nothing here may throw: the socket
// may already be closed, and a listener that throws would end the process.

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function answerAndClose(socket: Duplex, status: number, message: string): void {
  try {
    if (!socket.writable) return void socket.destroy();
    // a bad request pipelined after a good one: the good one's answer goes first, then ours
    // (Node keeps the response in flight on a socket as _httpMessage until it has been sent)
    const inFlight = (socket as Duplex & { _httpMessage?: http.ServerResponse | null })._httpMessage;
    if (inFlight && !inFlight.writableFinished) {
      // the request being answered did not arrive whole (its client stopped mid-body): the
      // error is its own, so end the connection, which ends that request's body with an error;
      // waiting for its answer would wait for a body that never comes
      if (!inFlight.req.complete) return void socket.destroy();
      return void inFlight.once('close', () => answerAndClose(socket, status, message));
    }
    const body = JSON.stringify({ error: { code: 'invalid_request', message } });
    const head = [`HTTP/1.1 ${status} ${REASONS[status]}`, 'Content-Type: application/json; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  } catch {
    socket.destroy();
  }
}

function clientErrorAnswer(error: Error & { code?: string }): [number, string] {
  if (error.code === 'HPE_HEADER_OVERFLOW') return [431, 'the request line and headers are larger than 16 KiB'];
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'the request did not arrive in time'];
  return [400, 'the request line or a header could not be read as HTTP/1.1'];
}

/** Gives a server JSON answers for what its parser refuses, and for CONNECT; returns the server. */
function answerClientErrors<S extends http.Server>(server: S): S {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    // a connection the client reset has no one left to answer
    if (error.code === 'ECONNRESET') return void socket.destroy();
    const [status, message] = clientErrorAnswer(error);
    answerAndClose(socket, status, message);
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => undefined);
    answerAndClose(socket, 400, 'CONNECT is not served here: a request target must be a path');
  });
  return server;
}
// #endregion client-errors

// #region start
export type ShopOptions = {
  // Where the pretend emails go; tests pass a function that keeps them quiet.
  log?: (line: string) => void;
};

// A fresh shop with its own memory, not yet listening: tests start as many as they like.
export function createShop(options: ShopOptions = {}): http.Server {
  const state = newState(options.log ?? ((line) => console.log(line)));
  return answerClientErrors(http.createServer((req, res) => {
    // .catch after .then: an answer that cannot be sent (or an error in sending one) is a 500
    // for this request only, never an unhandled rejection that ends the process
    handle(state, req)
      .then((reply) => sendJson(res, reply.status, reply.body))
      .catch((error: unknown) => {
        if (res.headersSent) return void res.destroy(); // too late for an answer of its own
        if (error instanceof ShopError) {
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

function startFromCommandLine(): void {
  const port = Number(process.env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number, got ${process.env.PORT}`);
    process.exit(1);
  }
  const server = createShop();
  server.on('error', (error) => {
    console.error(`shop could not start: ${error.message}`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    console.log(`shop ready on http://127.0.0.1:${actualPort}`);
  });

  // Stop promptly: whoever started us (a terminal, a test, a supervisor) is waiting.
  // Everything is in memory, so there is nothing to flush before leaving.
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

// Listen only when run as a program (`node src/shop.ts`), not when a test imports the file.
function isRunDirectly(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}
if (isRunDirectly()) startFromCommandLine();
// #endregion start
