import type { Command } from 'commander';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, printTable, sanitize } from '../output.js';

interface SearchOpts extends ClientOptions {
  tenant?: string;
  since: string;
  from?: string;
  to: string;
  limit: string;
  count?: boolean;
  json?: boolean;
  histogram?: string;
  top?: string;
  asc?: boolean;
}

/** `mamori search`: the search API from the command line. */
export function registerSearchCommand(program: Command, withClientOptions: (c: Command) => Command): void {
  withClientOptions(
    program
      .command('search [query...]')
      .description('Search stored events (query language: docs/search.md)')
      .option('--tenant <id>', 'only this tenant')
      .option('--since <duration>', 'start as a duration ago (15m, 1h, 7d) or a time', '24h')
      .option('--from <time>', 'start (ISO 8601, epoch ms or now-1h); overrides --since')
      .option('--to <time>', 'end (exclusive)', 'now')
      .option('--limit <n>', 'events to print', '100')
      .option('--asc', 'oldest first')
      .option('--count', 'print only the number of matches')
      .option('--histogram <interval>', 'print counts per interval (30s, 5m, 1h, 1d)')
      .option('--top <field>', 'print the most frequent values of a field'),
  ).action(async (words: string[], o: SearchOpts) => {
    const client = new ApiClient(o);
    const base = { q: words.join(' '), from: o.from ?? o.since, to: o.to, tenant: o.tenant };
    if (o.count) {
      const { count } = await client.get<{ count: number }>('/api/v1/events/count', base);
      if (o.json) printJson({ count });
      else process.stdout.write(`${count}\n`);
      return;
    }
    if (o.histogram) {
      const { buckets } = await client.get<{ buckets: { time: string; count: number }[] }>('/api/v1/events/histogram', { ...base, interval: o.histogram });
      if (o.json) buckets.forEach(printJson);
      else printHistogram(buckets);
      return;
    }
    if (o.top) {
      const { values } = await client.get<{ values: { value: string; count: number }[] }>('/api/v1/events/top', { ...base, field: o.top, limit: o.limit === '100' ? 10 : o.limit });
      if (o.json) values.forEach(printJson);
      else printTable(values, ['value', 'count']);
      return;
    }
    const { events } = await client.get<{ events: Record<string, unknown>[] }>('/api/v1/events', { ...base, limit: o.limit, order: o.asc ? 'asc' : 'desc' });
    if (o.json) {
      events.forEach(printJson);
      return;
    }
    for (const e of events) {
      const text = (e.message ?? e['event.original'] ?? '') as string;
      const who = [e['tenant.id'], e['host.name'] ?? e['observer.hostname'] ?? e['source.ip']].filter(Boolean).join(' ');
      process.stdout.write(`${e['@timestamp']}  ${sanitize(who)}  ${sanitize(String(text)).slice(0, 400)}\n`);
    }
    process.stderr.write(`${events.length} event(s)\n`);
  });
}

function printHistogram(buckets: { time: string; count: number }[]): void {
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const width = String(max).length;
  for (const b of buckets) {
    const bar = '#'.repeat(Math.round((b.count / max) * 50));
    process.stdout.write(`${b.time}  ${String(b.count).padStart(width)}  ${bar}\n`);
  }
}
