// The client's resilience, piece by piece, with a fake clock and a fake random source:
// backoff bounds, which failures are retried, and the breaker's transitions.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, CircuitBreaker, isRetryable, seededRandom } from '../src/adapters/resilience.ts';
import type { BreakerState } from '../src/adapters/resilience.ts';

describe('backoff with full jitter', () => {
  const options = { baseMs: 100, capMs: 1_000 };
  it('waits between 0 and base * 2^(attempt-1), never more than the cap', () => {
    const random = seededRandom(42);
    for (let attempt = 1; attempt <= 10; attempt++) {
      const ceiling = Math.min(1_000, 100 * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelay(attempt, options, random);
        assert.ok(delay >= 0 && delay < ceiling, `attempt ${attempt}: ${delay} not in [0, ${ceiling})`);
      }
    }
  });
  it('the extremes of the random source give 0 and just under the ceiling', () => {
    assert.equal(backoffDelay(3, options, () => 0), 0);
    assert.equal(backoffDelay(3, options, () => 0.999999), 399);
    assert.equal(backoffDelay(9, options, () => 0.999999), 999);
  });
  it('spreads the waits (jitter): 100 callers do not retry in lockstep', () => {
    const random = seededRandom(7);
    const delays = new Set(Array.from({ length: 100 }, () => backoffDelay(4, options, random)));
    assert.ok(delays.size > 80, `${delays.size} distinct delays`);
  });
});

describe('which failures are retried', () => {
  it('timeouts, lost connections and 5xx are', () => {
    assert.equal(isRetryable({ kind: 'timeout' }), true);
    assert.equal(isRetryable({ kind: 'connection' }), true);
    for (const status of [500, 502, 503, 504]) assert.equal(isRetryable({ kind: 'status', status }), true, String(status));
  });
  it('4xx answers are not: the same request gets the same answer', () => {
    for (const status of [400, 404, 409, 413, 422]) assert.equal(isRetryable({ kind: 'status', status }), false, String(status));
  });
});

describe('the circuit breaker', () => {
  function breaker() {
    let now = 1_000;
    const states: BreakerState[] = [];
    const b = new CircuitBreaker({ threshold: 3, cooldownMs: 5_000, now: () => now, onChange: (s) => states.push(s) });
    return { b, states, advance: (ms: number) => (now += ms) };
  }

  it('closed -> open after threshold failures in a row, then fails fast', () => {
    const { b, states } = breaker();
    b.failure();
    b.failure();
    assert.equal(b.state, 'closed');
    assert.equal(b.allow(), true);
    b.failure();
    assert.equal(b.state, 'open');
    assert.equal(b.allow(), false);
    assert.deepEqual(states, ['open']);
  });

  it('a success in between resets the count', () => {
    const { b } = breaker();
    b.failure();
    b.failure();
    b.success();
    b.failure();
    b.failure();
    assert.equal(b.state, 'closed');
  });

  it('open -> half-open after the cooldown, one trial call at a time, -> closed on success', () => {
    const { b, states, advance } = breaker();
    for (let i = 0; i < 3; i++) b.failure();
    advance(4_999);
    assert.equal(b.allow(), false);
    assert.equal(b.snapshot().retryInMs, 1);
    advance(1);
    assert.equal(b.allow(), true, 'the trial call');
    assert.equal(b.state, 'half-open');
    assert.equal(b.allow(), false, 'only one trial at a time');
    b.success();
    assert.equal(b.state, 'closed');
    assert.equal(b.allow(), true);
    assert.deepEqual(states, ['open', 'half-open', 'closed']);
  });

  it('half-open -> open again when the trial call fails, for another cooldown', () => {
    const { b, states, advance } = breaker();
    for (let i = 0; i < 3; i++) b.failure();
    advance(5_000);
    assert.equal(b.allow(), true);
    b.failure();
    assert.equal(b.state, 'open');
    assert.equal(b.allow(), false);
    advance(5_000);
    assert.equal(b.allow(), true);
    assert.deepEqual(states, ['open', 'half-open', 'open', 'half-open']);
  });
});
