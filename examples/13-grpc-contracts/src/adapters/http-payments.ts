// The payments module, one network hop away: an HTTP client for the payments service
// (src/payments-main.ts) that implements the very interface the orders module uses. Stage 7
// taught it to survive the network; since stage 8 the timeouts, retries, idempotency keys
// and circuit breaker live in src/adapters/service-client.ts, shared with the other services.

import type { Payment, Payments } from '../modules/payments/index.ts';
import { ServiceClient } from './service-client.ts';
import type { ResilienceOptions } from './service-client.ts';

export type { ResilienceOptions } from './service-client.ts';

// #region http-payments
export class HttpPayments implements Payments {
  readonly client: ServiceClient;

  constructor(options: { baseUrl: string; resilience?: Partial<ResilienceOptions>; random?: () => number; now?: () => number }) {
    this.client = new ServiceClient({ name: 'payments', ...options });
  }

  // The key is derived from the charge (order and amount): every retry of it, and every
  // second delivery of the event that asked for it, carries the same one, and the service
  // applies it once and replays the answer to the others.
  charge(orderId: string, amountCents: number): Promise<Payment> {
    return this.client.call<Payment>('POST', '/charges', { orderId, amountCents }, `charge-${orderId}-${amountCents}`);
  }

  async refund(orderId: string): Promise<void> {
    // A refund is safe to repeat: only payments still captured are refunded.
    await this.client.call('POST', '/refunds', { orderId });
  }

  listForOrder(orderId: string): Promise<Payment[]> {
    return this.client.call<Payment[]>('GET', `/payments?orderId=${encodeURIComponent(orderId)}`);
  }
}
// #endregion http-payments
