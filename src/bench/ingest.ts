import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MamoriError } from '../core/errors.js';
import type { BenchApi } from './api.js';
import { buildPool, runLoad, type LinePool, type LoadResult } from './load.js';
import { cpuSeconds, machineInfo, statusMb } from './proc.js';
import { ProbeTracker } from './probes.js';
import { sumMetric } from './prometheus.js';
import type { BenchResult } from './result.js';
import { startServer, type BenchServer } from './server.js';
import { percentile } from './stats.js';
import { generateTraffic } from './traffic.js';

export interface IngestBenchOptions {
  /** Seconds of sending. */
  duration: number;
  tenants: number;
  connections: number;
  /** Target events/s over all connections; undefined = as fast as the server accepts. */
  rate?: number;
  /** Quiet progress (stdout gets only the JSON object from the caller). */
  json: boolean;
  /** Keep the temporary directory (config, data) for inspection. */
  keep?: boolean;
}

/** Lines generated up front, over all tenants: enough variety that the stores see no unrealistic repetition. */
const POOL_LINES = 120_000;
const LINES_PER_BATCH = 250;
const PROBE_POLL_MS = 200;
const PROBE_GRACE_MS = 30_000;
const STORE_WAIT_MS = 120_000;
const COUNT_POLL_MS = 250;
const SAMPLE_MS = 1_000;
const HOUR_MS = 3_600_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function validate(o: IngestBenchOptions): void {
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new MamoriError('MAMORI_E_INVALID', `bench: ${what}`);
  };
  check(Number.isFinite(o.duration) && o.duration > 0 && o.duration <= 3_600, `duration must be from 1 to 3600 seconds, got ${o.duration}`);
  check(Number.isInteger(o.tenants) && o.tenants >= 1 && o.tenants <= 200, `tenants must be an integer from 1 to 200, got ${o.tenants}`);
  check(Number.isInteger(o.connections) && o.connections >= 1 && o.connections <= 256, `connections must be an integer from 1 to 256, got ${o.connections}`);
  check(o.rate === undefined || (Number.isFinite(o.rate) && o.rate > 0), `rate must be a positive number of events/s, got ${o.rate}`);
}

/** One pool per tenant, each drawn from its own seed so tenants have their own hosts and addresses. */
function buildPools(tenants: number, now: number): LinePool[] {
  const perTenant = Math.max(LINES_PER_BATCH * 20, Math.ceil(POOL_LINES / tenants));
  const pools: LinePool[] = [];
  for (let t = 0; t < tenants; t++) {
    const lines = generateTraffic({ seed: 0x6d616d6f + t, count: perTenant, now, sites: 4 }).map((l) => l.line);
    pools.push(buildPool(lines, LINES_PER_BATCH));
  }
  return pools;
}

