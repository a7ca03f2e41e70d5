import type { Kysely, Selectable } from 'kysely';
import { MamoriError } from '../../core/errors.js';
import { scopeAllows, type TenantScope } from '../../core/scope.js';
import { translateViolations } from './db-errors.js';
import { visibleTenants } from './scope-filter.js';
import { LANGUAGES, type Language, type StateSchema, type TenantsTable } from './schema.js';
import { flag, integer, isoTime, key, oneOf, tenantId, text } from './validate.js';

export interface Tenant {
  id: string;
  name: string;
  language: Language;
  retentionDays: number;
  /** ISO 8601 UTC. */
  createdAt: string;
  disabled: boolean;
}

export interface NewTenant {
  id: string;
  name: string;
  language: Language;
  retentionDays?: number;
}

export type TenantPatch = Partial<Pick<Tenant, 'name' | 'language' | 'retentionDays' | 'disabled'>>;

export const TENANT_NAME_MAX = 200;
/** About a hundred years; more is a typo, not a policy. */
export const RETENTION_DAYS_MAX = 36_500;

export class TenantRepository {
  constructor(
    private readonly db: Kysely<StateSchema>,
    private readonly clock: () => Date,
  ) {}

  async create(input: NewTenant): Promise<Tenant> {
    const row: Selectable<TenantsTable> = {
      id: tenantId(input.id),
      name: text('tenant name', input.name, TENANT_NAME_MAX),
      language: oneOf('language', input.language, LANGUAGES),
      retention_days: integer('retention days', input.retentionDays ?? 365, 1, RETENTION_DAYS_MAX),
      created_at: isoTime('created at', this.clock()),
      disabled: 0,
    };
    await translateViolations(() => this.db.insertInto('tenants').values(row).execute(), {
      conflict: `tenant "${row.id}" already exists`,
    });
    return toTenant(row);
  }

  /** The tenant, or undefined when it does not exist or the scope does not see it. */
  async get(scope: TenantScope, id: string): Promise<Tenant | undefined> {
    if (!scopeAllows(scope, key('tenant id', id))) return undefined;
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTenant(row);
  }

  async list(scope: TenantScope): Promise<Tenant[]> {
    const tenants = visibleTenants(scope);
    if (tenants?.length === 0) return [];
    const rows = await this.db
      .selectFrom('tenants')
      .selectAll()
      .$if(tenants !== null, (q) => q.where('id', 'in', tenants!))
      .orderBy('id')
      .execute();
    return rows.map(toTenant);
  }

  /** Applies the patch and returns the tenant; MAMORI_E_NOT_FOUND when the scope does not see it. */
  async update(scope: TenantScope, id: string, patch: TenantPatch): Promise<Tenant> {
    const set: Partial<Selectable<TenantsTable>> = {};
    if (patch.name !== undefined) set.name = text('tenant name', patch.name, TENANT_NAME_MAX);
    if (patch.language !== undefined) set.language = oneOf('language', patch.language, LANGUAGES);
    if (patch.retentionDays !== undefined) {
      set.retention_days = integer('retention days', patch.retentionDays, 1, RETENTION_DAYS_MAX);
    }
    if (patch.disabled !== undefined) set.disabled = flag('disabled', patch.disabled);
    key('tenant id', id);
    const notFound = new MamoriError('MAMORI_E_NOT_FOUND', `tenant "${id}" not found`);
    if (!scopeAllows(scope, id)) throw notFound;
    const row =
      Object.keys(set).length === 0
        ? await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst()
        : await this.db.updateTable('tenants').set(set).where('id', '=', id).returningAll().executeTakeFirst();
    if (row === undefined) throw notFound;
    return toTenant(row);
  }
}

function toTenant(row: Selectable<TenantsTable>): Tenant {
  return {
    id: row.id,
    name: row.name,
    language: row.language,
    retentionDays: row.retention_days,
    createdAt: row.created_at,
    disabled: row.disabled === 1,
  };
}
