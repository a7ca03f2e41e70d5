import { sql, type Kysely } from 'kysely';
import type { StateDialect } from '../schema.js';
import { addSerialKey, type StateMigration } from './migration.js';

/** Tenants, sources, users, sessions, API tokens, audit log and installation facts. */
export const initial: StateMigration = {
  async up(db: Kysely<unknown>, dialect: StateDialect): Promise<void> {
    const flag = sql`disabled in (0, 1)`;

    await db.schema
      .createTable('tenants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('ja', 'en')`))
      .addColumn('retention_days', 'integer', (c) => c.notNull().defaultTo(365).check(sql`retention_days > 0`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0).check(flag))
      .execute();

    await db.schema
      .createTable('sources')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('charset', 'text', (c) => c.notNull().defaultTo('utf-8'))
      .addColumn('timezone', 'text')
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('token_hint', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0).check(flag))
      .execute();
    await db.schema.createIndex('sources_tenant').on('sources').column('tenant_id').execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('login', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) =>
        c
          .notNull()
          .check(
            sql`role in ('platform_admin', 'soc_analyst', 'soc_lead', 'detection_engineer', 'customer_admin', 'customer_viewer')`,
          ),
      )
      .addColumn('tenant_id', 'text', (c) => c.references('tenants.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0).check(flag))
      // Customer roles belong to a tenant, SOC roles to none (the repository says so first, in words).
      .addCheckConstraint(
        'users_role_tenant',
        sql`(role in ('customer_admin', 'customer_viewer')) = (tenant_id is not null)`,
      )
      .execute();
    await db.schema.createIndex('users_tenant').on('users').column('tenant_id').execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('token_hint', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('last_used_at', 'text')
      .execute();
    await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

    // No foreign keys: the audit log outlives the users and tenants it names,
    // and records actions on targets that never existed (failed attempts).
    await addSerialKey(db.schema.createTable('audit_log'), 'id', dialect)
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_login', 'text', (c) => c.notNull())
      .addColumn('tenant_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('ip', 'text')
      .execute();
    await db.schema.createIndex('audit_log_tenant_at').on('audit_log').columns(['tenant_id', 'at']).execute();
    // Scope-all queries read by time alone.
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

    await db.schema
      .createTable('meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
};
