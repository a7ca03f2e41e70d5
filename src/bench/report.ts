import type { BenchResult } from './result.js';

type Row = [label: string, value: string];

const fmt = (n: number | null, digits = 0): string =>
  n === null || !Number.isFinite(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The human-readable lines of a result: a two-column table. */
export function formatBenchResult(r: BenchResult): string {
  const rows: Row[] = [
    ['scenario', r.scenario],
    ['machine', `${r.machine.cpu_model}, ${r.machine.cores} cores, ${r.machine.memory_gb} GB, Node ${r.machine.node}`],
    ['duration', `${fmt(r.duration_s, 1)} s, ${r.tenants} tenants, ${r.connections} TCP connections`],
    ['rate target', r.rate_target === null ? 'as fast as accepted' : `${fmt(r.rate_target)} events/s`],
    ['sent', fmt(r.sent)],
    ['stored', fmt(r.stored)],
    ['events/s (end to end)', fmt(r.events_per_second)],
    ['events/s (send)', fmt(r.send_events_per_second)],
    ['latency p50', r.p50_ms === null ? 'n/a' : `${fmt(r.p50_ms)} ms`],
    ['latency p99', r.p99_ms === null ? 'n/a' : `${fmt(r.p99_ms)} ms`],
    ['latency max', r.max_ms === null ? 'n/a' : `${fmt(r.max_ms)} ms`],
    ['probes (lost)', `${fmt(r.probes)} (${fmt(r.lost_probes)})`],
    ['dropped', fmt(r.dropped)],
    ['parse errors', fmt(r.parse_errors)],
    ['peak RSS (server)', r.peak_rss_mb === null ? 'n/a' : `${fmt(r.peak_rss_mb)} MB`],
    ['CPU server / bench', `${fmt(r.server_cpu_percent)} % / ${fmt(r.bench_cpu_percent)} % of one core`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n') + '\n';
}

/** Prints the result to stdout: the table, or with `json` one JSON object on one line. */
export function printBenchResult(result: BenchResult, json: boolean): void {
  process.stdout.write(json ? JSON.stringify(result) + '\n' : formatBenchResult(result));
}
