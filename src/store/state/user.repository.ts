import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { MamoriError } from '../../core/errors.js';
import type { TenantScope } from '../../core/scope.js';
import { translateViolations } from './db-errors.js';
import { visibleTenants } from './scope-filter.js';
import { CUSTOMER_ROLES, ROLES, type Role, type StateSchema, type UsersTable } from './schema.js';
import { flag, isoTime, key, oneOf, tenantId, text } from './validate.js';

export interface User {
  id: string;
  /** Lower-case: logins are case-insensitive. */
  login: string;
  displayName: string;
  role: Role;
  /** The customer's tenant; null for SOC-side roles. */
  tenantId: string | null;
  createdAt: string;
  disabled: boolean;
}

/** A user with the password hash, returned only to authentication. */
export interface UserCredentials extends User {
  passwordHash: string;
}

export interface NewUser {
  login: string;
  displayName: string;
  /** An argon2 PHC string; hashing is the auth service's job. */
  passwordHash: string;
  role: Role;
  /** Required for customer roles, absent for SOC roles. */
  tenantId?: string | null;
}

const LOGIN_MAX = 128;
const DISPLAY_NAME_MAX = 200;
const PASSWORD_HASH_MAX = 1024;

export function isCustomerRole(role: Role): boolean {
  return (CUSTOMER_ROLES as readonly Role[]).includes(role);
}

/**
 * Users of both sides. A scope sees the users of its tenants; SOC-side users
 * (no tenant) only with a scope of all tenants. Mutations take the scope too,
 * so a customer admin cannot reach another tenant's users by id.
 */
export class UserRepository {
  constructor(
    private readonly db: Kysely<StateSchema>,
    private readonly clock: () => Date,
  ) {}

  async create(input: NewUser): Promise<User> {
    const role = oneOf('role', input.role, ROLES);
    const tenant = input.tenantId ?? null;
    if (isCustomerRole(role) && tenant === null) {
      throw new MamoriError('MAMORI_E_INVALID', `role ${role} requires a tenant`, { field: 'tenant id' });
    }
    if (!isCustomerRole(role) && tenant !== null) {
      throw new MamoriError('MAMORI_E_INVALID', `role ${role} is a SOC role and cannot belong to a tenant`, {
        field: 'tenant id',
      });
    }
    const row: Selectable<UsersTable> = {
      id: randomUUID(),
      login: normalizeLogin(input.login),
      display_name: text('display name', input.displayName, DISPLAY_NAME_MAX),
      password_hash: text('password hash', input.passwordHash, PASSWORD_HASH_MAX),
      role,
      tenant_id: tenant === null ? null : tenantId(tenant),
      created_at: isoTime('created at', this.clock()),
      disabled: 0,
    };
    await translateViolations(() => this.db.insertInto('users').values(row).execute(), {
      conflict: `user "${row.login}" already exists`,
      missing: `tenant "${row.tenant_id}" not found`,
    });
    return toUser(row);
  }

  async getById(scope: TenantScope, id: string): Promise<User | undefined> {
    const tenants = visibleTenants(scope);
    if (tenants?.length === 0) return undefined;
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', key('user id', id))
      .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
      .executeTakeFirst();
    return row && toUser(row);
  }

  /**
   * Unscoped: authentication looks a user up by login before any scope
   * exists. The result carries the password hash for that reason only.
   */
  async getByLogin(login: string): Promise<UserCredentials | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('login', '=', normalizeLogin(login))
      .executeTakeFirst();
    return row && { ...toUser(row), passwordHash: row.password_hash };
  }

  async list(scope: TenantScope): Promise<User[]> {
    const tenants = visibleTenants(scope);
    if (tenants?.length === 0) return [];
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
      .orderBy('login')
      .execute();
    return rows.map(toUser);
  }

  async setPassword(scope: TenantScope, id: string, passwordHash: string): Promise<void> {
    await this.updateVisible(scope, id, { password_hash: text('password hash', passwordHash, PASSWORD_HASH_MAX) });
  }

  async setDisabled(scope: TenantScope, id: string, disabled: boolean): Promise<void> {
    await this.updateVisible(scope, id, { disabled: flag('disabled', disabled) });
  }

  /** Deletes the user; their sessions and API tokens go with them. */
  async delete(scope: TenantScope, id: string): Promise<void> {
    await this.changeVisible(scope, id, async (userId, tenants) => {
      const result = await this.db
        .deleteFrom('users')
        .where('id', '=', userId)
        .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
        .executeTakeFirst();
      return result.numDeletedRows;
    });
  }

  private async updateVisible(scope: TenantScope, id: string, set: Partial<Pick<Selectable<UsersTable>, 'password_hash' | 'disabled'>>): Promise<void> {
    await this.changeVisible(scope, id, async (userId, tenants) => {
      const result = await this.db
        .updateTable('users')
        .set(set)
        .where('id', '=', userId)
        .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
        .executeTakeFirst();
      return result.numUpdatedRows;
    });
  }

  /** Runs a change on a user the scope can see; an invisible or unknown user is "not found" either way. */
  private async changeVisible(scope: TenantScope, id: string, change: (userId: string, tenants: readonly string[] | null) => Promise<bigint>): Promise<void> {
    const tenants = visibleTenants(scope);
    const userId = key('user id', id);
    const changed = tenants?.length === 0 ? 0n : await change(userId, tenants);
    if (changed === 0n) throw userNotFound(userId);
  }
}

function normalizeLogin(login: unknown): string {
  return text('login', login, LOGIN_MAX).toLowerCase();
}

function userNotFound(id: string): MamoriError {
  return new MamoriError('MAMORI_E_NOT_FOUND', `user ${id} not found`);
}

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    role: row.role,
    tenantId: row.tenant_id,
    createdAt: row.created_at,
    disabled: row.disabled === 1,
  };
}
