// Redis (stage 12, when REDIS_URL is set): the shop replicas' shared cache and the gateway
// replicas' shared rate limit. Loaded by dynamic import only for a redis:// URL, so the
// browser's stage never loads the client.
//
// The client is @redis/client, the core of node-redis: the client Redis itself maintains,
// written in TypeScript, without the modules (search, JSON, time series) of the `redis`
// package, which the shop does not use. Two of its settings matter here:
// - disableOfflineQueue: while Redis is away a command fails at once instead of waiting in
//   a queue, so a read goes to the inventory service uncached and a request is limited by
//   the gateway's own bucket, with no added wait;
// - reconnectStrategy: it keeps trying to come back (every 0.1-2 s), and the cache and the
//   limit are shared again as soon as Redis answers.

import { createClient } from '@redis/client';
import type { Cache, CacheHealth } from './cache.ts';
import { RateLimiter } from './rate-limit.ts';
import type { Decision, Limiter, LimitsSetting, RateLimits } from './rate-limit.ts';

export function checkRedisUrl(url: string): string {
  if (!/^rediss?:\/\//.test(url)) throw new Error(`REDIS_URL must start with redis:// or rediss://, got ${url.slice(0, 10)}`);
  return url;
}

function newClient(url: string, name: string) {
  return createClient({
    url,
    name,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
  });
}
type Connection = { client: ReturnType<typeof newClient>; up: () => boolean; lastError: () => string | undefined };

function connectRedis(options: { url: string; name: string; log: (line: string) => void }): Connection {
  let up = false;
  let lastError: string | undefined;
  const client = newClient(options.url, options.name);
  client.on('ready', () => {
    if (!up) options.log(`${options.name}: Redis is up (${options.url.replace(/\/\/[^@]*@/, '//***@')})`);
    up = true;
    lastError = undefined;
  });
  client.on('error', (error: Error) => {
    if (up || lastError === undefined) options.log(`${options.name}: Redis is away (${error.message || error.name}); going on without it`);
    up = false;
    lastError = error.message || error.name;
  });
  client.on('end', () => (up = false));
  // not awaited: the service starts whether Redis is there or not
  client.connect().catch(() => {});
  return { client, up: () => up && client.isReady, lastError: () => lastError };
}

// #region redis-cache
export class RedisCache implements Cache {
  readonly shared = true;
  private connection: Connection;
  constructor(options: { url: string; name: string; log: (line: string) => void }) {
    this.connection = connectRedis({ ...options, name: `${options.name}-cache` });
  }
  async get(key: string): Promise<string | undefined> {
    // Redis away: a miss, and the caller reads the source
    return (await this.connection.client.get(key).catch(() => null)) ?? undefined;
  }
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.connection.client.set(key, value, { PX: Math.ceil(ttlMs) }).catch(() => {});
  }
  // A delete that fails (Redis away) leaves the entry to its time-to-live.
  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.connection.client.del(keys).catch(() => {});
  }
  health(): CacheHealth {
    const up = this.connection.up();
    const error = this.connection.lastError();
    return { kind: 'redis', up, ...(up || !error ? {} : { error }) };
  }
  async close(): Promise<void> {
    this.connection.client.destroy();
  }
}
// #endregion redis-cache

