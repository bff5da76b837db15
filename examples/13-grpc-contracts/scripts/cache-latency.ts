// What the catalogue cache saves a read: GET /products on a shop replica when the list is in
// Redis (a hit) and when it is not (a miss: the replica asks the inventory service, which
// asks PostgreSQL, and fills the entry), on the stage started with real servers:
//
//   eval "$(scripts/ci/real-infra.sh)"                            (at the project's root)
//   node scripts/cache-latency.ts [--reads 200] [--record]         (in this stage)
//
// Starts `npm start` with DATABASE_URL, BROKER_URL (JetStream) and REDIS_URL from the
// TEST_* variables, then reads one replica directly (not through the gateway and the
// balancer, whose hops are the same for both): each round deletes the entry in Redis, reads
// once (a miss) and reads again (a hit). Then how stale a read can be: --orders times, an
// order for a product whose stock is in the cache, and the time from the order's final status
// (seen through the gateway) until GET /products shows the new stock, which is the time the
// order's event takes to reach the replicas' invalidation consumers. --record writes the
// medians and 99th percentiles, and the staleness's median and worst, to the section
// `cache-latency` of measurements.json, which chapter 12 quotes.

import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { request, startStage } from '../../contract/src/launch.ts';
import { CACHE_TTL_MS } from '../src/adapters/cached-catalogue.ts';
import { ALL_PRODUCTS } from '../src/adapters/cached-catalogue.ts';
import { recorderIfAsked, type Figure } from './record.ts';

const { values } = parseArgs({ options: { reads: { type: 'string', default: '200' }, orders: { type: 'string', default: '20' }, record: { type: 'boolean', default: false } } });
const reads = Number(values.reads);
const orders = Number(values.orders);
if (!Number.isInteger(reads) || reads < 10 || reads > 100_000 || !Number.isInteger(orders) || orders < 1 || orders > 1_000) {
  console.error('--reads must be an integer from 10 to 100000, --orders from 1 to 1000');
  process.exit(1);
}
const { TEST_DATABASE_URL, TEST_NATS_URL, TEST_REDIS_URL } = process.env;
if (!TEST_DATABASE_URL || !TEST_NATS_URL || !TEST_REDIS_URL) {
  console.error('set TEST_DATABASE_URL, TEST_NATS_URL and TEST_REDIS_URL (eval "$(scripts/ci/real-infra.sh)" at the project\'s root)');
  process.exit(1);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (ms: number) => Math.round(ms * 100) / 100;
const record = await recorderIfAsked(); // the machine's load as the script starts

const stage = await startStage(new URL('..', import.meta.url), {
  env: { DATABASE_URL: TEST_DATABASE_URL, BROKER_URL: TEST_NATS_URL, REDIS_URL: TEST_REDIS_URL },
  timeoutMs: 120_000,
});
const redis = createClient({ url: TEST_REDIS_URL });
await redis.connect();
const replica = `http://127.0.0.1:${stage.port + 1000}`; // shop-1
const timedRead = async () => {
  const started = performance.now();
  const res = await fetch(`${replica}/products`);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`GET /products answered ${res.status}`);
  return performance.now() - started;
};
// How long after the order is final the list still shows the old stock.
async function staleness(sku: string): Promise<number> {
  const stockOf = async () => (await request<{ sku: string; stock: number }[]>(stage.url, 'GET', '/products')).json.find((p) => p.sku === sku)?.stock;
  const before = await stockOf(); // in the cache now
  const placed = await request<{ id: string }>(stage.url, 'POST', '/orders', { customerId: 'cache-latency', items: [{ sku, quantity: 1 }] });
  if (placed.status !== 202) throw new Error(`POST /orders answered ${placed.status}: ${placed.text}`);
  for (;;) {
    const order = await request<{ status: string }>(stage.url, 'GET', `/orders/${placed.json.id}`);
    if (order.json.status === 'confirmed') break;
    if (order.json.status !== 'pending') throw new Error(`order ${placed.json.id} ended ${order.json.status}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const final = performance.now();
  while ((await stockOf()) === before) {
    if (performance.now() - final > CACHE_TTL_MS + 1_000) throw new Error(`the stock of ${sku} did not change within the cache's lifetime`);
  }
  return performance.now() - final;
}
const hits: number[] = [];
const misses: number[] = [];
const stale: number[] = [];
try {
  // a few rounds first, not counted: the connections are made and the code is warm
  for (let n = -10; n < reads; n++) {
    await redis.del(ALL_PRODUCTS);
    const miss = await timedRead();
    const hit = await timedRead();
    if (n >= 0) (misses.push(miss), hits.push(hit));
  }
  const sku = `cache-latency-${randomBytes(3).toString('hex')}`;
  const added = await request(stage.url, 'POST', '/products', { sku, name: 'Cache latency', priceCents: 100, stock: 100_000 });
  if (added.status !== 201) throw new Error(`POST /products answered ${added.status}: ${added.text}`);
  for (let n = 0; n < orders; n++) stale.push(await staleness(sku));
} finally {
  redis.destroy();
  await stage.stop();
}
hits.sort((a, b) => a - b);
misses.sort((a, b) => a - b);
const figures: Record<string, Figure> = { reads: { value: reads, unit: 'count' } };
for (const [key, sorted] of [['hit', hits], ['miss', misses]] as const) {
  const [p50, p99] = [percentile(sorted, 50), percentile(sorted, 99)];
  console.log(`${key.padEnd(4)} ${reads} reads of GET /products on shop-1: median ${round(p50)} ms, p99 ${round(p99)} ms`);
  figures[`${key}/p50`] = { value: round(p50), unit: 'ms' };
  figures[`${key}/p99`] = { value: round(p99), unit: 'ms' };
}
stale.sort((a, b) => a - b);
console.log(`stale ${orders} orders: median ${round(percentile(stale, 50))} ms, worst ${round(stale.at(-1)!)} ms after the order's final status (the entries live ${CACHE_TTL_MS} ms)`);
figures.orders = { value: orders, unit: 'count' };
figures['stale/p50'] = { value: round(percentile(stale, 50)), unit: 'ms' };
figures['stale/max'] = { value: round(stale.at(-1)!), unit: 'ms' };
if (record) {
  record('cache-latency', `node scripts/cache-latency.ts --reads ${reads} --orders ${orders} --record (in examples/13-grpc-contracts, after eval "$(scripts/ci/real-infra.sh)")`, figures);
}
