import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { MamoriError } from '../../core/errors.js';
import { narrowScope, type TenantScope } from '../../core/scope.js';
import { parseCidr } from '../query/ip.js';
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
  /** Sender address blocks (CIDR) that identify this source on shared syslog listeners. */
  matchCidrs: string[];
  /** TLS client certificate (subject CN or SHA-256 fingerprint) that identifies this source. */
  matchCert: string | null;
  /** Events per second accepted from this source; null is unlimited. */
  rateLimitEps: number | null;
}

/** How a source is recognised and limited; what `update` may change besides the parse settings. */
export interface SourceBindingFields {
  matchCidrs?: string[];
  matchCert?: string | null;
  rateLimitEps?: number | null;
}

/** A source as collection routes to it: with its token digest, of an enabled tenant. */
export interface RoutableSource extends Source {
  tokenHash: string;
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
  matchCidrs?: string[];
  matchCert?: string | null;
  rateLimitEps?: number | null;
}

export interface SourceChanges extends SourceBindingFields {
  name?: string;
  format?: string;
  charset?: string;
  timezone?: string | null;
  disabled?: boolean;
}

const NAME_MAX = 200;
const FORMAT_MAX = 64;
const CHARSET_MAX = 64;
const TIMEZONE_MAX = 64;
const HINT_MAX = 16;
const CERT_MAX = 256;
const CIDRS_MAX = 64;
const MAX_RATE = 10_000_000;

function cidrList(value: string[] | undefined): string | null {
  if (value === undefined || value.length === 0) return null;
  if (value.length > CIDRS_MAX) throw new MamoriError('MAMORI_E_INVALID', `match cidrs: at most ${CIDRS_MAX} blocks`, { field: 'match cidrs' });
  for (const block of value) {
    if (!parseCidr(block)) throw new MamoriError('MAMORI_E_INVALID', `match cidrs: "${String(block).slice(0, 60)}" is not a CIDR block such as 192.0.2.0/24`, { field: 'match cidrs' });
  }
  return value.join(',');
}

function rateLimit(value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || value < 1 || value > MAX_RATE) {
    throw new MamoriError('MAMORI_E_INVALID', `rate limit must be a whole number of events per second from 1 to ${MAX_RATE}`, { field: 'rate limit' });
  }
  return value;
}

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
      match_cidrs: cidrList(input.matchCidrs),
      match_cert: optionalText('match cert', input.matchCert, CERT_MAX),
      rate_limit_eps: rateLimit(input.rateLimitEps),
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

  /** Changes a source the scope sees; undefined when it sees none with this id. */
  async update(scope: TenantScope, id: string, changes: SourceChanges): Promise<Source | undefined> {
    const tenants = visibleTenants(scope);
    if (tenants?.length === 0) return undefined;
    const set: Partial<Selectable<SourcesTable>> = {};
    if (changes.name !== undefined) set.name = text('source name', changes.name, NAME_MAX);
    if (changes.format !== undefined) set.format = text('format', changes.format, FORMAT_MAX);
    if (changes.charset !== undefined) set.charset = text('charset', changes.charset, CHARSET_MAX);
    if (changes.timezone !== undefined) set.timezone = optionalText('timezone', changes.timezone, TIMEZONE_MAX);
    if (changes.disabled !== undefined) set.disabled = changes.disabled ? 1 : 0;
    if (changes.matchCidrs !== undefined) set.match_cidrs = cidrList(changes.matchCidrs);
    if (changes.matchCert !== undefined) set.match_cert = optionalText('match cert', changes.matchCert, CERT_MAX);
    if (changes.rateLimitEps !== undefined) set.rate_limit_eps = rateLimit(changes.rateLimitEps);
    if (Object.keys(set).length > 0) {
      await this.db
        .updateTable('sources')
        .set(set)
        .where('id', '=', key('source id', id))
        .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
        .execute();
    }
    return this.get(scope, id);
  }

  /**
   * Every enabled source of an enabled tenant, for collection to route
   * received data by sender address, client certificate or token. Unscoped
   * like `findByTokenHash`, for the same reason: what a sender presents is
   * what establishes its tenant.
   */
  async listRoutable(): Promise<RoutableSource[]> {
    const rows = await this.db
      .selectFrom('sources')
      .innerJoin('tenants', 'tenants.id', 'sources.tenant_id')
      .selectAll('sources')
      .where('sources.disabled', '=', 0)
      .where('tenants.disabled', '=', 0)
      .orderBy('sources.id')
      .execute();
    return rows.map((row) => ({ ...toSource(row), tokenHash: row.token_hash }));
  }

  /**
   * Unscoped: ingest authenticates a sender by its token
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
    matchCidrs: row.match_cidrs ? row.match_cidrs.split(',') : [],
    matchCert: row.match_cert,
    rateLimitEps: row.rate_limit_eps,
  };
}
