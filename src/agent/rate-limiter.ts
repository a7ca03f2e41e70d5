import { sleep } from './sleep.js';

/**
 * A token bucket over bytes: `take(n)` waits until sending n more bytes
 * keeps the average at or under `bytesPerSecond`. A request larger than the
 * bucket is let through once the bucket is full and leaves it in debt, so
 * the next one waits for the debt to be paid: over any long run the average
 * stays under the cap, whatever the request sizes.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  /** Bytes taken over the last window, for the status (bandwidth in use). */
  private windowStart: number;
  private windowBytes = 0;
  private previousRate = 0;

  constructor(
    /** 0 = unlimited. */
    readonly bytesPerSecond: number,
    /** Burst allowance, in seconds of the rate. */
    burstSeconds = 1,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void> = sleep,
  ) {
    this.capacity = bytesPerSecond * burstSeconds;
    this.tokens = this.capacity;
    this.last = now();
    this.windowStart = this.last;
  }

  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    if (this.bytesPerSecond > 0) {
      this.refill();
      // Wait for a full bucket at most: a large request then runs the bucket into debt.
      const needed = Math.min(bytes, this.capacity);
      while (this.tokens < needed && !signal?.aborted) {
        await this.wait(Math.ceil(((needed - this.tokens) / this.bytesPerSecond) * 1000), signal);
        this.refill();
      }
      this.tokens -= bytes;
    }
    this.count(bytes);
  }

  /** Bytes per second taken over the last few seconds. */
  inUse(): number {
    this.count(0);
    return this.previousRate;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.bytesPerSecond);
    this.last = t;
  }

  private count(bytes: number): void {
    const t = this.now();
    const elapsed = t - this.windowStart;
    if (elapsed >= 5_000) {
      this.previousRate = (this.windowBytes / elapsed) * 1000;
      this.windowStart = t;
      this.windowBytes = 0;
    }
    this.windowBytes += bytes;
  }
}
