import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry for the whole process, exported at /metrics in Prometheus
 * text format. Every part reports through these helpers so names and labels
 * stay uniform: `mamori_<stage>_<what>_total`.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'mamori_process_' });

const counters = new Map<string, Counter<string>>();
const gauges = new Map<string, Gauge<string>>();
const histograms = new Map<string, Histogram<string>>();

export function counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
  let c = counters.get(name);
  if (!c) {
    c = new Counter({ name, help, labelNames, registers: [registry] });
    counters.set(name, c);
  }
  return c;
}

export function gauge(name: string, help: string, labelNames: string[] = []): Gauge<string> {
  let g = gauges.get(name);
  if (!g) {
    g = new Gauge({ name, help, labelNames, registers: [registry] });
    gauges.set(name, g);
  }
  return g;
}

export function histogram(name: string, help: string, buckets: number[], labelNames: string[] = []): Histogram<string> {
  let h = histograms.get(name);
  if (!h) {
    h = new Histogram({ name, help, buckets, labelNames, registers: [registry] });
    histograms.set(name, h);
  }
  return h;
}
