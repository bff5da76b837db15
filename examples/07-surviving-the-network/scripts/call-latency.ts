// What the network hop costs: the same Payments calls made in process and over HTTP, timed.
//
//   npm run bench:calls            (from examples/07-surviving-the-network; takes ~15 s)
//   npm run bench:calls -- --record   also writes the medians to measurements.json (calls-07)
//
// Starts the stage (`npm start`, fresh data in the OS temp folder), then makes each call
// N times through two implementations of the same interface:
//   in process: the payments module, on a connection of its own to the database process
//               (exactly how the shop runs it);
//   over HTTP:  HttpPayments -> the payments service -> its connection to the database.
// Prints the client's settings (timeout, attempts, backoff, breaker), the median and 95th
// percentile of each, and the ratio of the medians; then the same over HTTP with LATENCY_MS
// (default 20) injected in the payments service. Then whole orders: POST /orders with the
// flag at 0 % and at 100 %, and at 100 % with the parallel run.
// Each charge carries a fresh order id, so the idempotency key is new and the card charged.

import { mkdtempSync, rmSync } from 'node:fs';
import { recorderIfAsked, type Figure } from './record.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, startStage } from '../../contract/src/launch.ts';
import { FakeCardProcessor } from '../src/adapters/card-processor.ts';
import { RandomIds } from '../src/adapters/clock-and-ids.ts';
import { connectDatabase } from '../src/adapters/database.ts';
import { HttpPayments } from '../src/adapters/http-payments.ts';
import { createPayments } from '../src/modules/payments/index.ts';
import type { Payments } from '../src/modules/payments/index.ts';

const N = Number(process.env.CALLS ?? 300);
// --record: also write the medians to the project's measurements.json (section calls-07),
// which the chapter renders with <Measured>.
const record = await recorderIfAsked();
const figures: Record<string, Figure> = {};
const millis = (value: number): Figure => ({ value: Math.round(value * 100) / 100, unit: 'ms' });
const ratio = (value: number): Figure => ({ value: Math.round(value * 10) / 10, unit: 'count' });
const dataDir = mkdtempSync(join(tmpdir(), 'shop-latency-'));
const stage = await startStage(new URL('..', import.meta.url), { env: { DATA_DIR: dataDir } });
const db = connectDatabase({ port: stage.port + 200, name: 'bench', log: () => {} });
const http = new HttpPayments({ baseUrl: `http://127.0.0.1:${stage.port + 100}` });
const sides: [string, Payments][] = [
  ['in process', createPayments({ db, cards: new FakeCardProcessor(), ids: new RandomIds() })],
  ['over HTTP ', http],
];
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 20);
const o = http.options;
console.log(
  `HttpPayments: timeout ${o.timeoutMs} ms, up to ${o.attempts} attempts, backoff full jitter ${o.baseMs} ms x2 up to ${o.capMs} ms, ` +
    `breaker opens after ${o.breakerThreshold} failures for ${o.breakerCooldownMs} ms; ${N} calls per line\n`,
);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
try {
  for (const [call, run] of [
    ['charge', (p: Payments, i: number) => p.charge(`ord_bench${i}`, 1000)],
    ['listForOrder', (p: Payments, i: number) => p.listForOrder(`ord_bench${i}`)],
  ] as const) {
    const medians: number[] = [];
    for (const [side, payments] of [...sides, [`over HTTP + ${LATENCY_MS} ms injected`, http] as [string, Payments]]) {
      const name = side;
      const latency = side.includes('injected');
      if (latency) await request(stage.url, 'PUT', '/ops/faults', { latencyMs: LATENCY_MS });
      for (let i = 0; i < 30; i++) await run(payments, -1000 - i - medians.length * 100); // warm up
      const offset = medians.length * 100_000;
      const ms: number[] = [];
      for (let i = 0; i < N; i++) {
        const started = performance.now();
        await run(payments, offset + i);
        ms.push(performance.now() - started);
      }
      if (latency) await request(stage.url, 'PUT', '/ops/faults', { latencyMs: 0 });
      medians.push(pct(ms, 0.5));
      console.log(`${call.padEnd(12)} ${name}  median ${pct(ms, 0.5).toFixed(2)} ms   p95 ${pct(ms, 0.95).toFixed(2)} ms   (${N} calls)`);
    }
    console.log(`${call.padEnd(12)} over HTTP / in process: ${(medians[1]! / medians[0]!).toFixed(1)}x;  with ${LATENCY_MS} ms injected: ${(medians[2]! / medians[0]!).toFixed(1)}x\n`);
    figures[`${call}/in-process`] = millis(medians[0]!);
    figures[`${call}/http`] = millis(medians[1]!);
    figures[`${call}/ratio`] = ratio(medians[1]! / medians[0]!);
    figures[`${call}/http-latency`] = millis(medians[2]!);
    figures[`${call}/ratio-latency`] = ratio(medians[2]! / medians[0]!);
    figures['injected-latency'] = { value: LATENCY_MS, unit: 'ms' };
  }
  await request(stage.url, 'POST', '/products', { sku: 'bench-mug', name: 'Bench mug', priceCents: 100, stock: 1_000_000 });
  for (const flags of [{ paymentsService: 0, shadow: false }, { paymentsService: 100, shadow: false }, { paymentsService: 100, shadow: true }]) {
    await request(stage.url, 'PUT', '/ops/flags', flags);
    const ms: number[] = [];
    for (let i = 0; i < N / 3 + 10; i++) {
      const started = performance.now();
      await request(stage.url, 'POST', '/orders', { customerId: 'bench', items: [{ sku: 'bench-mug', quantity: 1 }] });
      if (i >= 10) ms.push(performance.now() - started);
    }
    const label = `${flags.paymentsService} %${flags.shadow ? ', parallel run' : ''}`;
    console.log(`POST /orders ${label.padEnd(20)} median ${pct(ms, 0.5).toFixed(2)} ms   p95 ${pct(ms, 0.95).toFixed(2)} ms   (${ms.length} orders)`);
    figures[`orders/${flags.paymentsService}${flags.shadow ? '-parallel' : ''}`] = { value: Math.round(pct(ms, 0.5) * 100) / 100, unit: 'ms' };
  }
  record?.('calls-07', 'cd examples/07-surviving-the-network && npm run bench:calls -- --record', figures);
} finally {
  await db.close();
  await stage.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
