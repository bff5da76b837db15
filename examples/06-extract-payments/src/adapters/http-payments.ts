// The payments module, one network hop away: an HTTP client for the payments service
// (src/payments-main.ts) that implements the very interface the orders module already used.
// Orders cannot tell it from the in-process module; only src/app.ts knows which it got.

import type { Payment, Payments } from '../modules/payments/index.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// The request went out and no answer came back: the service may have done it, or not.
class Unanswered extends Error {}

// Nothing was sent: the connection was refused (the service is not listening right now).
function refused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code === 'ECONNREFUSED';
}

// #region http-payments
export class HttpPayments implements Payments {
  private baseUrl: string;
  private shadow: boolean;
  private waitMs: number;
  private waiting = false;

  // `shadow`: ask the service's shadow instance, which answers but changes nothing.
  // `waitMs`: how long to wait for a service that is not listening (being restarted).
  constructor(options: { baseUrl: string; shadow?: boolean; waitMs?: number }) {
    this.baseUrl = options.baseUrl;
    this.shadow = options.shadow ?? false;
    this.waitMs = options.waitMs ?? 8_000;
  }

  async charge(orderId: string, amountCents: number): Promise<Payment> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send<Payment>('POST', '/charges', { orderId, amountCents });
      } catch (error) {
        if (!(error instanceof Unanswered) || this.shadow || attempt >= 3) throw error;
      }
      // No answer: the service may have died before or after charging. Asking is safe;
      // charging again is not. So first ask whether this order was charged.
      const earlier = (await this.listForOrder(orderId)).find((p) => p.amountCents === amountCents);
      console.log(`payments: no answer to the charge for ${orderId}; the service says it was ${earlier ? 'made' : 'not made, charging now'}`);
      if (earlier) return earlier;
    }
  }

  async refund(orderId: string): Promise<void> {
    // A refund is safe to repeat: only payments still captured are refunded.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.send('POST', '/refunds', { orderId });
        return;
      } catch (error) {
        if (!(error instanceof Unanswered) || attempt >= 3) throw error;
      }
    }
  }

  async listForOrder(orderId: string): Promise<Payment[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send<Payment[]>('GET', `/payments?orderId=${encodeURIComponent(orderId)}`);
      } catch (error) {
        if (!(error instanceof Unanswered) || attempt >= 3) throw error;
      }
    }
  }

  // One request, JSON both ways. A refused connection is waited out (the supervisor is
  // restarting the service); an answer that never came is an Unanswered for the caller.
  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      let text: string;
      let status: number;
      try {
        const res = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(this.shadow ? { 'x-shadow': '1' } : {}) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        status = res.status;
        this.waiting = false;
        text = await res.text();
      } catch (error) {
        if (refused(error) && Date.now() < deadline) {
          if (!this.shadow && !this.waiting) console.log(`payments: the service is not answering; waiting up to ${this.waitMs / 1000} s for it`);
          this.waiting = true;
          await sleep(100);
          continue;
        }
        if (refused(error)) throw new Error(`the payments service at ${this.baseUrl} is not answering`);
        throw new Unanswered(`no answer from the payments service to ${method} ${path}`);
      }
      const json = text === '' ? undefined : JSON.parse(text);
      if (status >= 400) {
        throw new Error(`the payments service answered ${status} to ${method} ${path}: ${json?.error?.message ?? text}`);
      }
      return json as T;
    }
  }
}
// #endregion http-payments
