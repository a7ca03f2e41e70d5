/**
 * Nearest-rank percentile (the smallest value with at least p% of the
 * values at or below it), so a reported p99 is a latency some probe really
 * had. `p` is in (0, 100]; NaN for an empty list. Does not modify `values`.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}
