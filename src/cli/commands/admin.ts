import type { Command } from 'commander';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, printTable } from '../output.js';

type Opts = ClientOptions & { json?: boolean };

interface Items<T> {
  items: T[];
}

/** `mamori tenants|sources|users add|list`: clients of the admin API. */
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
  withClientOptions(
    sources
      .command('add')
      .description('Add an ingest source; prints its token once')
      .requiredOption('--tenant <id>', 'tenant the data belongs to')
      .requiredOption('--format <parser>', 'parser for its lines (mamori parse --list)')
      .option('--name <name>', 'display name')
      .option('--charset <charset>', 'character set the source sends (utf-8, shift_jis, euc-jp, ...)')
      .option('--timezone <zone>', 'time zone of timestamps without offset (IANA name)'),
  ).action(async (o: Opts & { tenant: string; format: string; name?: string; charset?: string; timezone?: string }) => {
    const source = await new ApiClient(o).post<Record<string, unknown>>('/api/v1/sources', {
      tenant: o.tenant,
      format: o.format,
      name: o.name,
      charset: o.charset,
      timezone: o.timezone,
    });
    if (o.json) printJson(source);
    else {
      process.stdout.write(`source ${source.id} added for tenant ${source.tenant_id} (format ${source.format})\n`);
      process.stdout.write(`ingest token (shown once, keep it safe): ${source.token}\n`);
    }
  });
  withClientOptions(sources.command('list').description('List ingest sources').option('--tenant <id>', 'only this tenant')).action(async (o: Opts & { tenant?: string }) => {
    const { items } = await new ApiClient(o).get<Items<Record<string, unknown>>>('/api/v1/sources', { tenant: o.tenant });
    if (o.json) items.forEach(printJson);
    else printTable(items, ['id', 'tenant_id', 'name', 'format', 'charset', 'token_hint', 'created_at']);
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
