// The payments service's HTTP API: the payments module's interface, one route per method.
// HttpPayments (src/adapters/http-payments.ts) is its client. Requests marked `x-shadow: 1`
// go to the shadow instance, which answers the same way and changes nothing. Stage 7 adds
// idempotency keys on charges, run-time fault injection and the ops routes to drive them.

import type http from 'node:http';
import type { Database } from '../shared/ports.ts';
import type { Payments } from '../modules/payments/index.ts';
import { invalid, ShopError } from '../shared/errors.ts';
import { isIntegerBetween, isObject } from '../shared/validate.ts';
import { FaultInjector, validateFaults } from './faults.ts';
import { HttpError, jsonServer, readJson, requestUrl, requiredParam } from './http.ts';
import type { Reply } from './http.ts';
import { paymentsRoutes } from './payments-rpc.ts';
import { serveRpc } from './rpc-server.ts';

function orderIdOf(body: unknown): string {
  if (!isObject(body) || typeof body.orderId !== 'string' || body.orderId.length < 1 || body.orderId.length > 64) {
    throw invalid('orderId must be a string of 1-64 characters');
  }
  return body.orderId;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// #region idempotency-store
// What a key was used for (the request's fingerprint) and the answer it got, kept so a
// retry with the same key gets the same answer instead of a second charge.
export type StoredAnswer = { fingerprint: string; status: number; body: unknown };
export interface IdempotencyStore {
  get(key: string): Promise<StoredAnswer | undefined>;
  put(key: string, answer: StoredAnswer): Promise<void>;
}

export class PostgresIdempotencyStore implements IdempotencyStore {
  private db: Database;
  constructor(db: Database) {
    this.db = db;
  }
  async get(key: string): Promise<StoredAnswer | undefined> {
    const { rows } = await this.db.query<{ fingerprint: string; status: number; body: unknown }>(
      'SELECT fingerprint, status, body FROM payments.idempotency_keys WHERE key = $1',
      [key],
    );
    return rows[0];
  }
  async put(key: string, answer: StoredAnswer): Promise<void> {
    await this.db.query('INSERT INTO payments.idempotency_keys (key, fingerprint, status, body) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING', [
      key,
      answer.fingerprint,
      answer.status,
      JSON.stringify(answer.body),
    ]);
  }
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  private answers = new Map<string, StoredAnswer>();
  async get(key: string) {
    return this.answers.get(key);
  }
  async put(key: string, answer: StoredAnswer) {
    if (!this.answers.has(key)) this.answers.set(key, answer);
  }
}
// #endregion idempotency-store

// #region payments-api
export function createPaymentsServer(
  payments: { real: Payments; shadow: Payments; keys?: IdempotencyStore; faults?: FaultInjector; cards?: { capturedPerOrder(): Promise<Map<string, number>> } },
  log: (line: string) => void = (line) => console.log(line),
): http.Server {
  const keys = payments.keys ?? new MemoryIdempotencyStore();
  const faults = payments.faults ?? new FaultInjector();
  const inFlight = new Map<string, Promise<Reply>>();

  // #region idempotent-charge
  // The same key: wait for a charge still in flight, then replay the stored answer. The
  // same key with another body is a client bug: 422 idempotency_key_reused, as the shop does.
  async function charge(target: Payments, orderId: string, amountCents: number, key: string | undefined): Promise<Reply> {
    const work = async (): Promise<Reply> => {
      const payment = await target.charge(orderId, amountCents, key);
      if (target === payments.real) log(`charged ${orderId} ${amountCents} cents: ${payment.status}${key ? '' : ' (no idempotency key)'}`);
      return { status: 201, body: payment };
    };
    if (key === undefined || target !== payments.real) return work();
    const fingerprint = JSON.stringify({ orderId, amountCents });
    const running = inFlight.get(key);
    if (running) await running.catch(() => {});
    const stored = await keys.get(key);
    if (stored) {
      if (stored.fingerprint !== fingerprint) throw new ShopError('idempotency_key_reused', 'Idempotency-Key was already used for a different charge');
      log(`replayed the charge for ${orderId} (key ${key}): no second charge`);
      return { status: stored.status, body: stored.body };
    }
    // No stored key, but a recorded payment: the service died after recording the payment
    // and before storing the key. That payment is the answer; store the key now.
    const recorded = (await target.listForOrder(orderId)).find((p) => p.amountCents === amountCents && p.status !== 'refunded');
    if (recorded) {
      await keys.put(key, { fingerprint, status: 201, body: recorded });
      log(`replayed the charge for ${orderId} (key ${key}, recorded before a restart): no second charge`);
      return { status: 201, body: recorded };
    }
    // Another request with this key started while we were looking: wait for it instead.
    if (inFlight.has(key)) return charge(target, orderId, amountCents, key);
    const attempt = work().then(async (reply) => {
      await keys.put(key, { fingerprint, status: reply.status, body: reply.body });
      return reply;
    });
    inFlight.set(key, attempt);
    try {
      return await attempt;
    } finally {
      inFlight.delete(key);
    }
  }
  // #endregion idempotent-charge

  // #region close-charge
  // Stage 9: a refund that names a charge by its key (the saga's compensation) also closes
  // that key. A charge still in flight under it is waited for, so it is refunded below; a
  // charge that has not arrived yet (it was only slow) finds the key taken when it does, and
  // is answered "refunded" without touching the card.
  async function closeCharge(orderId: string, body: unknown, key: string): Promise<void> {
    const amountCents = isObject(body) ? body.amountCents : undefined;
    if (!isIntegerBetween(amountCents, 1, 1_000_000_000)) throw invalid('amountCents must be a positive integer when the refund names a charge');
    if (key.length < 1 || key.length > 200) throw invalid('Idempotency-Key must be 1-200 characters');
    await inFlight.get(key)?.catch(() => {});
    const closed = { id: `closed-${key}`, orderId, amountCents, status: 'refunded' };
    await keys.put(key, { fingerprint: JSON.stringify({ orderId, amountCents }), status: 201, body: closed });
  }
  // #endregion close-charge

  const server = jsonServer(async (req) => {
    const url = requestUrl(req);
    const route = `${req.method} ${url.pathname}`;
    const target = req.headers['x-shadow'] === '1' ? payments.shadow : payments.real;

    if (route === 'GET /health') return { status: 200, body: { status: 'ok' } };
    if (route === 'GET /ops/faults') return { status: 200, body: faults.faults };
    if (route === 'PUT /ops/faults') {
      const faultsNow = faults.set(validateFaults(await readJson(req)));
      log(`faults now: latency ${faultsNow.latencyMs} ms, errors ${faultsNow.errorRate}, dropped answers ${faultsNow.dropRate}, idempotency keys ${faultsNow.idempotencyKeys ? 'on' : 'off'}`);
      return { status: 200, body: faultsNow };
    }
    if (route === 'GET /ops/charges') {
      const orders = Object.fromEntries((await payments.cards?.capturedPerOrder()) ?? []);
      const counts = Object.values(orders);
      return {
        status: 200,
        body: { orders, cardCharges: counts.reduce((a, b) => a + b, 0), doubleCharged: Object.keys(orders).filter((id) => (orders[id] ?? 0) > 1) },
      };
    }

    // #region inject-faults
    const fault = target === payments.real ? faults.decide() : { delayMs: 0, fail: false, drop: false };
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.fail) throw new HttpError(503, 'injected_fault', 'fault injection: this request failed before any work was done');
    const reply = await answer();
    return fault.drop ? { ...reply, drop: true } : reply;
    // #endregion inject-faults

    async function answer(): Promise<Reply> {
      if (route === 'POST /charges') {
        const body = await readJson(req);
        const orderId = orderIdOf(body);
        const amountCents = isObject(body) ? body.amountCents : undefined;
        if (!isIntegerBetween(amountCents, 1, 1_000_000_000)) throw invalid('amountCents must be a positive integer');
        const header = req.headers['idempotency-key'];
        const key = typeof header === 'string' && faults.faults.idempotencyKeys ? header : undefined;
        if (key !== undefined && (key.length < 1 || key.length > 200)) throw invalid('Idempotency-Key must be 1-200 characters');
        return charge(target, orderId, amountCents, key);
      }
      if (route === 'POST /refunds') {
        const body = await readJson(req);
        const orderId = orderIdOf(body);
        const header = req.headers['idempotency-key'];
        if (typeof header === 'string' && target === payments.real) await closeCharge(orderId, body, header);
        await target.refund(orderId, typeof header === 'string' ? header : undefined);
        if (target === payments.real) log(`refunded ${orderId}`);
        return { status: 200, body: { refunded: true } };
      }
      if (route === 'GET /payments') {
        return { status: 200, body: await target.listForOrder(requiredParam(url, 'orderId')) };
      }
      throw new HttpError(404, 'not_found', `no route for ${route}`);
    }
  });
  // Stage 13: the same charge and refund as RPCs, on the same port (src/adapters/payments-rpc.ts)
  const refund = async (orderId: string, key: string | undefined) => {
    await payments.real.refund(orderId, key);
    log(`refunded ${orderId}`);
  };
  serveRpc(server, paymentsRoutes({ charge: (orderId, amountCents, key) => charge(payments.real, orderId, amountCents, key), closeCharge, refund, faults }));
  return server;
}
// #endregion payments-api
