// In-memory stand-ins for the services a saga commands, with the same idempotency rules as
// the real ones (keys per step), and counters of what really happened: the stock taken and
// given back, the cards charged, the orders settled. A test can also make a call fail, or
// "crash" the runner at any point: the call does its work and then never answers, as if the
// orchestrator had been killed right there.

import type { Database } from '../src/shared/ports.ts';
import type { RejectReason } from '../src/modules/orders/model.ts';
import type { Saga, StockLine } from '../src/modules/orders/saga/model.ts';
import type { SagaInventory, SagaOrders, SagaPayments } from '../src/modules/orders/saga/ports.ts';
import { PostgresSagas } from '../src/modules/orders/saga/repository.ts';
import type { SagaStore } from '../src/modules/orders/saga/runner.ts';

export const CARD_LIMIT_CENTS = 500_000;

// Counts the points where a crash can happen (after every call's work, after every save)
// and freezes at the chosen one: that call's promise never settles.
export class Crasher {
  points = 0;
  at = 0; // 0: never
  crashed = false;
  point<T>(value: T): Promise<T> {
    this.points++;
    if (this.crashed || this.points === this.at) {
      this.crashed = true;
      return new Promise<T>(() => {});
    }
    return Promise.resolve(value);
  }
}

// Fails the next `n` calls of a kind before doing any work (a service that is down).
export class Failures {
  private left = new Map<string, number>();
  always = new Set<string>();
  fail(kind: string, n: number) {
    this.left.set(kind, n);
  }
  check(kind: string) {
    if (this.always.has(kind)) throw new Error(`${kind}: the service is not answering`);
    const n = this.left.get(kind) ?? 0;
    if (n > 0) {
      this.left.set(kind, n - 1);
      throw new Error(`${kind}: the service is not answering`);
    }
  }
}

export type Guard = { check(what: string): void };

// What every fake shares: where it may crash, which calls fail, and a guard that sees every call.
class FakeService {
  protected crash: Crasher;
  protected failures: Failures;
  protected guard: Guard | undefined;
  constructor(crash: Crasher, failures: Failures, guard?: Guard) {
    this.crash = crash;
    this.failures = failures;
    this.guard = guard;
  }
}

export class FakeInventory extends FakeService implements SagaInventory {
  stock = new Map<string, number>();
  reservations = new Map<string, { lines: StockLine[]; state: 'reserved' | 'released' }>();
  taken = 0; // units subtracted, ever
  givenBack = 0; // units put back, ever
  calls: string[] = [];

  async reserve(key: string, lines: StockLine[]) {
    this.calls.push(`reserve ${key}`);
    this.guard?.check('reserve');
    this.failures.check('reserve');
    const known = this.reservations.get(key);
    let answer: 'reserved' | 'out_of_stock' | 'unknown_sku';
    if (known) answer = known.state === 'reserved' ? 'reserved' : 'out_of_stock';
    else if (lines.some((l) => !this.stock.has(l.sku))) answer = 'unknown_sku';
    else if (lines.some((l) => (this.stock.get(l.sku) ?? 0) < l.quantity)) answer = 'out_of_stock';
    else {
      for (const l of lines) this.stock.set(l.sku, (this.stock.get(l.sku) ?? 0) - l.quantity);
      this.taken += lines.reduce((n, l) => n + l.quantity, 0);
      this.reservations.set(key, { lines, state: 'reserved' });
      answer = 'reserved';
    }
    return this.crash.point(answer);
  }

  async release(key: string) {
    this.calls.push(`release ${key}`);
    this.guard?.check('release');
    this.failures.check('release');
    const known = this.reservations.get(key);
    if (!known) this.reservations.set(key, { lines: [], state: 'released' });
    else if (known.state === 'reserved') {
      for (const l of known.lines) this.stock.set(l.sku, (this.stock.get(l.sku) ?? 0) + l.quantity);
      this.givenBack += known.lines.reduce((n, l) => n + l.quantity, 0);
      known.state = 'released';
    }
    return this.crash.point(undefined);
  }
}

export class FakePayments extends FakeService implements SagaPayments {
  byKey = new Map<string, { orderId: string; amountCents: number; status: 'captured' | 'declined' | 'refunded' }>();
  cardCharges = new Map<string, number>(); // orderId -> times the card was charged
  refunds = new Map<string, number>(); // orderId -> times money went back
  calls: string[] = [];

  async charge(key: string, orderId: string, amountCents: number) {
    this.calls.push(`charge ${key}`);
    this.guard?.check('charge');
    this.failures.check('charge');
    let known = this.byKey.get(key);
    if (!known) {
      const status = amountCents > CARD_LIMIT_CENTS ? 'declined' : 'captured';
      if (status === 'captured') this.cardCharges.set(orderId, (this.cardCharges.get(orderId) ?? 0) + 1);
      known = { orderId, amountCents, status };
      this.byKey.set(key, known);
    }
    const answer: 'captured' | 'declined' = known.status === 'captured' ? 'captured' : 'declined';
    return this.crash.point(answer);
  }

  async refund(key: string, orderId: string, amountCents: number) {
    this.calls.push(`refund ${key}`);
    this.guard?.check('refund');
    this.failures.check('refund');
    const known = this.byKey.get(key);
    if (!known) this.byKey.set(key, { orderId, amountCents, status: 'refunded' });
    else if (known.status === 'captured') {
      known.status = 'refunded';
      this.refunds.set(orderId, (this.refunds.get(orderId) ?? 0) + 1);
    }
    return this.crash.point(undefined);
  }

  captured(orderId: string): number {
    return [...this.byKey.values()].filter((p) => p.orderId === orderId && p.status === 'captured').length;
  }
}

export class FakeOrders extends FakeService implements SagaOrders {
  status = new Map<string, { status: string; reason?: RejectReason }>();
  events: { orderId: string; status: string }[] = [];
  // what happens right after an order changes status (a test: the customer cancels)
  onChange: ((orderId: string, status: string) => Promise<unknown>) | undefined;

  place(orderId: string) {
    this.status.set(orderId, { status: 'pending' });
  }

  async settle(orderId: string, status: 'confirmed' | 'rejected' | 'cancelled', reason?: RejectReason) {
    this.guard?.check('settle');
    this.failures.check('settle');
    const current = this.status.get(orderId)?.status;
    const from = status === 'cancelled' ? ['pending', 'confirmed'] : ['pending'];
    if (current && from.includes(current)) {
      this.status.set(orderId, { status, ...(reason ? { reason } : {}) });
      this.events.push({ orderId, status });
      await this.onChange?.(orderId, status);
    }
    return this.crash.point(undefined);
  }
}

export { openTestDatabase as openSagaDatabase } from './support.ts';

// The orders row a saga belongs to (orders.sagas refers to it).
export async function addOrderRow(db: Database, id: string, customerId = 'ada'): Promise<void> {
  await db.query("INSERT INTO orders.orders (id, customer_id, status, created_at) VALUES ($1, $2, 'pending', now())", [id, customerId]);
}

// The store as the runner sees it, with a crash point after every committed save. It shows
// the runner only the sagas in `own`: the tests share one database.
export function crashingStore(sagas: PostgresSagas, crash: Crasher, own: Set<string>): SagaStore {
  return {
    get: (id) => sagas.get(id),
    withWork: async (limit) => (await sagas.withWork(10_000)).filter((id) => own.has(id)).slice(0, limit),
    save: async (previous: Saga, next: Saga) => crash.point(await sagas.save(previous, next)),
  };
}
