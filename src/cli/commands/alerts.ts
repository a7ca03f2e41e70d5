import type { Command } from 'commander';
import { MamoriError } from '../../core/errors.js';
import { ALERT_LEVELS } from '../../store/state/schema.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, printTable, sanitize } from '../output.js';

interface AlertJson {
  id: string;
  tenant_id: string;
  rule_id: string;
  rule_title: string;
  rule_level: string;
  rule_source: string;
  tags: string[];
  tactics: string[];
  techniques: string[];
  kill_chain_phases: string[];
  event_count: number;
  group_by: Record<string, unknown>;
  first_event_at: string;
  last_event_at: string;
  created_at: string;
  event_ids?: string[];
  events?: Record<string, unknown>[];
}

interface ListOpts extends ClientOptions {
  tenant?: string;
  level?: string;
  rule?: string;
  since: string;
  to: string;
  limit: string;
  before?: string;
  json?: boolean;
}

/** `mamori alerts list|show`: the alert queue from the command line. */
export function registerAlertsCommand(program: Command, withClientOptions: (c: Command) => Command): void {
  const alerts = program.command('alerts').description('Alerts raised by detection (docs/alerts.md)');

  withClientOptions(
    alerts
      .command('list')
      .description('List alerts, newest first')
      .option('--tenant <id>', 'only this tenant')
      .option('--level <levels>', 'only these levels, comma-separated (informational,low,medium,high,critical)')
      .option('--rule <id>', 'only alerts of this rule id')
      .option('--since <time>', 'created since a duration ago (15m, 1h, 7d) or a time', '24h')
      .option('--to <time>', 'created before (exclusive)', 'now')
      .option('--limit <n>', 'alerts to print (1-1000)', '100')
      .option('--before <cursor>', 'continue after a previous page (the cursor it printed)'),
  ).action(async (o: ListOpts) => {
    const query = new URLSearchParams({ from: o.since, to: o.to, limit: o.limit });
    if (o.tenant) query.set('tenant', o.tenant);
    if (o.rule) query.set('rule', o.rule);
    if (o.before) query.set('before', o.before);
    for (const level of levelsOf(o.level)) query.append('level', level);
    const page = await new ApiClient(o).get<{ items: AlertJson[]; next: string | null }>(`/api/v1/alerts?${query}`);
    if (o.json) {
      page.items.forEach(printJson);
      if (page.next) process.stderr.write(`next page: --before ${page.next}\n`);
      return;
    }
    printTable(
      page.items.map((a) => ({
        time: a.created_at,
        tenant: a.tenant_id,
        level: a.rule_level,
        rule: a.rule_title,
        first_event: a.first_event_at,
        events: a.event_count,
        techniques: a.techniques.join(','),
        id: a.id,
      })),
      ['time', 'tenant', 'level', 'rule', 'first_event', 'events', 'techniques', 'id'],
    );
    process.stderr.write(`${page.items.length} alert(s)${page.next ? `; next page: --before ${page.next}` : ''}\n`);
  });

  withClientOptions(alerts.command('show <id>').description('Show one alert with its matching events')).action(
    async (id: string, o: ClientOptions & { json?: boolean }) => {
      const alert = await new ApiClient(o).get<AlertJson>(`/api/v1/alerts/${encodeURIComponent(id)}`);
      if (o.json) printJson(alert);
      else printAlert(alert);
    },
  );
}

function levelsOf(option: string | undefined): string[] {
  const levels = (option ?? '').split(',').map((l) => l.trim().toLowerCase()).filter(Boolean);
  const unknown = levels.find((l) => !(ALERT_LEVELS as readonly string[]).includes(l));
  if (unknown !== undefined) throw new MamoriError('MAMORI_E_INVALID', `unknown level "${sanitize(unknown)}": use ${ALERT_LEVELS.join(', ')}`);
  return levels;
}

function printAlert(a: AlertJson): void {
  const groupBy = Object.entries(a.group_by).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const lines: [string, string][] = [
    ['id', a.id],
    ['created', a.created_at],
    ['tenant', a.tenant_id],
    ['level', a.rule_level],
    ['rule', `${a.rule_title} (${a.rule_id}, ${a.rule_source})`],
    ['tactics', a.tactics.join(', ')],
    ['techniques', a.techniques.join(', ')],
    ['kill chain', a.kill_chain_phases.join(', ')],
    ['tags', a.tags.join(', ')],
    ['group by', groupBy.join(' ')],
    ['events', `${a.event_count}, from ${a.first_event_at} to ${a.last_event_at}`],
  ];
  for (const [name, value] of lines) process.stdout.write(`${name.padEnd(11)} ${sanitize(value)}\n`);
  const events = a.events ?? [];
  if (events.length > 0) process.stdout.write(`\nmatching events (${events.length} of ${a.event_count}):\n`);
  // One JSON line per event; sanitize also blanks the C1 controls JSON leaves unescaped.
  for (const event of events) process.stdout.write(`${sanitize(JSON.stringify(event))}\n`);
}
