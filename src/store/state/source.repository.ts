import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { narrowScope, type TenantScope } from '../../core/scope.js';
import { translateViolations } from './db-errors.js';
import { visibleTenants } from './scope-filter.js';
import type { SourcesTable, StateSchema } from './schema.js';
import { isoTime, key, optionalText, sha256Hex, tenantId, text } from './validate.js';

export interface Source {
  id: string;
  tenantId: string;
  name: string;
  /** Parser name. */
  format: string;
  charset: string;
  /** IANA zone for timestamps that carry none; null means UTC. */
  timezone: string | null;
  /** First characters of the ingest token, to tell tokens apart. */
  tokenHint: string;
  createdAt: string;
  disabled: boolean;
}

/** A source found by its ingest token, with what ingest needs to accept or refuse it. */
export interface IngestSource extends Source {
  tenantDisabled: boolean;
}

export interface NewSource {
  tenantId: string;
  name: string;
  format: string;
  charset?: string;
  timezone?: string | null;
  /** secretDigest() of the ingest token; the token itself is never stored. */
  tokenHash: string;
  /** secretHint() of the ingest token. */
  tokenHint: string;
}

const NAME_MAX = 200;
const FORMAT_MAX = 64;
const CHARSET_MAX = 64;
const TIMEZONE_MAX = 64;
const HINT_MAX = 16;

export class SourceRepository {
  constructor(
    private readonly db: Kysely<StateSchema>,
    private readonly clock: () => Date,
  ) {}

  async create(input: NewSource): Promise<Source> {
    const row: Selectable<SourcesTable> = {
      id: randomUUID(),
      tenant_id: tenantId(input.tenantId),
      name: text('source name', input.name, NAME_MAX),
      format: text('format', input.format, FORMAT_MAX),
      charset: text('charset', input.charset ?? 'utf-8', CHARSET_MAX),
      timezone: optionalText('timezone', input.timezone, TIMEZONE_MAX),
      token_hash: sha256Hex('token hash', input.tokenHash),
      token_hint: text('token hint', input.tokenHint, HINT_MAX),
      created_at: isoTime('created at', this.clock()),
      disabled: 0,
    };
    await translateViolations(() => this.db.insertInto('sources').values(row).execute(), {
      conflict: 'a source with this ingest token already exists',
      missing: `tenant "${row.tenant_id}" not found`,
    });
    return toSource(row);
  }

  async get(scope: TenantScope, id: string): Promise<Source | undefined> {
    const tenants = visibleTenants(scope);
    if (tenants?.length === 0) return undefined;
    const row = await this.db
      .selectFrom('sources')
      .selectAll()
      .where('id', '=', key('source id', id))
      .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
      .executeTakeFirst();
    return row && toSource(row);
  }

  /** Sources the scope sees, optionally of one tenant only. */
  async list(scope: TenantScope, tenantId?: string): Promise<Source[]> {
    const tenants = visibleTenants(narrowScope(scope, tenantId));
    if (tenants?.length === 0) return [];
    const rows = await this.db
      .selectFrom('sources')
      .selectAll()
      .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
      .orderBy('tenant_id')
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map(toSource);
  }

  /**
   * The one unscoped lookup: ingest authenticates a sender by its token
   * before anyone knows which tenant it belongs to, and the token (a secret
   * only that source holds) is what establishes the tenant.
   */
  async findByTokenHash(tokenHash: string): Promise<IngestSource | undefined> {
    const row = await this.db
      .selectFrom('sources')
      .innerJoin('tenants', 'tenants.id', 'sources.tenant_id')
      .selectAll('sources')
      .select('tenants.disabled as tenant_disabled')
      .where('sources.token_hash', '=', sha256Hex('token hash', tokenHash))
      .executeTakeFirst();
    return row && { ...toSource(row), tenantDisabled: row.tenant_disabled === 1 };
  }
}

function toSource(row: Selectable<SourcesTable>): Source {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    format: row.format,
    charset: row.charset,
    timezone: row.timezone,
    tokenHint: row.token_hint,
    createdAt: row.created_at,
    disabled: row.disabled === 1,
  };
}
