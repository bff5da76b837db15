// Stage 12's cache and shared rate limit on a REAL Redis (Debian's redis-server in CI):
// TEST_REDIS_URL, with TEST_DATABASE_URL and TEST_NATS_URL, which scripts/ci/real-infra.sh
// sets up and prints. Without them every test here is reported SKIPPED, never passed.
//
// 1. Two gateways (createGateway, real HTTP) with one limit in that Redis: N+1 requests
//    across both, exactly one 429.
// 2. The whole stage on PostgreSQL, NATS JetStream and a redis-server of the test's own
//    (so it can be stopped): the contract suite, then the cache's promises: the hit ratio
//    after a warm-up, a stock change seen within a bound far below the entries' lifetime
//    (the event deleted the entry, not its time-to-live), and with that Redis killed, the shop
//    still answering, uncached, and saying so in GET /ready (still ready, with `degraded`).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createClient } from '@redis/client';
import { freePort, request } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { contractSuite } from '../../contract/src/suite.ts';
import { createGateway } from '../src/adapters/gateway.ts';
import { DEV_JWT_SECRET, DEV_TOKEN } from '../src/adapters/ops-auth.ts';
import { RedisRateLimiter } from '../src/adapters/redis.ts';
import { Registry } from '../src/observability/metrics.ts';
import { setupTracing } from '../src/observability/tracing.ts';
import { close, collectingLogger, echoServer, listen, parsePrometheus, sampleValue } from './observability-support.ts';
import { eventually, settle, sleep } from './support.ts';

// The fuzz and the hostile targets try the gateway's parsing and the shop's rules, which are the
// same whichever database and broker sit behind them: they run in full against the stage on its
// own database and broker (contract.test.ts); a few runs here show the real servers change
// nothing of it (fuzz 5.0 -> 1.2 s and hostile 1.3 -> 0.7 s a run, each contract run here).
process.env.CONTRACT_FUZZ_RUNS ??= '8';
process.env.CONTRACT_HOSTILE_RUNS ??= '8';

const redisUrl = process.env.TEST_REDIS_URL;
const databaseUrl = process.env.TEST_DATABASE_URL;
const natsUrl = process.env.TEST_NATS_URL;
const stageDir = new URL('..', import.meta.url);
const TITLE = 'the stage on a real Redis';
const auth = { authorization: `Bearer ${DEV_TOKEN}` };
// The entries' lifetime in the stage under test: long, so a fresh read within STALE_BOUND_MS
// can only come from the event's invalidation.
const TTL_MS = 30_000;
const STALE_BOUND_MS = 2_000;

