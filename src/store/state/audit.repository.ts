import type { Kysely, Selectable } from 'kysely';
import type { TenantScope } from '../../core/scope.js';
import { visibleTenants } from './scope-filter.js';
import type { AuditLogTable, StateSchema } from './schema.js';
import { integer, isoTime, jsonObject, optionalIp, optionalText, tenantId, text } from './validate.js';

export interface AuditEntry {
  id: number;
  /** ISO 8601 UTC. */
  at: string;
  /** Null for the system itself (bootstrap, scheduler). */
  actorId: string | null;
  actorLogin: string;
  /** Null for platform-wide actions, visible only to a scope of all tenants. */
  tenantId: string | null;
  /** Dotted verb, e.g. `tenant.create`, `user.login_failed`. */
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

export interface NewAuditEntry {
  actorId?: string | null;
  actorLogin: string;
  tenantId?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export interface AuditQuery {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  action?: string;
  limit: number;
}

const ACTOR_MAX = 128;
const ACTION_MAX = 100;
const TARGET_MAX = 200;
const DETAILS_MAX_BYTES = 64 * 1024;
export const AUDIT_LIST_MAX = 10_000;

export class AuditRepository {
  constructor(
    private readonly db: Kysely<StateSchema>,
    private readonly clock: () => Date,
  ) {}

  /** Appends one entry stamped with the current time; returns it. */
  async append(input: NewAuditEntry): Promise<AuditEntry> {
    const tenant = input.tenantId ?? null;
    const row = {
      at: isoTime('at', this.clock()),
      actor_id: optionalText('actor id', input.actorId, ACTOR_MAX),
      actor_login: text('actor login', input.actorLogin, ACTOR_MAX),
      tenant_id: tenant === null ? null : tenantId(tenant),
      action: text('action', input.action, ACTION_MAX),
      target_type: text('target type', input.targetType, TARGET_MAX),
      target_id: optionalText('target id', input.targetId, TARGET_MAX),
      details: jsonObject('details', input.details ?? {}, DETAILS_MAX_BYTES),
      ip: optionalIp('ip', input.ip),
    };
    const { id } = await this.db.insertInto('audit_log').values(row).returning('id').executeTakeFirstOrThrow();
    return toAuditEntry({ id, ...row });
  }

  /** Entries the scope sees in [from, to), newest first. */
  async list(scope: TenantScope, query: AuditQuery): Promise<AuditEntry[]> {
    const from = isoTime('from', query.from);
    const to = isoTime('to', query.to);
    const limit = integer('limit', query.limit, 1, AUDIT_LIST_MAX);
    const action = query.action === undefined ? undefined : text('action', query.action, ACTION_MAX);
    const tenants = visibleTenants(scope);
    if (tenants?.length === 0 || from >= to) return [];
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('at', '>=', from)
      .where('at', '<', to)
      .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
      .$if(action !== undefined, (q) => q.where('action', '=', action!))
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toAuditEntry);
  }
}

function toAuditEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actorLogin: row.actor_login,
    tenantId: row.tenant_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    ip: row.ip,
  };
}
