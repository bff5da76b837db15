// The three habits a caller needs once a call crosses the network: give up after a while
// (timeouts), try again but politely (backoff with full jitter), and stop knocking on a door
// that is clearly shut (a circuit breaker). No I/O here, so the tests drive it all with a
// fake clock and a fake random source.
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import type { CircuitBreakerPolicy } from 'cockatiel';

// #region backoff
// Full jitter: wait a random time between 0 and min(cap, base * 2^(attempt-1)). Spreading
// the waits stops a crowd of callers from retrying in lockstep against a struggling service.
export function backoffDelay(attempt: number, options: { baseMs: number; capMs: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
// #endregion backoff

// #region retryable
// What is worth trying again: no answer in time, no connection, or the service saying it is
// unwell (5xx). A 4xx is an answer about the request itself (a bad body, a reused key):
// asking again gets the same answer. A declined card is not even an error: it is a 201.
export type Failure = { kind: 'timeout' } | { kind: 'connection' } | { kind: 'status'; status: number };

export function isRetryable(failure: Failure): boolean {
  if (failure.kind === 'status') return failure.status >= 500;
  return true;
}
// #endregion retryable

// #region breaker
// The circuit breaker is cockatiel's, a maintained library with no dependencies: plain
// JavaScript modules (nothing for type stripping to do) that import no Node built-in, so it
// asks nothing of WebContainer that a browser page lacks.
// This wrapper sets the policy the chapter describes: `threshold` failures in a row open it,
// it stays open `cooldownMs`, then one trial call goes through (half-open); others wait for
// that call's verdict. Only errors `counts` accepts are failures: a 4xx is an answer about
// the request, not a sign the service is down, so it passes through and is not counted.
export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

const stateNames: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

export class CircuitOpenError extends Error {
  readonly retryInMs: number;
  constructor(retryInMs: number) {
    super(`circuit breaker open; try again in ${Math.ceil(retryInMs / 1000)} s`);
    this.retryInMs = retryInMs;
  }
}

export class CircuitBreaker {
  readonly threshold: number;
  readonly cooldownMs: number;
  private policy: CircuitBreakerPolicy;
  private consecutive: ConsecutiveBreaker;
  private openedAt = 0;

  constructor(options: { threshold: number; cooldownMs: number; counts: (error: unknown) => boolean; onChange?: (state: BreakerState) => void }) {
    this.threshold = options.threshold;
    this.cooldownMs = options.cooldownMs;
    this.consecutive = new ConsecutiveBreaker(options.threshold);
    this.policy = circuitBreaker(handleWhen(options.counts), { halfOpenAfter: options.cooldownMs, breaker: this.consecutive });
    this.policy.onBreak(() => (this.openedAt = Date.now()));
    this.policy.onStateChange((state) => options.onChange?.(stateNames[state]));
  }

  get state(): BreakerState {
    return stateNames[this.policy.state];
  }

  // Runs one call through the breaker; while it is open, fails at once with CircuitOpenError.
  async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(call);
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw new CircuitOpenError(this.snapshot().retryInMs);
      throw error;
    }
  }

  snapshot(): { state: BreakerState; failures: number; threshold: number; cooldownMs: number; retryInMs: number } {
    const retryInMs = this.state === 'open' ? Math.max(0, this.cooldownMs - (Date.now() - this.openedAt)) : 0;
    return { state: this.state, failures: this.consecutive.state, threshold: this.threshold, cooldownMs: this.cooldownMs, retryInMs };
  }
}
// #endregion breaker

// A small seeded random source (mulberry32), so a fault run can be repeated exactly.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
