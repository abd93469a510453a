/** How many of the least recently used buckets one `take` looks at for one to evict. */
const EVICTION_SCAN = 32;
const OVERFLOW_KEY = '\u0000overflow';

/**
 * Per-key token buckets: `burst` at once, refilled at `perSecond`. Times in ms.
 *
 * Past `maxKeys`, only buckets that have refilled to `burst` are evicted: forgetting one
 * changes nothing, since a new bucket starts full. A bucket still limited is never dropped,
 * so a flood of new keys cannot reset a limited client. Past four times `maxKeys` (every
 * tracked key still limited), new keys share one overflow bucket instead of getting their own.
 */
export class TokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string, now = Date.now()): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.evictRefilled(now);
      if (this.buckets.size >= this.maxKeys * 4 && key !== OVERFLOW_KEY) return this.take(OVERFLOW_KEY, now);
      bucket = { tokens: this.burst, at: now };
    }
    this.refill(bucket, now);
    this.buckets.delete(key);
    this.buckets.set(key, bucket); // most recent last, so the oldest key is looked at first
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }

  private refill(bucket: { tokens: number; at: number }, now: number): void {
    bucket.tokens = Math.min(this.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
  }

  private evictRefilled(now: number): void {
    let scanned = 0;
    for (const [key, bucket] of this.buckets) {
      if (scanned++ >= EVICTION_SCAN || this.buckets.size < this.maxKeys) return;
      this.refill(bucket, now);
      if (bucket.tokens >= this.burst) this.buckets.delete(key);
    }
  }
}
