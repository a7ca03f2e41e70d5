import { InvalidArgumentError, type Command } from 'commander';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, printTable } from '../output.js';

type Opts = ClientOptions & { json?: boolean };

interface Items<T> {
  items: T[];
}

/** `mamori tenants|sources|users ...`: clients of the admin API. */
export function registerAdminCommands(program: Command, withClientOptions: (c: Command) => Command): void {
  const tenants = program.command('tenants').description('Manage tenants (customer organisations)');
  withClientOptions(tenants.command('add <id>').description('Add a tenant').requiredOption('--name <name>', 'display name').option('--language <ja|en>', 'language of notifications and reports', 'ja')).action(
    async (id: string, o: Opts & { name: string; language: string }) => {
      const tenant = await new ApiClient(o).post<Record<string, unknown>>('/api/v1/tenants', { id, name: o.name, language: o.language });
      if (o.json) printJson(tenant);
      else process.stdout.write(`tenant ${tenant.id} added\n`);
    },
  );
  withClientOptions(tenants.command('list').description('List tenants')).action(async (o: Opts) => {
    const { items } = await new ApiClient(o).get<Items<Record<string, unknown>>>('/api/v1/tenants');
    if (o.json) items.forEach(printJson);
    else printTable(items, ['id', 'name', 'language', 'retention_days', 'created_at']);
  });

  const sources = program.command('sources').description('Manage ingest sources (each has its own token)');
  const bindingOptions = (command: Command) =>
    command
      .option('--match-cidr <cidr...>', 'sender address blocks that identify this source on listeners with bind_by address')
      .option('--match-cert <cn-or-sha256>', 'TLS client certificate (subject CN, DNS name or SHA-256 fingerprint) for listeners with bind_by certificate')
      .option('--rate-limit <events/s>', 'events per second accepted from this source (more is refused with 429 or dropped and counted)', positiveInt);
  withClientOptions(
    bindingOptions(
      sources
        .command('add')
        .description('Add an ingest source; prints its token once')
        .requiredOption('--tenant <id>', 'tenant the data belongs to')
        .requiredOption('--format <parser>', 'parser for its lines (mamori parse --list)')
        .option('--name <name>', 'display name')
        .option('--charset <charset>', 'character set the source sends (utf-8, shift_jis, euc-jp, ...)')
        .option('--timezone <zone>', 'time zone of timestamps without offset (IANA name)'),
    ),
  ).action(async (o: Opts & SourceOptions & { tenant: string; format: string }) => {
    const source = await new ApiClient(o).post<Record<string, unknown>>('/api/v1/sources', { tenant: o.tenant, format: o.format, ...sourceBody(o) });
    if (o.json) printJson(source);
    else {
      process.stdout.write(`source ${source.id} added for tenant ${source.tenant_id} (format ${source.format})\n`);
      process.stdout.write(`ingest token (shown once, keep it safe): ${source.token}\n`);
    }
  });
  withClientOptions(
    bindingOptions(
      sources
        .command('update <id>')
        .description('Change a source (parser, charset, time zone, binding, rate limit) or disable it')
        .option('--format <parser>', 'parser for its lines')
        .option('--name <name>', 'display name')
        .option('--charset <charset>', 'character set the source sends')
        .option('--timezone <zone>', 'time zone of timestamps without offset (IANA name)')
        .option('--no-rate-limit', 'remove the rate limit')
        .option('--disable', 'stop accepting data from it')
        .option('--enable', 'accept data from it again'),
    ),
  ).action(async (id: string, o: Opts & SourceOptions & { format?: string; disable?: boolean; enable?: boolean }) => {
    const body: Record<string, unknown> = { ...sourceBody(o), ...(o.format ? { format: o.format } : {}) };
    if (o.rateLimit === false) body.rate_limit_eps = null;
    if (o.disable || o.enable) body.disabled = Boolean(o.disable);
    const source = await new ApiClient(o).patch<Record<string, unknown>>(`/api/v1/sources/${encodeURIComponent(id)}`, body);
    if (o.json) printJson(source);
    else printTable([source], ['id', 'tenant_id', 'name', 'format', 'match_cidrs', 'match_cert', 'rate_limit_eps', 'disabled']);
  });
  withClientOptions(sources.command('list').description('List ingest sources').option('--tenant <id>', 'only this tenant')).action(async (o: Opts & { tenant?: string }) => {
    const { items } = await new ApiClient(o).get<Items<Record<string, unknown>>>('/api/v1/sources', { tenant: o.tenant });
    if (o.json) items.forEach(printJson);
    else printTable(items, ['id', 'tenant_id', 'name', 'format', 'charset', 'match_cidrs', 'match_cert', 'rate_limit_eps', 'token_hint', 'disabled']);
  });

  const users = program.command('users').description('Manage accounts');
  withClientOptions(
    users
      .command('add <login>')
      .description('Add an account (password from --password, $MAMORI_NEW_PASSWORD, or generated and printed)')
      .requiredOption('--role <role>', 'platform_admin, soc_lead, soc_analyst, detection_engineer, customer_admin or customer_viewer')
      .option('--tenant <id>', 'tenant of a customer account')
      .option('--name <display name>', 'display name')
      .option('--password <password>', 'initial password (at least 12 characters)'),
  ).action(async (login: string, o: Opts & { role: string; tenant?: string; name?: string; password?: string }) => {
    const generated = !o.password && !process.env.MAMORI_NEW_PASSWORD;
    const password = o.password ?? process.env.MAMORI_NEW_PASSWORD ?? (await import('../../core/ids.js')).newSecret('', 15);
    const user = await new ApiClient(o).post<Record<string, unknown>>('/api/v1/users', { login, password, role: o.role, tenant: o.tenant, display_name: o.name });
    if (o.json) printJson(generated ? { ...user, password } : user);
    else {
      process.stdout.write(`user ${user.login} added (${user.role}${user.tenant_id ? `, tenant ${user.tenant_id}` : ''})\n`);
      if (generated) process.stdout.write(`initial password (shown once): ${password}\n`);
    }
  });
  withClientOptions(users.command('list').description('List accounts')).action(async (o: Opts) => {
    const { items } = await new ApiClient(o).get<Items<Record<string, unknown>>>('/api/v1/users');
    if (o.json) items.forEach(printJson);
    else printTable(items, ['login', 'role', 'tenant_id', 'display_name', 'disabled', 'created_at']);
  });
}

interface SourceOptions {
  name?: string;
  charset?: string;
  timezone?: string;
  matchCidr?: string[];
  matchCert?: string;
  /** A number, or false for --no-rate-limit. */
  rateLimit?: number | false;
}

function sourceBody(o: SourceOptions): Record<string, unknown> {
  return {
    name: o.name,
    charset: o.charset,
    timezone: o.timezone,
    match_cidrs: o.matchCidr,
    match_cert: o.matchCert,
    rate_limit_eps: typeof o.rateLimit === 'number' ? o.rateLimit : undefined,
  };
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('give a whole number above 0');
  return n;
}
