// The client's resilience, piece by piece, with a fake clock and a fake random source:
// backoff bounds, which failures are retried, and the breaker's transitions.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { backoffDelay, CircuitBreaker, CircuitOpenError, isRetryable, seededRandom } from '../src/adapters/resilience.ts';
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
  // cockatiel reads Date.now(), so the tests move a mocked clock instead of waiting.
  class Down extends Error {}
  class BadRequest extends Error {}
  function breaker(t: TestContext) {
    t.mock.timers.enable({ apis: ['Date'], now: 1_000 });
    const states: BreakerState[] = [];
    const b = new CircuitBreaker({ threshold: 3, cooldownMs: 5_000, counts: (error) => error instanceof Down, onChange: (s) => states.push(s) });
    let calls = 0;
    const run = (outcome: 'ok' | 'down' | 'bad') => b.run(async () => {
      calls++;
      if (outcome === 'down') throw new Down('down');
      if (outcome === 'bad') throw new BadRequest('bad');
      return 'ok';
    }).catch((error: Error) => error);
    return { b, states, run, calls: () => calls, advance: (ms: number) => t.mock.timers.tick(ms) };
  }

  it('closed -> open after threshold failures in a row, then fails fast without calling', async (t) => {
    const { b, states, run, calls } = breaker(t);
    await run('down');
    await run('down');
    assert.equal(b.state, 'closed');
    assert.equal(await run('ok'), 'ok');
    await run('down');
    await run('down');
    await run('down');
    assert.equal(b.state, 'open');
    const before = calls();
    const refused = await run('ok');
    assert.ok(refused instanceof CircuitOpenError);
    assert.equal(refused.retryInMs, 5_000);
    assert.equal(calls(), before, 'an open breaker does not make the call');
    assert.deepEqual(states, ['open']);
  });

  it('a success in between resets the count', async (t) => {
    const { b, run } = breaker(t);
    await run('down');
    await run('down');
    await run('ok');
    await run('down');
    await run('down');
    assert.equal(b.state, 'closed');
    assert.equal(b.snapshot().failures, 2);
  });

  it('an error `counts` rejects (an answer about the request) passes through, uncounted', async (t) => {
    const { b, run } = breaker(t);
    for (let i = 0; i < 5; i++) assert.ok((await run('bad')) instanceof BadRequest);
    assert.equal(b.state, 'closed');
    assert.equal(b.snapshot().failures, 0);
  });

  it('open -> half-open after the cooldown, one trial call, -> closed on success', async (t) => {
    const { b, states, run, advance } = breaker(t);
    for (let i = 0; i < 3; i++) await run('down');
    advance(4_999);
    assert.ok((await run('ok')) instanceof CircuitOpenError);
    assert.equal(b.snapshot().retryInMs, 1);
    advance(1);
    assert.equal(await run('ok'), 'ok', 'the trial call');
    assert.equal(b.state, 'closed');
    assert.deepEqual(states, ['open', 'half-open', 'closed']);
  });

  it('while the trial call runs, other calls wait for its verdict', async (t) => {
    const { b, run, advance } = breaker(t);
    for (let i = 0; i < 3; i++) await run('down');
    advance(5_000);
    let finishTrial = () => {};
    const trial = b.run(() => new Promise<string>((resolve) => (finishTrial = () => resolve('trial'))));
    assert.equal(b.state, 'half-open');
    const waiting = run('ok');
    finishTrial();
    assert.equal(await trial, 'trial');
    assert.equal(await waiting, 'ok');
    assert.equal(b.state, 'closed');
  });

  it('half-open -> open again when the trial call fails, for another cooldown', async (t) => {
    const { b, states, run, advance } = breaker(t);
    for (let i = 0; i < 3; i++) await run('down');
    advance(5_000);
    await run('down');
    assert.equal(b.state, 'open');
    assert.ok((await run('ok')) instanceof CircuitOpenError);
    advance(5_000);
    assert.equal(await run('ok'), 'ok');
    assert.deepEqual(states, ['open', 'half-open', 'open', 'half-open', 'closed']);
  });
});
