// The contract's load check: a few seconds of load on the stage the contract suite already
// runs (load.ts), then the promises a reader relies on under load. No 5xx but the documented
// backpressure answer (503 `overloaded`, with Retry-After); every accepted order final within
// 10 s of the load ending; nothing lost or applied twice (stock and payments add up, a replayed
// Idempotency-Key gives the same order).
//
// Bounded: LOAD_READ_S seconds of GET /products (3 unless told) and LOAD_ORDER_S seconds of
// POST /orders (6), 10 connections each, then at most 15 s for the backlog to drain. With
// LOAD_RECORD=1 the figures are stored in measurements/load.json under the stage's name.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { it } from 'node:test';
import { runLoad } from './load.ts';

function secondsFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function recordFigures(name: string, figures: object): void {
  const file = new URL('../measurements/load.json', import.meta.url);
  let stored: Record<string, unknown> = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // the first figures
  }
  stored[name] = { measuredAt: new Date().toISOString().slice(0, 10), ...figures };
  writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`);
}

export function contractLoad(stageName: string, baseUrl: () => string): void {
  const readSeconds = secondsFromEnv('LOAD_READ_S', 3);
  const orderSeconds = secondsFromEnv('LOAD_ORDER_S', 6);
  it(`under load (${readSeconds} s of reads, ${orderSeconds} s of orders, 10 connections): no 5xx but backpressure, every accepted order final within 10 s, the accounts add up`, async (t) => {
    const { figures, findings } = await runLoad(baseUrl(), { readConnections: 10, readSeconds, orderConnections: 10, orderSeconds });
    t.diagnostic(
      `reads ${figures.reads.perSecond}/s (p99 ${figures.reads.p99Ms} ms); orders accepted ${figures.orders.acceptedPerSecond}/s, ` +
        `${figures.orders.refused} refused (503 overloaded); finished ${figures.finishedPerSecond}/s; last final ${figures.lastFinalAfterLoadMs} ms after the load`,
    );
    if (process.env.LOAD_RECORD === '1') recordFigures(`suite:${stageName}`, figures);
    assert.ok(figures.orders.accepted > 0, `no order was accepted: ${JSON.stringify(figures.orders.statuses)}`);
    assert.deepEqual(findings, [], findings.slice(0, 20).join('\n'));
  });
}
