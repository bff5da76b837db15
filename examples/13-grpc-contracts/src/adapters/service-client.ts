// A client for one of the shop's own services over HTTP, as stage 7 taught the payments
// client: every request has a timeout, retryable failures are retried with backoff and full
// jitter, a write can carry an Idempotency-Key so a retry is applied once, and a circuit
// breaker stops the calls while the service is down. Stage 8 has more services than
// payments (inventory, notifications), so the payments client's insides moved here.

import { HttpError } from './http.ts';
import { backoffDelay, CircuitBreaker, CircuitOpenError, isRetryable } from './resilience.ts';
import type { Failure } from './resilience.ts';
import { clientSpan } from '../observability/service-kit.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// A failed attempt, classified: the retry loop and the breaker decide from `failure`.
class AttemptFailed extends Error {
  failure: Failure;
  body: unknown;
  constructor(failure: Failure, message: string, body?: unknown) {
    super(message);
    this.failure = failure;
    this.body = body;
  }
}

function refused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code === 'ECONNREFUSED';
}

export type ResilienceOptions = {
  timeoutMs: number; // one attempt gives up after this long
  attempts: number; // at most this many attempts per call
  baseMs: number; // backoff: the first wait is up to baseMs, then 2x, 4x ...
  capMs: number; // ... never more than capMs
  breakerThreshold: number; // failures in a row that open the breaker
  breakerCooldownMs: number; // how long it stays open before one trial call
};

export const defaultResilience: ResilienceOptions = {
  timeoutMs: 3_000,
  attempts: 4,
  baseMs: 100,
  capMs: 1_000,
  breakerThreshold: 5,
  breakerCooldownMs: 5_000,
};

// #region service-client
export class ServiceClient {
  readonly name: string;
  private baseUrl: string;
  private shadow: boolean;
  private waitMs: number;
  private waiting = false;
  readonly options: ResilienceOptions;
  readonly breaker: CircuitBreaker;
  private random: () => number;

  // `shadow`: ask the service's shadow instance, which answers but changes nothing.
  // `waitMs`: how long to wait for a service that is not listening (being restarted).
  constructor(options: { name: string; baseUrl: string; shadow?: boolean; waitMs?: number; resilience?: Partial<ResilienceOptions>; random?: () => number }) {
    this.name = options.name;
    this.baseUrl = options.baseUrl;
    this.shadow = options.shadow ?? false;
    this.waitMs = options.waitMs ?? 8_000;
    this.options = { ...defaultResilience, ...options.resilience };
    this.random = options.random ?? Math.random;
    this.breaker = new CircuitBreaker({
      threshold: this.options.breakerThreshold,
      cooldownMs: this.options.breakerCooldownMs,
      counts: (error) => error instanceof AttemptFailed && isRetryable(error.failure),
      onChange: (state) => {
        if (this.shadow) return;
        const why = state === 'open' ? `after ${this.options.breakerThreshold} failures in a row; calls fail at once for ${this.options.breakerCooldownMs / 1000} s`
          : state === 'half-open' ? 'letting one trial call through' : 'the trial call succeeded';
        console.log(`${this.name}: circuit breaker ${state} (${why})`);
      },
    });
  }

  // The service's ops routes (faults, charges), passed through as they are: no retries, no
  // breaker, so you can always reach them, whatever state the breaker is in.
  async ops(method: string, path: string, body?: string): Promise<{ status: number; body: unknown }> {
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        signal: AbortSignal.timeout(5_000),
        ...(body === undefined ? {} : { body }),
      });
      return { status: res.status, body: await res.json() };
    } catch {
      throw new HttpError(503, 'service_unavailable', `the ${this.name} service at ${this.baseUrl} is not answering`);
    }
  }

  // One call: attempts with a timeout each, retried with backoff and full jitter while the
  // failure is retryable, and only while the breaker lets calls through.
  async call<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const { attempts, baseMs, capMs } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.breaker.run(() => this.send<T>(method, path, body, idempotencyKey));
      } catch (error) {
        if (error instanceof CircuitOpenError) {
          throw new HttpError(503, 'service_unavailable', `${this.name} is unavailable (circuit breaker open); try again in ${Math.ceil(error.retryInMs / 1000)} s`);
        }
        if (!(error instanceof AttemptFailed)) throw error;
        // The service answered about the request itself: it is healthy, the request is not.
        if (!isRetryable(error.failure)) throw error.failure.kind === 'status' ? answerError(error) : error;
        if (attempt >= attempts || this.shadow) {
          throw new HttpError(503, 'service_unavailable', `${this.name} is unavailable: ${error.message} (${attempt} attempts)`);
        }
        const delay = backoffDelay(attempt, { baseMs, capMs }, this.random);
        if (!this.shadow) console.log(`${this.name}: ${error.message}; retry ${attempt} of ${attempts - 1} in ${delay} ms`);
        await sleep(delay);
      }
    }
  }

  // One attempt, JSON both ways. A refused connection is waited out (the supervisor is
  // restarting the service: nothing was sent, so waiting is safe).
  private async send<T>(method: string, path: string, body: unknown, idempotencyKey: string | undefined): Promise<T> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      let text: string;
      let status: number;
      try {
        // Stage 11: each attempt is a client span; its context travels in the headers
        const res = await clientSpan(this.name, method, path, (traced) => fetch(`${this.baseUrl}${path}`, {
          method,
          headers: {
            ...traced,
            'content-type': 'application/json',
            ...(this.shadow ? { 'x-shadow': '1' } : {}),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          signal: AbortSignal.timeout(this.options.timeoutMs),
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }));
        status = res.status;
        this.waiting = false;
        text = await res.text();
      } catch (error) {
        if (refused(error) && Date.now() < deadline) {
          if (!this.shadow && !this.waiting) console.log(`${this.name}: the service is not answering; waiting up to ${this.waitMs / 1000} s for it`);
          this.waiting = true;
          await sleep(100);
          continue;
        }
        const name = (error as { name?: string }).name;
        if (name === 'TimeoutError') throw new AttemptFailed({ kind: 'timeout' }, `no answer to ${method} ${path} within ${this.options.timeoutMs} ms`);
        throw new AttemptFailed({ kind: 'connection' }, `the connection failed during ${method} ${path}`);
      }
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        throw new AttemptFailed({ kind: 'status', status: 502 }, `the ${this.name} service answered ${status} with no JSON`);
      }
      if (status >= 400) {
        const message = (json as { error?: { message?: string } } | undefined)?.error?.message ?? text;
        throw new AttemptFailed({ kind: 'status', status }, `the ${this.name} service answered ${status} to ${method} ${path}: ${message}`, json);
      }
      return json as T;
    }
  }
}
// #endregion service-client

// A 4xx from the service becomes the same error for our caller (contract-shaped JSON).
function answerError(error: AttemptFailed): HttpError {
  const status = error.failure.kind === 'status' ? error.failure.status : 500;
  const answer = (error.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return new HttpError(status, answer?.code ?? 'internal', answer?.message ?? error.message);
}
