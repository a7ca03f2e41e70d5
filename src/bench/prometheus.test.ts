import { describe, expect, it } from 'vitest';
import { sumMetric } from './prometheus.js';

const TEXT = `# HELP mamori_parse_errors_total Lines stored as pipeline_error.
# TYPE mamori_parse_errors_total counter
mamori_parse_errors_total{format="cef",reason="bad"} 3
mamori_parse_errors_total{format="auto",reason="a } b \\" c"} 4 1714557600000
mamori_parse_errors_total_created 1714557600
mamori_collect_udp_dropped_total 7
mamori_pipeline_latency_seconds_bucket{le="0.5"} 10
mamori_pipeline_latency_seconds_count 12
`;

describe('sumMetric', () => {
  it('sums all label sets, ignoring timestamps, longer names and comments', () => {
    expect(sumMetric(TEXT, 'mamori_parse_errors_total')).toBe(7);
    expect(sumMetric(TEXT, 'mamori_collect_udp_dropped_total')).toBe(7);
  });

  it('is 0 for an absent metric and for a histogram base name', () => {
    expect(sumMetric(TEXT, 'mamori_collect_http_rejected_total')).toBe(0);
    expect(sumMetric(TEXT, 'mamori_pipeline_latency_seconds')).toBe(0);
  });

  it('skips malformed samples instead of failing', () => {
    const bad = 'x_total{a="unterminated 5\nx_total NaNish\nx_total 2\nx_total{} 1\n';
    expect(sumMetric(bad, 'x_total')).toBe(3);
  });
});
