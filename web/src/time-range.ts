/** The time ranges the search page offers, and a histogram bucket width for each (about 30–60 bars). */
export const TIME_RANGES = ['15m', '1h', '24h', '7d', '30d'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

export const DEFAULT_RANGE: TimeRange = '24h';

export const HISTOGRAM_INTERVAL: Readonly<Record<TimeRange, string>> = {
  '15m': '30s',
  '1h': '1m',
  '24h': '30m',
  '7d': '3h',
  '30d': '12h',
};

export function isTimeRange(value: unknown): value is TimeRange {
  return typeof value === 'string' && (TIME_RANGES as readonly string[]).includes(value);
}
