/**
 * The tenants a caller may see. Every store query takes one; there is no
 * unscoped query method. `all` is only ever granted to SOC-side roles.
 */
export type TenantScope = { readonly all: true } | { readonly all: false; readonly tenants: readonly string[] };

export const ALL_TENANTS: TenantScope = Object.freeze({ all: true });

export function scopeOf(tenants: readonly string[]): TenantScope {
  return Object.freeze({ all: false, tenants: Object.freeze([...tenants]) });
}

export function scopeAllows(scope: TenantScope, tenant: string): boolean {
  return scope.all || scope.tenants.includes(tenant);
}

/** Narrows a scope to one tenant (empty scope when the caller may not see it). */
export function narrowScope(scope: TenantScope, tenant: string | undefined): TenantScope {
  if (tenant === undefined) return scope;
  return scopeOf(scopeAllows(scope, tenant) ? [tenant] : []);
}
