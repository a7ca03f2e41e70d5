import type { Command } from 'commander';

const SCENARIOS = ['ingest', 'parse'];

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('Measure the pipeline on this machine: events/s, p50/p99 latency, peak memory, drops')
    .option('--scenario <name>', `scenario: ${SCENARIOS.join(', ')}`, 'ingest')
    .option('--duration <seconds>', 'how long to measure (default: 60 s of sending for ingest, 3 s per format for parse)')
    .option('--tenants <n>', 'tenants sending', '5')
    .option('--connections <n>', 'TCP connections (default: one per tenant)')
    .option('--rate <events/s>', 'offer this many events per second instead of as many as the server accepts')
    .option('--keep', 'keep the temporary data directory')
    .option('--format <parser|all>', 'parse scenario: the parser to measure, or all of them', 'all')
    .option('--input <file>', 'parse scenario: real lines to parse instead of the built-in samples')
    .option('--json', 'print JSON (one object; for the parse scenario one per format and line)')
    .action(async (o: BenchOptions) => {
      if (!SCENARIOS.includes(o.scenario)) throw new Error(`unknown scenario "${o.scenario}": known are ${SCENARIOS.join(', ')}`);
      if (o.scenario === 'parse') return benchParse(o);
      // Loaded on demand: the bench code is not needed by any other command.
      const { runIngestBench } = await import('../../bench/ingest.js');
      const { printBenchResult } = await import('../../bench/report.js');
      const result = await runIngestBench({
        duration: Number(o.duration ?? 60),
        tenants: Number(o.tenants),
        connections: Number(o.connections ?? o.tenants),
        rate: o.rate === undefined ? undefined : Number(o.rate),
        json: Boolean(o.json),
        keep: o.keep,
      });
      printBenchResult(result, Boolean(o.json));
    });
}

interface BenchOptions {
  scenario: string;
  duration?: string;
  tenants: string;
  connections?: string;
  rate?: string;
  keep?: boolean;
  json?: boolean;
  format: string;
  input?: string;
}

/** Single-core parse rate per format, in this process (no server). */
async function benchParse(o: BenchOptions): Promise<void> {
  const { runParseBench, formatParseBench } = await import('../../bench/parse.js');
  const { parserNames } = await import('../../parse/registry.js');
  const duration = Number(o.duration ?? 3);
  const formats = o.format === 'all' ? parserNames() : [o.format];
  const results = [];
  for (const format of formats) {
    if (!o.json) process.stderr.write(`measuring ${format} ...\n`);
    const result = runParseBench({ format, duration, input: o.input });
    if (o.json) process.stdout.write(JSON.stringify(result) + '\n');
    results.push(result);
  }
  if (!o.json) process.stdout.write(formatParseBench(results));
}
