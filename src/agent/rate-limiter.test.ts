import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

/** A clock that only moves when the limiter sleeps: timing is exact and the test takes no time. */
function fakeClock() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

describe('RateLimiter', () => {
  it('keeps the average under the cap for requests smaller and larger than the bucket', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(187_500, 1, clock.now, clock.sleep); // 1.5 Mbit/s
    let sent = 0;
    const sizes = [40_000, 300_000, 512, 90_000, 1_000_000, 7_000];
    for (let i = 0; i < 60; i++) {
      const n = sizes[i % sizes.length];
      await limiter.take(n);
      sent += n;
    }
    // The first bucket's worth goes at once; everything after it at the rate.
    expect(sent - 187_500).toBeLessThanOrEqual((clock.now() / 1000) * 187_500);
    expect(clock.now() / 1000).toBeGreaterThan((sent - 187_500 - 1_000_000) / 187_500);
  });

  it('lets bytes through at once without a cap', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(0, 1, clock.now, clock.sleep);
    for (let i = 0; i < 100; i++) await limiter.take(10_000_000);
    expect(clock.now()).toBe(0);
  });

  it('holds real time within bounds with small numbers', async () => {
    const limiter = new RateLimiter(20_000, 0.05); // 20 KB/s, 1 KB burst
    const start = Date.now();
    for (let i = 0; i < 10; i++) await limiter.take(1_000);
    const elapsed = Date.now() - start;
    // 9 KB beyond the burst at 20 KB/s: 450 ms.
    expect(elapsed).toBeGreaterThanOrEqual(430);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('stops waiting when aborted', async () => {
    const limiter = new RateLimiter(1_000, 1);
    await limiter.take(1_000);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 20);
    const start = Date.now();
    await limiter.take(1_000, abort.signal);
    expect(Date.now() - start).toBeLessThan(500);
  });
});
