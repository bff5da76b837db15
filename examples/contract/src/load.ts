// Load as an operator would put it on a stage, with a maintained HTTP load generator
// (autocannon): first connections reading GET /products, then connections placing orders, each
// order with an Idempotency-Key of its own (one in ten a replay of the connection's last key).
// Afterwards every accepted order is followed until it is final, and the accounts are checked.
//
// What it returns are figures (throughput, latency, how long the backlog took to drain) and
// findings (what broke the contract); the suite (load-suite.ts) asserts on the findings, the
// measuring script (measure-load.ts) prints and stores the figures.

import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { request } from './launch.ts';
import type { JsonResponse } from './launch.ts';

export type LoadPlan = {
  readConnections: number;
  readSeconds: number;
  orderConnections: number;
  orderSeconds: number;
  // how long after the load an accepted order may still be pending (the contract's 10 s)
  finalWithinMs?: number;
};

export type LoadFigures = {
  plan: LoadPlan;
  reads: { requests: number; perSecond: number; p50Ms: number; p99Ms: number; statuses: Record<string, number> };
  orders: {
    sent: number;
    accepted: number;
    acceptedPerSecond: number;
    // answered 503 with Retry-After before anything was stored: the stage's backpressure
    refused: number;
    p50Ms: number;
    p99Ms: number;
    statuses: Record<string, number>;
  };
  // accepted orders final within the load, and how long the rest took once it stopped
  finalDuringLoad: number;
  lastFinalAfterLoadMs: number;
  // accepted orders still pending when the run stopped following them (finalWithinMs + 5 s
  // after the load): lastFinalAfterLoadMs is then only where the run gave up
  unfinished: number;
  // every accepted order final, over the time from the first order to the last final one
  finishedPerSecond: number;
  outcomes: Record<string, number>;
};

export type LoadReport = { figures: LoadFigures; findings: string[] };

type Order = { id: string; status: string; totalCents: number; items: { sku: string; quantity: number }[] };
type Product = { sku: string; stock: number };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const PRICE = 250;
const STOCK = 1_000_000;

// A gateway's rate limit (stages 11, 12) answers 429 to a flood: wait as told, then ask again.
async function call<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<JsonResponse<T>> {
  for (let attempt = 0; ; attempt++) {
    const res = await request<T>(baseUrl, method, path, body);
    if (res.status !== 429 || attempt === 10) return res;
    await sleep(Math.min(Number(res.headers.get('retry-after')) || 1, 5) * 1000);
  }
}

function statusCounts(result: autocannon.Result): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) counts[status] = Number(count);
  if (result.errors) counts.error = result.errors;
  if (result.timeouts) counts.timeout = result.timeouts;
  return counts;
}

