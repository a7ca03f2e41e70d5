/**
 * Roles (SPEC §1) and what each may do. SOC-side roles see every tenant;
 * customer roles see only their own, which the request context enforces
 * through its tenant scope, not through these grants.
 */
import { ROLES, type Role } from '../store/state/schema.js';

export type Permission =
  | 'events:read'
  | 'alerts:read'
  | 'events:ingest'
  | 'tenants:read'
  | 'tenants:write'
  | 'sources:read'
  | 'sources:write'
  | 'users:read'
  | 'users:write'
  | 'audit:read'
  | 'metrics:read';

const READ: Permission[] = ['events:read', 'alerts:read', 'tenants:read', 'sources:read'];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  platform_admin: new Set<Permission>([...READ, 'events:ingest', 'tenants:write', 'sources:write', 'users:read', 'users:write', 'audit:read', 'metrics:read']),
  soc_lead: new Set<Permission>([...READ, 'events:ingest', 'users:read', 'audit:read', 'metrics:read']),
  soc_analyst: new Set<Permission>([...READ, 'events:ingest', 'metrics:read']),
  detection_engineer: new Set<Permission>([...READ, 'metrics:read']),
  customer_admin: new Set<Permission>([...READ, 'users:read', 'users:write', 'sources:write', 'audit:read']),
  customer_viewer: new Set<Permission>(READ),
};

export function roleCan(role: Role, permission: Permission): boolean {
  return GRANTS[role]?.has(permission) ?? false;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
