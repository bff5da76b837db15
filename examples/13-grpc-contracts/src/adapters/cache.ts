// The shop's cache (stage 12): a port with two adapters. In the browser, and whenever
// REDIS_URL is unset, each process keeps its own entries in memory; with REDIS_URL, every
// shop replica shares one Redis (src/adapters/redis.ts, loaded only then, so the browser
// never loads a Redis client). Either way a cache is an optimisation, never a dependency:
// a cache that fails answers "not cached" and the caller reads the source instead.

export type CacheHealth = {
  kind: 'memory' | 'redis';
  // false while Redis is unreachable: reads go to the source, uncached
  up: boolean;
  // the last failure, while down
  error?: string;
};

// #region cache-port
export interface Cache {
  // one store for every replica (Redis), or this process's own
  readonly shared: boolean;
  get(key: string): Promise<string | undefined>;
  // the entry expires after ttlMs: the bound on how stale it can be if no invalidation comes
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(keys: string[]): Promise<void>;
  health(): CacheHealth;
  close(): Promise<void>;
}
// #endregion cache-port

export class MemoryCache implements Cache {
  readonly shared = false;
  private entries = new Map<string, { value: string; until: number }>();
  private now: () => number;
  constructor(now: () => number = () => performance.now()) {
    this.now = now;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (entry && entry.until > this.now()) return entry.value;
    if (entry) this.entries.delete(key);
    return undefined;
  }
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, until: this.now() + ttlMs });
  }
  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }
  health(): CacheHealth {
    return { kind: 'memory', up: true };
  }
  async close(): Promise<void> {
    this.entries.clear();
  }
}

export async function createCache(options: { url: string | undefined; name: string; log: (line: string) => void }): Promise<Cache> {
  if (!options.url) return new MemoryCache();
  const { RedisCache, checkRedisUrl } = await import('./redis.ts');
  return new RedisCache({ url: checkRedisUrl(options.url), name: options.name, log: options.log });
}
