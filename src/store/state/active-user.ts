import type { ExpressionBuilder } from 'kysely';
import type { Role, StateSchema } from './schema.js';
import type { User } from './user.repository.js';

/**
 * The user columns that session and API token lookups join in, aliased so
 * they cannot collide with the credential's own columns.
 */
export const ACTIVE_USER_COLUMNS = [
  'users.id as user_id',
  'users.login as user_login',
  'users.display_name as user_display_name',
  'users.role as user_role',
  'users.tenant_id as user_tenant_id',
  'users.created_at as user_created_at',
] as const;

interface ActiveUserRow {
  user_id: string;
  user_login: string;
  user_display_name: string;
  user_role: Role;
  user_tenant_id: string | null;
  user_created_at: string;
}

type Joined = ExpressionBuilder<StateSchema & { tenants: StateSchema['tenants'] }, 'users' | 'tenants'>;

/**
 * A credential only authenticates an enabled user whose tenant, if any, is
 * enabled: disabling either must lock out every open session and token at
 * once. Use with `users` inner-joined and `tenants` left-joined.
 */
export function isActiveUser(eb: Joined) {
  return eb.and([
    eb('users.disabled', '=', 0),
    eb.or([eb('tenants.disabled', 'is', null), eb('tenants.disabled', '=', 0)]),
  ]);
}

export function toActiveUser(row: ActiveUserRow): User {
  return {
    id: row.user_id,
    login: row.user_login,
    displayName: row.user_display_name,
    role: row.user_role,
    tenantId: row.user_tenant_id,
    createdAt: row.user_created_at,
    disabled: false,
  };
}