/** Samples the server's resident memory and both processes' CPU once a second. */
class Sampler {
  peakRssMb: number | null = null;
  private timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    private readonly onTick: () => void,
  ) {
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  sample(): void {
    const rss = statusMb(this.pid, 'VmRSS');
    if (rss !== undefined) this.peakRssMb = Math.max(this.peakRssMb ?? 0, rss);
    this.onTick();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

interface CpuMark {
  at: number;
  server: number | undefined;
  bench: number;
}

function cpuMark(pid: number): CpuMark {
  const { user, system } = process.cpuUsage();
  return { at: Date.now(), server: cpuSeconds(pid), bench: (user + system) / 1e6 };
}

function cpuPercent(from: CpuMark, to: CpuMark): { server: number | null; bench: number } {
  const wall = (to.at - from.at) / 1000;
  const pct = (a: number, b: number) => Math.round(((b - a) / wall) * 100);
  return { server: from.server === undefined || to.server === undefined ? null : pct(from.server, to.server), bench: pct(from.bench, to.bench) };
}

/** Polls for probes until sending is over, then until all are seen or the grace period ends. */
async function pollProbes(api: BenchApi, probes: ProbeTracker, sending: Promise<unknown>): Promise<void> {
  let sendingOver = false;
  const over = () => (sendingOver = true);
  sending.then(over, over);
  while (!sendingOver) {
    await sleep(PROBE_POLL_MS);
    await probes.poll(api);
  }
  const deadline = Date.now() + PROBE_GRACE_MS;
  while (probes.outstanding > 0 && Date.now() < deadline) {
    await sleep(PROBE_POLL_MS);
    await probes.poll(api);
  }
}

/** Waits (bounded) until the store holds `expected` events; returns the count and when it last changed. */
async function waitStored(api: BenchApi, expected: number, since: number): Promise<{ stored: number; at: number }> {
  const deadline = Date.now() + STORE_WAIT_MS;
  let stored = -1;
  let at = Date.now();
  for (;;) {
    const count = await api.count('', { from: since - HOUR_MS, to: Date.now() + HOUR_MS });
    if (count !== stored) {
      stored = count;
      at = Date.now();
    }
    if (stored >= expected || Date.now() >= deadline) return { stored, at };
    await sleep(COUNT_POLL_MS);
  }
}

interface Measured {
  load: LoadResult;
  stored: number;
  storedAt: number;
  cpu: { server: number | null; bench: number };
  peakRssMb: number | null;
}

/** Sends, probes and waits for the store; the server is up and its tenants exist. */
async function measure(server: BenchServer, pools: LinePool[], options: IngestBenchOptions, since: number, probes: ProbeTracker, progress: (line: string) => void): Promise<Measured> {
  const { api, pid } = server;
  const startMark = cpuMark(pid);
  let last = startMark;
  const sampler = new Sampler(pid, () => {
    const mark = cpuMark(pid);
    const cpu = cpuPercent(last, mark);
    last = mark;
    const elapsed = Math.round((mark.at - startMark.at) / 1000);
    progress(`bench: ${elapsed} s, probes seen ${probes.seen.length}/${probes.sent}, CPU server ${cpu.server ?? '?'} % bench ${cpu.bench} % of one core`);
  });
  try {
    progress(`bench: sending for ${options.duration} s over ${options.connections} connections`);
    const sending = runLoad({ listeners: server.listeners, pools, connections: options.connections, durationMs: options.duration * 1000, rate: options.rate, probes });
    const probing = pollProbes(api, probes, sending);
    // A poller failure is reported below, after the load has stopped: never leave the load running unobserved.
    const [load] = await Promise.all([sending, probing.catch(() => undefined)]);
    const cpu = cpuPercent(startMark, cpuMark(pid));
    progress(`bench: sent ${load.sent} lines; waiting until they are stored and every probe is searchable`);
    const [{ stored, at }] = await Promise.all([waitStored(api, load.sent, since), probing]);
    sampler.sample();
    return { load, stored, storedAt: at, cpu, peakRssMb: sampler.peakRssMb };
  } finally {
    sampler.stop();
  }
}

/**
 * `mamori bench --scenario ingest`: starts a server on loopback ports in a
 * temporary directory, sends realistic multi-tenant syslog over TCP for
 * `duration` seconds and measures what the whole pipeline sustains end to
 * end (received → parsed → stored → searchable). The server is always
 * stopped and the directory removed (unless `keep`), also on errors.
 */
export async function runIngestBench(options: IngestBenchOptions): Promise<BenchResult> {
  validate(options);
  const progress = (line: string) => {
    if (!options.json) process.stderr.write(line + '\n');
  };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mamori-bench-'));
  let server: BenchServer | undefined;
  try {
    const tenants = Array.from({ length: options.tenants }, (_, i) => `bench-t${i + 1}`);
    const benchStart = Date.now();
    const pools = buildPools(tenants.length, benchStart);
    progress(`bench: starting mamori serve in ${dir}`);
    server = await startServer({ dir, tenants });
    if (options.connections < tenants.length) progress(`bench: ${options.connections} connections for ${tenants.length} tenants: only the first ${options.connections} tenants receive traffic`);

    const probes = new ProbeTracker();
    const { load, stored, storedAt, cpu, peakRssMb } = await measure(server, pools, options, benchStart, probes, progress);
    const metrics = await server.api.metrics();
    const hwm = statusMb(server.pid, 'VmHWM');
    const latencies = probes.seen;
    const elapsed = (storedAt - load.firstSendAt) / 1000;
    const dropped = load.sent - stored + sumMetric(metrics, 'mamori_collect_udp_dropped_total') + sumMetric(metrics, 'mamori_collect_http_rejected_total');
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      scenario: 'ingest',
      duration_s: round((load.lastSendAt - load.firstSendAt) / 1000),
      tenants: options.tenants,
      connections: options.connections,
      rate_target: options.rate ?? null,
      events: stored,
      sent: load.sent,
      stored,
      events_per_second: Math.round(stored / elapsed),
      send_events_per_second: Math.round(load.sent / ((load.lastSendAt - load.firstSendAt) / 1000)),
      p50_ms: latencies.length ? percentile(latencies, 50) : null,
      p99_ms: latencies.length ? percentile(latencies, 99) : null,
      max_ms: latencies.length ? percentile(latencies, 100) : null,
      probes: probes.sent,
      lost_probes: probes.outstanding,
      peak_rss_mb: hwm !== undefined ? Math.round(hwm) : peakRssMb === null ? null : Math.round(peakRssMb),
      dropped,
      parse_errors: sumMetric(metrics, 'mamori_parse_errors_total'),
      server_cpu_percent: cpu.server,
      bench_cpu_percent: cpu.bench,
      machine: machineInfo(),
    };
  } finally {
    await server?.stop();
    if (!options.keep) await rm(dir, { recursive: true, force: true });
    else progress(`bench: kept ${dir}`);
  }
}