function fire(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export async function runLoad(baseUrl: string, plan: LoadPlan): Promise<LoadReport> {
  const findings: string[] = [];
  const finalWithinMs = plan.finalWithinMs ?? 10_000;
  const tag = `ld${randomBytes(3).toString('hex')}`;
  const sku = `${tag}-mug`;
  const made = await call(baseUrl, 'POST', '/products', { sku, name: `Load ${tag}`, priceCents: PRICE, stock: STOCK });
  if (made.status !== 201) throw new Error(`creating ${sku}: ${made.status} ${made.text}`);

  const readResult = await fire({ url: `${baseUrl}/products`, connections: plan.readConnections, duration: plan.readSeconds, timeout: 10 });

  // Orders: every answer read, so accepted ones can be followed and replays compared.
  const accepted = new Map<string, { id: string; at: number }>(); // by Idempotency-Key
  const orderIds = new Map<string, number>(); // id -> when accepted
  const orderStatuses: Record<string, number> = {};
  let keys = 0;
  let refused = 0;
  let refusedWithoutRetryAfter = 0;
  const body = (customerId: string) => JSON.stringify({ customerId, items: [{ sku, quantity: 1 }] });
  const loadStart = Date.now();
  const orderResult = await fire({
    url: baseUrl,
    connections: plan.orderConnections,
    duration: plan.orderSeconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/orders',
        setupRequest(req, context) {
          const ctx = context as { key?: string; lastKey?: string };
          const key = ctx.lastKey !== undefined && Math.random() < 0.1 ? ctx.lastKey : `${tag}-${(keys += 1)}`;
          ctx.key = key;
          ctx.lastKey = key;
          return { ...req, headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: body(`${tag}-c`) };
        },
        onResponse(status, text, context, headers) {
          orderStatuses[status] = (orderStatuses[status] ?? 0) + 1;
          const key = (context as { key: string }).key;
          // the one 5xx the contract allows under load: backpressure, 503 `overloaded`
          if (status === 503 && text.includes('"overloaded"')) {
            refused++;
            if (!headers?.['retry-after']) refusedWithoutRetryAfter++;
          } else if (status >= 500) findings.push(`POST /orders answered ${status}: ${text.slice(0, 200)}`);
          if (status < 200 || status > 202) return;
          let id: string;
          try {
            id = (JSON.parse(text) as Order).id;
          } catch {
            findings.push(`POST /orders answered ${status} without an order: ${text.slice(0, 200)}`);
            return;
          }
          const first = accepted.get(key);
          if (first && first.id !== id) findings.push(`Idempotency-Key ${key} placed two orders: ${first.id} and ${id}`);
          if (!first) accepted.set(key, { id, at: Date.now() });
          if (!orderIds.has(id)) orderIds.set(id, Date.now());
        },
      },
    ],
  });
  const loadEnd = Date.now();
  if (refusedWithoutRetryAfter) findings.push(`${refusedWithoutRetryAfter} answers 503 overloaded to POST /orders came without Retry-After`);
  for (const [status, n] of Object.entries(statusCounts(readResult))) {
    if (Number(status) >= 500 || status === 'error' || status === 'timeout') findings.push(`GET /products: ${n} answers ${status}`);
  }
  for (const status of ['error', 'timeout']) {
    const n = statusCounts(orderResult)[status];
    if (n) findings.push(`POST /orders: ${n} requests ended in ${status}`);
  }

  // Orders whose answer the generator never read (in flight when it stopped; on a busy
  // machine some reach the shop only later) are stored all the same: the customer's list names
  // them. It is asked right away and again once every order it knew of was final.
  const pending = new Set<string>(); // in the order they were accepted
  const discover = async (): Promise<number> => {
    let found = 0;
    for (let page = 1; page < 1_000; page++) {
      const res = await call<{ items: Order[]; pageSize: number }>(baseUrl, 'GET', `/orders?customerId=${encodeURIComponent(`${tag}-c`)}&page=${page}`);
      if (res.status !== 200) {
        findings.push(`GET /orders?customerId=${tag}-c&page=${page} answered ${res.status}: ${res.text.slice(0, 200)}`);
        break;
      }
      for (const o of res.json.items) {
        if (orderIds.has(o.id)) continue;
        orderIds.set(o.id, Date.now());
        pending.add(o.id);
        found++;
      }
      if (res.json.items.length < res.json.pageSize) break;
    }
    return found;
  };
  for (const id of orderIds.keys()) pending.add(id);
  await discover();

  // Follow every accepted order until it is final, oldest first; a round stops at a run of
  // still-pending ones (orders finish roughly in the order they came), so the stage is not
  // flooded with reads while it drains.
  const finalAt = new Map<string, number>();
  const finals = new Map<string, Order>();
  const giveUpAt = loadEnd + finalWithinMs + 5_000;
  let lookedAgain = false;
  while ((pending.size > 0 || !lookedAgain) && Date.now() < giveUpAt && findings.length < 50) {
    if (pending.size === 0) {
      lookedAgain = true;
      await sleep(500);
      if ((await discover()) === 0) break;
    }
    const oldestFirst = [...pending];
    let stillPending = 0;
    for (let i = 0; i < oldestFirst.length && stillPending < 4; i += 4) {
      const batch = oldestFirst.slice(i, i + 4);
      const answers = await Promise.all(batch.map((id) => call<Order>(baseUrl, 'GET', `/orders/${encodeURIComponent(id)}`)));
      const now = Date.now();
      answers.forEach((res, j) => {
        const id = batch[j]!;
        if (res.status !== 200) {
          findings.push(`GET /orders/${id} answered ${res.status}: ${res.text.slice(0, 200)}`);
        } else if (res.json.status === 'pending') {
          stillPending++;
        } else {
          finalAt.set(id, now);
          finals.set(id, res.json);
          pending.delete(id);
        }
      });
    }
    if (pending.size > 0) await sleep(100);
  }
  const lastFinal = Math.max(loadEnd, ...finalAt.values());
  if (pending.size > 0) findings.push(`${pending.size} of ${orderIds.size} accepted orders still pending ${Math.round((Date.now() - loadEnd) / 1000)} s after the load: ${[...pending].slice(0, 3).join(', ')}`);
  else if (lastFinal - loadEnd > finalWithinMs) findings.push(`the last accepted order became final ${lastFinal - loadEnd} ms after the load ended (the contract allows ${finalWithinMs} ms)`);

  // The accounts: stock taken only by confirmed orders, one captured payment per confirmed order.
  const outcomes: Record<string, number> = {};
  let confirmedUnits = 0;
  for (const o of finals.values()) {
    outcomes[o.status] = (outcomes[o.status] ?? 0) + 1;
    if (o.status === 'confirmed') confirmedUnits += o.items.reduce((sum, line) => sum + line.quantity, 0);
  }
  if (pending.size === 0) {
    const listed = await call<Product[]>(baseUrl, 'GET', '/products');
    const stock = listed.json?.find?.((p) => p.sku === sku)?.stock;
    if (stock !== STOCK - confirmedUnits) findings.push(`${sku}: started with ${STOCK}, ${confirmedUnits} units confirmed, stock now ${stock}`);
  }
  // payments of up to 100 orders, spread over the run (each is a request: the gateway's rate limit)
  const all = [...finals.values()];
  const sample = all.filter((_, i) => i % Math.max(1, Math.ceil(all.length / 100)) === 0);
  for (const o of sample) {
    const res = await call<{ status: string; amountCents: number }[]>(baseUrl, 'GET', `/payments?orderId=${encodeURIComponent(o.id)}`);
    const captured = Array.isArray(res.json) ? res.json.filter((p) => p.status === 'captured').map((p) => p.amountCents) : undefined;
    const expected = o.status === 'confirmed' ? [o.totalCents] : [];
    if (JSON.stringify(captured) !== JSON.stringify(expected)) findings.push(`${o.status} order ${o.id}: captured ${JSON.stringify(captured)}, expected ${JSON.stringify(expected)}`);
  }

  const orderStatusesAll = { ...orderStatuses, ...Object.fromEntries(Object.entries(statusCounts(orderResult)).filter(([s]) => s === 'error' || s === 'timeout')) };
  const firstAccepted = Math.min(...orderIds.values());
  const figures: LoadFigures = {
    plan,
    reads: {
      requests: readResult.requests.total,
      perSecond: Math.round(readResult.requests.total / plan.readSeconds),
      p50Ms: readResult.latency.p50,
      p99Ms: readResult.latency.p99,
      statuses: statusCounts(readResult),
    },
    orders: {
      sent: orderResult.requests.total,
      accepted: orderIds.size,
      acceptedPerSecond: Math.round((orderIds.size / ((loadEnd - loadStart) / 1000)) * 10) / 10,
      refused,
      p50Ms: orderResult.latency.p50,
      p99Ms: orderResult.latency.p99,
      statuses: orderStatusesAll,
    },
    finalDuringLoad: [...finalAt.values()].filter((at) => at <= loadEnd).length,
    lastFinalAfterLoadMs: lastFinal - loadEnd,
    unfinished: pending.size,
    finishedPerSecond: finalAt.size ? Math.round((finalAt.size / ((lastFinal - firstAccepted) / 1000)) * 10) / 10 : 0,
    outcomes,
  };
  return { figures, findings };
}
