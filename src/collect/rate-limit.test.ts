import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('lets a burst of two seconds through, then the rate', () => {
    const limiter = new RateLimiter();
    let passed = 0;
    for (let i = 0; i < 500; i++) if (limiter.take('fw', 100, 1, 1_000) === 0) passed++;
    expect(passed).toBe(200);
    // Half a second later, fifty more.
    passed = 0;
    for (let i = 0; i < 500; i++) if (limiter.take('fw', 100, 1, 1_500) === 0) passed++;
    expect(passed).toBe(50);
  });

  it('keeps sources apart', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('a', 1, 2, 0)).toBe(0);
    expect(limiter.take('a', 1, 1, 0)).toBeGreaterThan(0);
    expect(limiter.take('b', 1, 1, 0)).toBe(0);
  });

  it('lets a batch run into debt once and says how long to wait', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('http', 1000, 10_000, 0)).toBe(0);
    const wait = limiter.take('http', 1000, 1, 0);
    // 10,000 taken from 2,000: 8,000 in debt, one more event needs 8.001 s.
    expect(wait).toBe(8001);
    expect(limiter.take('http', 1000, 1, 8_001)).toBe(0);
  });
});
