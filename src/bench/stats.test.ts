import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentile } from './stats.js';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = [50, 10, 40, 20, 30];
    expect(percentile(values, 50)).toBe(30);
    expect(percentile(values, 20)).toBe(10);
    expect(percentile(values, 21)).toBe(20);
    expect(percentile(values, 100)).toBe(50);
    expect(values).toEqual([50, 10, 40, 20, 30]);
  });

  it('p99 of 1..1000 is 990 and of 1..100 is 99', () => {
    expect(percentile(Array.from({ length: 1000 }, (_, i) => i + 1), 99)).toBe(990);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99)).toBe(99);
  });

  it('sorts numerically, not as text', () => {
    expect(percentile([9, 100, 20], 50)).toBe(20);
  });

  it('is NaN for no values and rejects percentiles outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNaN();
    for (const p of [0, -1, 101, NaN]) expect(() => percentile([1], p)).toThrow(RangeError);
  });

  it('always returns a member with at least p% of the values at or below it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (values, p) => {
        const result = percentile(values, p);
        expect(values).toContain(result);
        expect(values.filter((v) => v <= result).length / values.length).toBeGreaterThanOrEqual(p / 100 - 1e-9);
      }),
    );
  });
});
