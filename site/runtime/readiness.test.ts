// The one definition of "ready" both runtimes use (the Local runner in server/runner/run.ts,
// the WebContainer adapter in ./webcontainer/run.ts).
import { describe, expect, it } from 'vitest';
import { notReadyInTime, readyLineDetector, waitUntilReady } from './readiness.ts';

describe('the ready line', () => {
  it('is a line with the word "ready", however the output is chunked or coloured', () => {
    const seen = readyLineDetector();
    expect(seen('> node src/shop.ts\r\nloading…\r\nshop re')).toBe(false);
    expect(seen('ady on http://127.0.0.1:3000\r\n')).toBe(true);
    expect(seen('anything')).toBe(true);
    expect(readyLineDetector()('shop \u001b[32mready\u001b[0m on :3000\n')).toBe(true);
    expect(readyLineDetector()('already listening\nunready\n')).toBe(false);
  });
});

describe('waitUntilReady', () => {
  const base = { stopped: () => false, pauseMs: 5 };

  it('asks /health only after the ready line, and is ready on the first 200', async () => {
    let printed = false;
    const asked: number[] = [];
    const statuses = [503, 200];
    setTimeout(() => (printed = true), 30);
    const outcome = await waitUntilReady({
      ...base,
      printedReadyLine: () => printed,
      health: async () => {
        asked.push(Date.now());
        return statuses.shift() ?? 200;
      },
      deadline: Date.now() + 2_000,
    });
    expect(outcome).toBe('ready');
    expect(asked).toHaveLength(2);
  });

  it('treats a refused connection as not listening yet', async () => {
    let calls = 0;
    const outcome = await waitUntilReady({
      ...base,
      printedReadyLine: () => true,
      health: async () => {
        if (++calls < 3) throw new Error('ECONNREFUSED');
        return 200;
      },
      deadline: Date.now() + 2_000,
    });
    expect(outcome).toBe('ready');
    expect(calls).toBe(3);
  });

  it('times out, and stops asking once the run stops', async () => {
    expect(await waitUntilReady({ ...base, printedReadyLine: () => false, health: async () => 200, deadline: Date.now() + 50 })).toBe('timed-out');
    let stopped = false;
    setTimeout(() => (stopped = true), 30);
    expect(await waitUntilReady({ ...base, stopped: () => stopped, printedReadyLine: () => true, health: async () => 500, deadline: Date.now() + 2_000 })).toBe('stopped');
    expect(notReadyInTime(60_000)).toBe('The stage did not print a line containing "ready" and answer GET /health with 200 within 60 s.');
  });
});
