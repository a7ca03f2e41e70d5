import type { TenantScope } from '../../core/scope.js';

/**
 * The tenant ids a query must be limited to, or `null` when the scope sees
 * every tenant. An empty array means the query can return nothing, and
 * callers skip the database: `in ()` is not valid SQL.
 */
export function visibleTenants(scope: TenantScope): readonly string[] | null {
  return scope.all ? null : scope.tenants;
}
