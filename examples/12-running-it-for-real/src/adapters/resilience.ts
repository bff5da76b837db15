// The three habits a caller needs once a call crosses the network: give up after a while
// (timeouts), try again but politely (backoff with full jitter), and stop knocking on a door
// that is clearly shut (a circuit breaker). Pure functions and one small class, no I/O, so
// the tests drive them with a fake clock and a fake random source.

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
// A circuit breaker: after `threshold` failures in a row it opens and fails calls at once
// for `cooldownMs`; then it lets one trial call through (half-open). Success closes it,
// failure opens it again. `now` is injectable so tests need not wait.
export type BreakerState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  state: BreakerState = 'closed';
  failures = 0;
  openedAt = 0;
  private threshold: number;
  private cooldownMs: number;
  private now: () => number;
  private onChange: (state: BreakerState) => void;
  private trialInFlight = false;

  constructor(options: { threshold: number; cooldownMs: number; now?: () => number; onChange?: (state: BreakerState) => void }) {
    this.threshold = options.threshold;
    this.cooldownMs = options.cooldownMs;
    this.now = options.now ?? Date.now;
    this.onChange = options.onChange ?? (() => {});
  }

  // May a call go out now? In half-open only one trial call at a time.
  allow(): boolean {
    if (this.state === 'open' && this.now() - this.openedAt >= this.cooldownMs) this.move('half-open');
    if (this.state === 'closed') return true;
    if (this.state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.trialInFlight = false;
    this.failures = 0;
    if (this.state !== 'closed') this.move('closed');
  }

  failure(): void {
    this.trialInFlight = false;
    this.failures++;
    if (this.state === 'half-open' || (this.state === 'closed' && this.failures >= this.threshold)) {
      this.openedAt = this.now();
      this.move('open');
    }
  }

  snapshot(): { state: BreakerState; failures: number; threshold: number; cooldownMs: number; retryInMs: number } {
    const retryInMs = this.state === 'open' ? Math.max(0, this.cooldownMs - (this.now() - this.openedAt)) : 0;
    return { state: this.state, failures: this.failures, threshold: this.threshold, cooldownMs: this.cooldownMs, retryInMs };
  }

  private move(state: BreakerState): void {
    this.state = state;
    this.onChange(state);
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