if (!redisUrl || !databaseUrl || !natsUrl) {
  const reason = 'TEST_REDIS_URL, TEST_DATABASE_URL and TEST_NATS_URL are not set (eval "$(scripts/ci/real-infra.sh)" sets them up)';
  describe(TITLE, () => {
    it('two gateway replicas share one limit: N+1 requests across both, exactly one 429', { skip: reason }, () => {});
    it('the shared contract suite on PostgreSQL, NATS JetStream and Redis together', { skip: reason }, () => {});
    it('the hit ratio after a warm-up', { skip: reason }, () => {});
    it('a stock change is seen within the bound', { skip: reason }, () => {});
    it('with Redis down the shop keeps answering, uncached, and says so in /ready', { skip: reason }, () => {});
  });
} else {
  const run = randomBytes(3).toString('hex');

  // #region shared-limit-test
  describe(`${TITLE}: the gateway's limit`, () => {
    const BURST = 10;
    const upstream = echoServer('shop');
    const gateways: ReturnType<typeof createGateway>[] = [];
    const limiters: RedisRateLimiter[] = [];
    const urls: string[] = [];
    before(async () => {
      const shopUrl = await listen(upstream);
      for (const name of ['gateway-a', 'gateway-b']) {
        const { log } = collectingLogger(name);
        // about one token a quarter of an hour: none comes back during the test
        const limits = { burst: BURST, perSecond: 0.001 };
        const limiter = new RedisRateLimiter({ url: redisUrl, name, limits, log: () => {}, keyPrefix: `test-${run}:rate` });
        limiters.push(limiter);
        const gateway = createGateway({
          upstreams: { shop: shopUrl, payments: shopUrl, collector: shopUrl },
          secret: DEV_JWT_SECRET,
          limits,
          limiter,
          kit: { log, metrics: new Registry(), tracing: setupTracing({ service: name, batch: false }) },
          // the ops requests (with a token) in a bucket of their own, so they cost the shop's none
          clientOf: (req) => (req.headers.authorization ? `test-${run}-ops` : `test-${run}`),
        });
        gateways.push(gateway);
        urls.push(await listen(gateway.server));
      }
      await eventually(() => limiters.every((l) => l.shared), 5_000, 'both gateways connected to Redis');
    });
    after(async () => {
      for (const gateway of gateways) gateway.stop();
      for (const limiter of limiters) limiter.close();
      await Promise.all([upstream, ...gateways.map((g) => g.server)].map(close));
    });

    it('two gateway replicas share one limit: N+1 requests across both, exactly one 429', async () => {
      const statuses: number[] = [];
      for (let i = 0; i <= BURST; i += 1) statuses.push((await fetch(`${urls[i % 2]}/products`)).status);
      assert.equal(statuses.filter((s) => s === 429).length, 1, `statuses: ${statuses.join(' ')}`);
      assert.equal(statuses.at(-1), 429, `the last one is the one over the limit: ${statuses.join(' ')}`);
    });

    it('a limit set on one replica (PUT /ops/rate-limit) holds on the other: it is kept in Redis', async () => {
      const NEW_BURST = 3;
      const set = await fetch(`${urls[0]}/ops/rate-limit`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ burst: NEW_BURST, perSecond: 0.001 }) });
      const setBody = (await set.json()) as { burst: number; shared: boolean; scope: string };
      assert.deepEqual([set.status, setBody.burst, setBody.shared], [200, NEW_BURST, true], JSON.stringify(setBody));
      assert.match(setBody.scope, /every gateway replica/);
      // the other replica, never told, reads it
      const read = (await (await fetch(`${urls[1]}/ops/rate-limit`, { headers: auth })).json()) as { burst: number; shared: boolean };
      assert.deepEqual([read.burst, read.shared], [NEW_BURST, true]);
      // and applies it: the bucket the first test emptied starts again full, of the new size,
      // shared by both replicas
      const statuses: number[] = [];
      for (let i = 0; i <= NEW_BURST; i += 1) statuses.push((await fetch(`${urls[1 - (i % 2)]}/products`)).status);
      assert.deepEqual(statuses, [...Array(NEW_BURST).fill(200), 429], `statuses: ${statuses.join(' ')}`);
      const limited = await fetch(`${urls[1]}/products`);
      assert.match(((await limited.json()) as { error: { message: string } }).error.message, new RegExp(`at most ${NEW_BURST} at once`));
    });
  });
  // #endregion shared-limit-test

  // A redis-server of the test's own, on a free port, so that it can be killed.
  let redis: ChildProcess | undefined;
  const redisDir = mkdtempSync(join(tmpdir(), 'shop-redis-'));
  const ownPort = await freePort();
  const ownRedisUrl = `redis://127.0.0.1:${ownPort}`;
  redis = spawn('redis-server', ['--port', String(ownPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir], { stdio: 'ignore' });
  await eventually(async () => {
    const client = createClient({ url: ownRedisUrl, socket: { reconnectStrategy: false } });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      client.destroy();
      return true;
    } catch {
      return false;
    }
  }, 10_000, `a redis-server on port ${ownPort}`);
  const database = `shop_test_${run}_redis`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${database}`);
  const dbUrl = new URL(databaseUrl);
  dbUrl.pathname = `/${database}`;
  after(async () => {
    redis?.kill('SIGKILL');
    rmSync(redisDir, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
  });

  const env = { DATABASE_URL: dbUrl.toString(), BROKER_URL: natsUrl, REDIS_URL: ownRedisUrl, CACHE_TTL_MS: String(TTL_MS), DATA_DIR: redisDir };
  contractSuite(stageDir, { env, runElsewhere: ['database', 'broker'], startTimeoutMs: 120_000, more: (stage) => cacheChecks(stage) });

  function cacheChecks(current: () => Stage) {
    describe('the catalogue cache on Redis', () => {
      const call = <T>(method: string, path: string, body?: unknown) => request<T>(current().url, method, path, body, auth);
      type Product = { sku: string; stock: number };
      const stockOf = async (sku: string) => (await call<Product[]>('GET', '/products')).json.find((p) => p.sku === sku)?.stock;
      // each shop replica (2 by default, on PORT+1000 and PORT+1100): its cache reads, and /ready
      const replicas = () => [0, 1].map((i) => `http://127.0.0.1:${current().port + 1000 + 100 * i}`);
      const cacheReads = async () => {
        let hits = 0;
        let misses = 0;
        for (const url of replicas()) {
          const { samples } = parsePrometheus(await (await fetch(`${url}/metrics`)).text());
          hits += sampleValue(samples, 'shop_cache_reads_total', { result: 'hit' }) ?? 0;
          misses += sampleValue(samples, 'shop_cache_reads_total', { result: 'miss' }) ?? 0;
        }
        return { hits, misses };
      };
      type Ready = { status: string; degraded?: Record<string, string> };
      const readyOf = async () => Promise.all(replicas().map(async (url) => (await request<Ready>(url, 'GET', '/ready')).json));

      it('the hit ratio after a warm-up', async () => {
        await call('GET', '/products'); // the warm-up: one miss fills the entry
        const before = await cacheReads();
        const READS = 40;
        for (let i = 0; i < READS; i += 1) assert.equal((await call('GET', '/products')).status, 200);
        const after = await cacheReads();
        const hits = after.hits - before.hits;
        const misses = after.misses - before.misses;
        const ratio = hits / (hits + misses);
        console.log(`hit ratio after warm-up: ${hits}/${hits + misses} = ${ratio.toFixed(3)}`);
        assert.equal(hits + misses, READS, 'every read asked the cache');
        assert.ok(ratio >= 0.95, `hit ratio ${ratio.toFixed(3)} (${hits} hits, ${misses} misses)`);
      });

      it(`a stock change is seen within ${STALE_BOUND_MS} ms, with entries that live ${TTL_MS} ms`, async () => {
        const sku = `cache-${run}`;
        assert.equal((await call('POST', '/products', { sku, name: sku, priceCents: 300, stock: 5 })).status, 201);
        assert.equal(await stockOf(sku), 5); // now cached, with 5
        assert.equal(await stockOf(sku), 5);
        const placed = await call<{ id: string }>('POST', '/orders', { customerId: `c-${run}`, items: [{ sku, quantity: 2 }] });
        assert.equal(placed.status, 202, placed.text);
        const order = await settle(current().url, placed.json.id);
        assert.equal(order.status, 'confirmed');
        const final = performance.now();
        while ((await stockOf(sku)) !== 3) {
          assert.ok(performance.now() - final < STALE_BOUND_MS, `GET /products still said ${await stockOf(sku)} ${STALE_BOUND_MS} ms after the order was confirmed`);
          await sleep(10);
        }
        console.log(`stale for ${Math.round(performance.now() - final)} ms after the order's final status (bound ${STALE_BOUND_MS} ms, entries live ${TTL_MS} ms)`);
      });

      it('with Redis down the shop keeps answering, uncached, and says so in /ready', async () => {
        assert.ok((await readyOf()).every((r) => r.status === 'ready' && r.degraded === undefined), 'nothing missing yet');
        redis?.kill('SIGKILL');
        redis = undefined;
        await eventually(async () => (await readyOf()).every((r) => r.degraded?.cache !== undefined), 10_000, 'both replicas say the cache is away');
        for (const ready of await readyOf()) {
          assert.equal(ready.status, 'ready', 'still in the rotation');
          assert.match(ready.degraded!.cache!, /redis cache is away.*uncached/, JSON.stringify(ready));
        }
        assert.equal((await call('GET', '/health')).status, 200);
        const before = await cacheReads();
        const sku = `nocache-${run}`;
        assert.equal((await call('POST', '/products', { sku, name: sku, priceCents: 100, stock: 2 })).status, 201);
        for (let i = 0; i < 5; i += 1) assert.equal(await stockOf(sku), 2);
        const placed = await call<{ id: string }>('POST', '/orders', { customerId: `d-${run}`, items: [{ sku, quantity: 1 }] });
        assert.equal(placed.status, 202, placed.text);
        assert.equal((await settle(current().url, placed.json.id)).status, 'confirmed');
        assert.equal(await stockOf(sku), 1, 'uncached: the read right after the order sees it');
        assert.equal((await cacheReads()).hits - before.hits, 0, 'nothing came from the cache');
      });
    });
  }
}
