/**
 * Per-source rate limits: a token bucket per key that refills at `rate`
 * events per second and holds at most two seconds of them (devices send in
 * bursts). A batch may take the bucket into debt, so a batch larger than
 * the bucket still passes once and the average stays at the rate; the next
 * one waits until the debt is paid.
 */
const BURST_SECONDS = 2;
/** Buckets idle this long are forgotten (they would be full again anyway). */
const IDLE_MS = 60_000;
const SWEEP_EVERY = 10_000;

interface Bucket {
  tokens: number;
  last: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private takes = 0;

  /**
   * Takes `n` events for `key` at `rate` per second. Returns 0 when they
   * may pass, else the milliseconds until the bucket has room again.
   */
  take(key: string, rate: number, n = 1, now = Date.now()): number {
    if (++this.takes % SWEEP_EVERY === 0) this.sweep(now);
    const capacity = rate * BURST_SECONDS;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: capacity, last: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.last) * rate) / 1000);
      bucket.last = now;
    }
    if (bucket.tokens <= 0) return Math.max(1, Math.ceil(((1 - bucket.tokens) * 1000) / rate));
    bucket.tokens -= n;
    return 0;
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (now - bucket.last > IDLE_MS) this.buckets.delete(key);
  }
}
