import { sql, type Kysely } from 'kysely';
import type { StateMigration } from './migration.js';

/** Alerts raised by detection, with the rule's metadata and the matching events. */
export const alerts: StateMigration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('rule_title', 'text', (c) => c.notNull())
      .addColumn('rule_level', 'text', (c) =>
        c.notNull().check(sql`rule_level in ('informational', 'low', 'medium', 'high', 'critical')`),
      )
      .addColumn('rule_source', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('tactics', 'text', (c) => c.notNull())
      .addColumn('techniques', 'text', (c) => c.notNull())
      .addColumn('event_ids', 'text', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('group_by', 'text', (c) => c.notNull())
      .addColumn('first_event_at', 'text', (c) => c.notNull())
      .addColumn('last_event_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addCheckConstraint('alerts_event_order', sql`first_event_at <= last_event_at`)
      .execute();
    // The alert queue pages newest first per tenant; `id` breaks ties within a millisecond.
    await db.schema.createIndex('alerts_tenant_created').on('alerts').columns(['tenant_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('alerts_tenant_rule').on('alerts').columns(['tenant_id', 'rule_id']).execute();
    // Scope-all queries (the SOC queue across tenants) read by time alone.
    await db.schema.createIndex('alerts_created').on('alerts').columns(['created_at', 'id']).execute();
  },
};
