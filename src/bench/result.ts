import type { MachineInfo } from './proc.js';

/** What `mamori bench --scenario ingest` measured; `--json` prints exactly this object. */
export interface BenchResult {
  scenario: 'ingest';
  duration_s: number;
  tenants: number;
  connections: number;
  /** Requested send rate in events/s; null = as fast as the server accepts. */
  rate_target: number | null;
  /** Events stored end to end (equals `stored`; the headline count). */
  events: number;
  /** Lines written to the sockets, probes included. */
  sent: number;
  /** Events of the bench tenants found in the event store at the end. */
  stored: number;
  /** Sustained end-to-end rate: stored events / (first send → count reached the total). */
  events_per_second: number;
  /** Rate at which the sockets accepted lines while sending. */
  send_events_per_second: number;
  /** Send → searchable latency of the probe lines. */
  p50_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
  probes: number;
  /** Probes not searchable 30 s after sending ended; must be 0. */
  lost_probes: number;
  /** Peak resident memory of the server process. */
  peak_rss_mb: number | null;
  /** sent − stored plus the server's own UDP drop and HTTP rejection counters. */
  dropped: number;
  parse_errors: number;
  /** Average CPU use while sending, in % of one core (200 = both cores of a 2-core machine). */
  server_cpu_percent: number | null;
  bench_cpu_percent: number;
  machine: MachineInfo;
}