// #region shared-bucket
// The token bucket of src/adapters/rate-limit.ts, kept in Redis and run there as one script:
// Redis runs a script alone, so two gateways taking from one bucket at the same moment
// cannot both read it before either writes it. The clock is Redis's own (TIME), not each
// gateway's, and an idle bucket expires once it would be full again. The limits are Redis's
// too (KEYS[2], written by PUT /ops/rate-limit on any replica), so every replica applies the
// same ones; until one is written, the gateway's own (ARGV, from RATE_BURST and RATE_PER_S).
// A bucket filled under older limits starts full under the new ones, as in one process.
export const TOKEN_BUCKET = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local shared = redis.call('HMGET', KEYS[2], 'burst', 'perSecond', 'version')
local burst = tonumber(shared[1]) or tonumber(ARGV[1])
local perSecond = tonumber(shared[2]) or tonumber(ARGV[2])
local version = shared[3] or '0'
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'version')
local tokens = tonumber(bucket[1]) or burst
local at = tonumber(bucket[2]) or now
if bucket[3] ~= version then tokens = burst end
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * perSecond)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now, 'version', version)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perSecond * 1000) + 1000)
return { allowed, tostring(tokens), tostring(burst), tostring(perSecond) }
`;
// PUT /ops/rate-limit on any replica: the new limits, and a new version so every bucket
// starts again full, in one step.
const SET_LIMITS = `
redis.call('HSET', KEYS[1], 'burst', ARGV[1], 'perSecond', ARGV[2])
return redis.call('HINCRBY', KEYS[1], 'version', 1)
`;
// #endregion shared-bucket

export class RedisRateLimiter implements Limiter {
  private connection: Connection;
  // while Redis is away, each gateway limits with a bucket of its own
  private local: RateLimiter;
  // the shared limits as this replica last read them (each take reads them)
  private known: RateLimits;
  private scripts = new Map<string, string>();
  // the buckets are `${prefix}:client:<client>` and the shared limits `${prefix}:limits`; a
  // test gives a prefix of its own so that it shares nothing with another run
  private prefix: string;
  constructor(options: { url: string; name: string; limits: RateLimits; log: (line: string) => void; keyPrefix?: string }) {
    this.prefix = options.keyPrefix ?? 'shop:rate';
    this.connection = connectRedis({ ...options, name: `${options.name}-rate-limit` });
    this.local = new RateLimiter(options.limits);
    this.known = this.local.limits;
  }
  get limits(): RateLimits {
    return this.connection.up() ? this.known : this.local.limits;
  }
  get clients(): number {
    return this.local.clients;
  }
  get shared(): boolean {
    return this.connection.up();
  }

  async take(client: string): Promise<Decision> {
    if (!this.connection.up()) return this.local.take(client);
    try {
      const args = [String(this.local.limits.burst), String(this.local.limits.perSecond)];
      const [allowed, tokens, burst, perSecond] = (await this.run(TOKEN_BUCKET, [`${this.prefix}:client:${client}`, `${this.prefix}:limits`], args)) as [number, string, string, string];
      this.known = { burst: Number(burst), perSecond: Number(perSecond) };
      if (allowed === 1) return { allowed: true, remaining: Math.floor(Number(tokens)) };
      return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - Number(tokens)) / this.known.perSecond)) };
    } catch {
      return this.local.take(client);
    }
  }

  // In Redis when it is up, so every replica takes the new limits from its next request on;
  // with Redis away, this replica's own buckets only, and the answer says so (shared: false).
  async set(limits: RateLimits): Promise<LimitsSetting> {
    const local = this.local.set(limits);
    if (!this.connection.up()) return local;
    try {
      await this.run(SET_LIMITS, [`${this.prefix}:limits`], [String(local.burst), String(local.perSecond)]);
      this.known = { burst: local.burst, perSecond: local.perSecond };
      return { ...this.known, shared: true };
    } catch {
      return local;
    }
  }

  async current(): Promise<LimitsSetting> {
    if (!this.connection.up()) return this.local.current();
    try {
      const [burst, perSecond] = await this.connection.client.hmGet(`${this.prefix}:limits`, ['burst', 'perSecond']);
      if (burst != null && perSecond != null) this.known = { burst: Number(burst), perSecond: Number(perSecond) };
      else this.known = this.local.limits;
      return { ...this.known, shared: true };
    } catch {
      return this.local.current();
    }
  }

  // EVALSHA runs a script Redis already holds; the first time (or after a restart of Redis,
  // which forgets scripts) it answers NOSCRIPT, and the script is loaded and run again.
  private async run(script: string, keys: string[], args: string[]): Promise<unknown> {
    const client = this.connection.client;
    const call = (sha: string) => client.sendCommand(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
    const known = this.scripts.get(script);
    if (known) {
      try {
        return await call(known);
      } catch (error) {
        if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      }
    }
    const sha = String(await client.sendCommand(['SCRIPT', 'LOAD', script]));
    this.scripts.set(script, sha);
    return call(sha);
  }

  forgetIdle(): void {
    this.local.forgetIdle();
  }
  close(): void {
    this.connection.client.destroy();
  }
}
