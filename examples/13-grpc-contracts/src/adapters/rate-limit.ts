// Rate limiting at the gateway (stage 11): a token bucket per client. Each client's bucket
// holds up to `burst` tokens and refills at `perSecond`; a request takes one token, and a
// request that finds the bucket empty is answered 429 with Retry-After (how long until a
// token is back) instead of reaching the shop. A burst is allowed, a sustained flood is not.

export type RateLimits = { burst: number; perSecond: number };
export type Decision = { allowed: true; remaining: number } | { allowed: false; retryAfterS: number };

// What the gateway asks of a limit: this process's buckets (RateLimiter, below), or since
// stage 12 one set of buckets shared by every gateway replica in Redis (src/adapters/redis.ts).
export interface Limiter {
  // the limits as this replica last knew them
  readonly limits: RateLimits;
  readonly clients: number;
  take(client: string): Decision | Promise<Decision>;
  // PUT /ops/rate-limit: `shared` says whether the change reached every gateway replica
  // (Redis) or only the one that answered (this process's buckets)
  set(limits: RateLimits): LimitsSetting | Promise<LimitsSetting>;
  // GET /ops/rate-limit: the limits in force, read where they are kept
  current(): LimitsSetting | Promise<LimitsSetting>;
  forgetIdle(): void;
}
export type LimitsSetting = RateLimits & { shared: boolean };

// Buckets that have been full for this long are forgotten (a full bucket is the same as none),
// so the map does not grow with every client ever seen.
const FORGET_AFTER_MS = 60_000;

// #region token-bucket
export class RateLimiter implements Limiter {
  limits: RateLimits;
  private buckets = new Map<string, { tokens: number; at: number }>();
  private now: () => number;

  constructor(limits: RateLimits, now: () => number = () => performance.now()) {
    this.limits = validateLimits(limits);
    this.now = now;
  }

  take(client: string): Decision {
    const now = this.now();
    const { burst, perSecond } = this.limits;
    const bucket = this.buckets.get(client) ?? { tokens: burst, at: now };
    // refill for the time since the last request, up to the bucket's size
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
  }
  // #endregion token-bucket

  // Only this process's buckets: another gateway replica keeps its own limits until it is
  // told too.
  set(limits: RateLimits): LimitsSetting {
    this.limits = validateLimits(limits);
    this.buckets.clear(); // everyone starts again with a full bucket of the new size
    return { ...this.limits, shared: false };
  }

  current(): LimitsSetting {
    return { ...this.limits, shared: false };
  }

  forgetIdle(): void {
    const now = this.now();
    for (const [client, bucket] of this.buckets) if (now - bucket.at > FORGET_AFTER_MS) this.buckets.delete(client);
  }

  get clients(): number {
    return this.buckets.size;
  }
}

export function validateLimits(value: unknown): RateLimits {
  const limits = value as Partial<RateLimits> | null;
  if (typeof limits !== 'object' || limits === null) throw new Error('the body must be an object such as {"burst": 20, "perSecond": 10}');
  for (const key of Object.keys(limits)) if (key !== 'burst' && key !== 'perSecond') throw new Error(`unknown field ${key}; the body is {"burst": n, "perSecond": n}`);
  if (!Number.isInteger(limits.burst) || (limits.burst as number) < 1 || (limits.burst as number) > 100_000) throw new Error('burst must be an integer from 1 to 100000');
  if (typeof limits.perSecond !== 'number' || !(limits.perSecond > 0 && limits.perSecond <= 100_000)) throw new Error('perSecond must be a number above 0, at most 100000');
  return { burst: limits.burst as number, perSecond: limits.perSecond };
}
