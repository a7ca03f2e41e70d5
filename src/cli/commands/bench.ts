import type { Command } from 'commander';

const SCENARIOS = ['ingest'];

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('Measure the pipeline on this machine: events/s, p50/p99 latency, peak memory, drops')
    .option('--scenario <name>', `scenario: ${SCENARIOS.join(', ')}`, 'ingest')
    .option('--duration <seconds>', 'how long to send', '60')
    .option('--tenants <n>', 'tenants sending', '5')
    .option('--connections <n>', 'TCP connections (default: one per tenant)')
    .option('--rate <events/s>', 'offer this many events per second instead of as many as the server accepts')
    .option('--keep', 'keep the temporary data directory')
    .option('--json', 'print one JSON object')
    .action(async (o: { scenario: string; duration: string; tenants: string; connections?: string; rate?: string; keep?: boolean; json?: boolean }) => {
      if (!SCENARIOS.includes(o.scenario)) throw new Error(`unknown scenario "${o.scenario}": known are ${SCENARIOS.join(', ')}`);
      // Loaded on demand: the bench code is not needed by any other command.
      const { runIngestBench } = await import('../../bench/ingest.js');
      const { printBenchResult } = await import('../../bench/report.js');
      const result = await runIngestBench({
        duration: Number(o.duration),
        tenants: Number(o.tenants),
        connections: Number(o.connections ?? o.tenants),
        rate: o.rate === undefined ? undefined : Number(o.rate),
        json: Boolean(o.json),
        keep: o.keep,
      });
      printBenchResult(result, Boolean(o.json));
    });
}
