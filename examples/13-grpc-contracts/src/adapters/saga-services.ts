// The saga's commands, over HTTP: the ports of src/modules/orders/saga/ports.ts implemented
// with stage 7's resilient client (timeouts, retries with jitter, a circuit breaker). Each
// command carries the key of its saga step, so a command sent again is applied once.

import type { SagaInventory, SagaPayments } from '../modules/orders/index.ts';
import type { StockLine } from '../modules/inventory/index.ts';
import type { Payment } from '../modules/payments/index.ts';
import { HttpError } from './http.ts';
import { backoffDelay } from './resilience.ts';
import { ServiceClient } from './service-client.ts';
import type { ResilienceOptions } from './service-client.ts';

// #region saga-clients
// The saga runner retries a failed step itself, and gives up on it after a few seconds, so
// each command is short: one retry inside the client, a brief wait for a service that is
// being restarted, and a breaker that tries again after one second.
export const sagaResilience: Partial<ResilienceOptions> = { timeoutMs: 2_000, attempts: 2, breakerCooldownMs: 1_000 };
export const WAIT_MS = 1_500;
// The runner tries a failing step again after a backoff with full jitter, and gives a forward
// step up once it has kept failing for giveUpAfterMs, counted from its first failed command.
// A command to a service that is down fails only after its two attempts have each waited
// WAIT_MS for it, so the whole give-up comes some 2 x WAIT_MS + giveUpAfterMs after the step
// began (test/give-up-timing.test.ts measures it).
export const sagaRetry = {
  giveUpAfterMs: 5_000,
  retryDelay: (attempt: number) => backoffDelay(attempt, { baseMs: 100, capMs: 1_000 }),
};

export class HttpSagaInventory implements SagaInventory {
  readonly client: ServiceClient;
  constructor(baseUrl: string) {
    this.client = new ServiceClient({ name: 'inventory', baseUrl, waitMs: WAIT_MS, resilience: sagaResilience });
  }
  // PUT and DELETE on the reservation named by the key: idempotent by HTTP's own rules.
  async reserve(key: string, lines: StockLine[]) {
    const answer = await this.client.call<{ status: 'reserved' | 'out_of_stock' | 'unknown_sku' }>('PUT', `/reservations/${key}`, { lines });
    return answer.status;
  }
  async release(key: string) {
    await this.client.call('DELETE', `/reservations/${key}`);
  }
}

export class HttpSagaPayments implements SagaPayments {
  readonly client: ServiceClient;
  constructor(baseUrl: string) {
    this.client = new ServiceClient({ name: 'payments', baseUrl, waitMs: WAIT_MS, resilience: sagaResilience });
  }
  // A 4xx is the service's final word on this charge (an amount it does not take, say): the
  // same command would get the same answer, so the saga takes it as a decline and gives the
  // stock back instead of retrying, and later refunding, for ever.
  async charge(key: string, orderId: string, amountCents: number) {
    try {
      const payment = await this.client.call<Payment>('POST', '/charges', { orderId, amountCents }, key);
      return payment.status === 'captured' ? 'captured' : 'declined';
    } catch (error) {
      if (error instanceof HttpError && error.status >= 400 && error.status < 500) return 'declined';
      throw error;
    }
  }
  // The refund names the charge by its key: the payments service closes that key too.
  async refund(key: string, orderId: string, amountCents: number) {
    await this.client.call('POST', '/refunds', { orderId, amountCents }, key);
  }
}
// #endregion saga-clients
