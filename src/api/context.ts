import { MamoriError } from '../core/errors.js';
import { ALL_TENANTS, scopeOf, type TenantScope } from '../core/scope.js';
import { CUSTOMER_ROLES, type Role } from '../store/state/schema.js';
import { roleCan, type Permission } from './permissions.js';

/** Who is calling, as established by a session cookie or an API token. */
export interface Caller {
  id: string;
  login: string;
  role: Role;
  tenantId: string | null;
}

/**
 * Carried by every authenticated request. `scope` is the set of tenants the
 * caller may see; services pass it to every store query.
 */
export interface RequestContext {
  caller: Caller;
  scope: TenantScope;
  ip: string;
}

export function contextFor(caller: Caller, ip: string): RequestContext {
  const customer = (CUSTOMER_ROLES as readonly string[]).includes(caller.role);
  // A customer account without a tenant sees nothing rather than everything.
  const scope = customer ? scopeOf(caller.tenantId ? [caller.tenantId] : []) : ALL_TENANTS;
  return { caller, scope, ip };
}

export function requirePermission(ctx: RequestContext, permission: Permission): void {
  if (!roleCan(ctx.caller.role, permission)) {
    throw new MamoriError('MAMORI_E_FORBIDDEN', `role ${ctx.caller.role} may not ${permission.replace(':', ' ')}`);
  }
}

/** The one tenant a write is for; customer callers may only name their own. */
export function requireTenant(ctx: RequestContext, tenant: string): void {
  if (!ctx.scope.all && !ctx.scope.tenants.includes(tenant)) {
    // Same answer as for a tenant that does not exist: no probing of other customers' ids.
    throw new MamoriError('MAMORI_E_NOT_FOUND', `tenant "${tenant}" not found`);
  }
}
