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
import type { Decision, Limiter, RateLimits } from './rate-limit.ts';

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
// gateway's, and an idle bucket expires once it would be full again.
export const TOKEN_BUCKET = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local burst = tonumber(ARGV[1])
local perSecond = tonumber(ARGV[2])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or burst
local at = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * perSecond)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perSecond * 1000) + 1000)
return { allowed, tostring(tokens) }
`;
// #endregion shared-bucket

export class RedisRateLimiter implements Limiter {
  private connection: Connection;
  // while Redis is away, each gateway limits with a bucket of its own
  private local: RateLimiter;
  private sha: string | undefined;
  constructor(options: { url: string; name: string; limits: RateLimits; log: (line: string) => void }) {
    this.connection = connectRedis({ ...options, name: `${options.name}-rate-limit` });
    this.local = new RateLimiter(options.limits);
  }
  get limits(): RateLimits {
    return this.local.limits;
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
      const [allowed, tokens] = await this.run(`shop:rate:${client}`);
      if (allowed === 1) return { allowed: true, remaining: Math.floor(Number(tokens)) };
      return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - Number(tokens)) / this.limits.perSecond)) };
    } catch {
      return this.local.take(client);
    }
  }

  // EVALSHA runs the script Redis already holds; the first time (or after a restart of Redis,
  // which forgets scripts) it answers NOSCRIPT and EVAL sends the script itself.
  private async run(key: string): Promise<[number, string]> {
    const args = ['1', key, String(this.limits.burst), String(this.limits.perSecond)];
    const client = this.connection.client;
    if (this.sha) {
      try {
        return (await client.sendCommand(['EVALSHA', this.sha, ...args])) as [number, string];
      } catch (error) {
        if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      }
    }
    this.sha = String(await client.sendCommand(['SCRIPT', 'LOAD', TOKEN_BUCKET]));
    return (await client.sendCommand(['EVALSHA', this.sha, ...args])) as [number, string];
  }

  set(limits: RateLimits): RateLimits {
    return this.local.set(limits);
  }
  forgetIdle(): void {
    this.local.forgetIdle();
  }
  close(): void {
    this.connection.client.destroy();
  }
}
