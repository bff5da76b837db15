// The contract's load check: a few seconds of load on the stage the contract suite already
// runs (load.ts), then the promises a reader relies on under load. No 5xx but the documented
// backpressure answer (503 `overloaded`, with Retry-After); every accepted order final within
// 10 s of the load ending; nothing lost or applied twice (stock and payments add up, a replayed
// Idempotency-Key gives the same order).
//
// Bounded: LOAD_READ_S seconds of GET /products (3 unless told) and LOAD_ORDER_S seconds of
// POST /orders (6), 10 connections each, then at most 15 s for the backlog to drain. With
// LOAD_RECORD=1 the figures are stored in the project's measurements.json, as the section
// load-suite-<stage>.

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { runLoad, type LoadFigures } from './load.ts';

function secondsFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Stores a load run's figures as the section `load-<name>` of the project's one measurements
 * file (measurements.json at the root, written through scripts/bench/record.ts), so a chapter
 * renders them with <Measured> like every other measured figure. Imported only when asked to
 * record: the contract package also runs where the rest of the repository is not.
 */
export async function recordFigures(name: string, command: string, report: LoadFigures, cpuSeconds: Record<string, number> = {}): Promise<void> {
  const root = new URL('../../../', import.meta.url);
  const recorder = '../../../scripts/bench/record.ts';
  // Typed here, not by importing the recorder's types: the contract package is also copied on
  // its own (the exercise checks type-check it beside a stage), where scripts/ is not.
  const { recordSection, thisMachine } = (await import(recorder)) as {
    thisMachine(): object;
    recordSection(path: string, name: string, command: string, machine: object, figures: ReturnType<typeof loadFigures>): unknown;
  };
  recordSection(fileURLToPath(new URL('measurements.json', root)), `load-${name}`, command, thisMachine(), loadFigures(report, cpuSeconds));
}

/** A load run as flat figures with units, the measurements file's form. */
export function loadFigures(report: LoadFigures, cpuSeconds: Record<string, number> = {}): Record<string, { value: number; unit: 'ms' | 'count' | 'per-s' }> {
  return {
    'reads/per-s': { value: report.reads.perSecond, unit: 'per-s' },
    'reads/p50': { value: report.reads.p50Ms, unit: 'ms' },
    'reads/p99': { value: report.reads.p99Ms, unit: 'ms' },
    'orders/accepted': { value: report.orders.accepted, unit: 'count' },
    'orders/accepted-per-s': { value: report.orders.acceptedPerSecond, unit: 'per-s' },
    'orders/refused': { value: report.orders.refused, unit: 'count' },
    'orders/p50': { value: report.orders.p50Ms, unit: 'ms' },
    'orders/p99': { value: report.orders.p99Ms, unit: 'ms' },
    'orders/finished-per-s': { value: report.finishedPerSecond, unit: 'per-s' },
    'orders/last-final-after-load': { value: report.lastFinalAfterLoadMs, unit: 'ms' },
    'orders/unfinished': { value: report.unfinished, unit: 'count' },
    ...Object.fromEntries(Object.entries(cpuSeconds).map(([script, seconds]) => [`cpu/${script}`, { value: Math.round(seconds * 1000), unit: 'ms' as const }])),
  };
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
    if (process.env.LOAD_RECORD === '1') await recordFigures(`suite-${stageName}`, `LOAD_RECORD=1 node --test --test-name-pattern='under load' test/contract.test.ts (in examples/${stageName})`, figures);
    assert.ok(figures.orders.accepted > 0, `no order was accepted: ${JSON.stringify(figures.orders.statuses)}`);
    assert.deepEqual(findings, [], findings.slice(0, 20).join('\n'));
  });
}
