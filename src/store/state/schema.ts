import type { ColumnType, Generated } from 'kysely';

/**
 * Table types of the state store, shared by SQLite and PostgreSQL.
 *
 * One code path for both dialects decides the storage types:
 * - timestamps are ISO 8601 UTC strings from `Date#toISOString()` (always
 *   `YYYY-MM-DDTHH:mm:ss.sssZ`, so text order is time order);
 * - booleans are integers 0/1 (better-sqlite3 cannot bind booleans);
 * - structured details are JSON text.
 */

export type StateDialect = 'sqlite' | 'postgres';

export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** SOC-side roles see tenants through their scope and have no tenant of their own. */
export const SOC_ROLES = ['platform_admin', 'soc_analyst', 'soc_lead', 'detection_engineer'] as const;
/** Customer roles belong to exactly one tenant. */
export const CUSTOMER_ROLES = ['customer_admin', 'customer_viewer'] as const;
export const ROLES = [...SOC_ROLES, ...CUSTOMER_ROLES] as const;
export type Role = (typeof ROLES)[number];

/** 0 or 1; defaulted to 0 on insert. */
type Flag = ColumnType<number, number | undefined, number>;

export interface TenantsTable {
  id: string;
  name: string;
  language: Language;
  retention_days: ColumnType<number, number | undefined, number>;
  created_at: string;
  disabled: Flag;
}

export interface SourcesTable {
  id: string;
  tenant_id: string;
  name: string;
  format: string;
  charset: ColumnType<string, string | undefined, string>;
  timezone: string | null;
  token_hash: string;
  token_hint: string;
  created_at: string;
  disabled: Flag;
  /** Comma-separated CIDR blocks of sender addresses; null when none. */
  match_cidrs: ColumnType<string | null, string | null | undefined, string | null>;
  /** TLS client certificate subject CN or SHA-256 fingerprint; null when none. */
  match_cert: ColumnType<string | null, string | null | undefined, string | null>;
  rate_limit_eps: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface UsersTable {
  id: string;
  login: string;
  display_name: string;
  password_hash: string;
  role: Role;
  tenant_id: string | null;
  created_at: string;
  disabled: Flag;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  token_hint: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: string | null;
  actor_login: string;
  tenant_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  details: string;
  ip: string | null;
}

/** Sigma rule levels, which are the alert levels. */
export const ALERT_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export interface AlertsTable {
  id: string;
  tenant_id: string;
  rule_id: string;
  rule_title: string;
  rule_level: AlertLevel;
  /** Rule pack name or rule file. */
  rule_source: string;
  /** JSON array of the rule's tags. */
  tags: string;
  /** JSON array of ATT&CK tactic short names derived from the tags. */
  tactics: string;
  /** JSON array of ATT&CK technique ids derived from the tags. */
  techniques: string;
  /** JSON array of the `event.id` of every matching event. */
  event_ids: string;
  /** JSON array of the matching events as detected (a bounded sample). */
  events: string;
  /** JSON object of the correlation's group-by values; `{}` for single-event rules. */
  group_by: string;
  first_event_at: string;
  last_event_at: string;
  created_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface StateSchema {
  tenants: TenantsTable;
  sources: SourcesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  alerts: AlertsTable;
  meta: MetaTable;
}
