import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely';
import type { StateDialect } from '../schema.js';

/**
 * A state store migration. It receives the dialect so that the few column
 * types SQL does not share (auto-increment keys) are chosen here, once,
 * instead of keeping two migration trees. Migrations are frozen history: they
 * never import constants that may change later (role lists, defaults).
 */
export interface StateMigration {
  up(db: Kysely<unknown>, dialect: StateDialect): Promise<void>;
}

/** Adds an auto-incrementing integer primary key `column` in either dialect. */
export function addSerialKey<T extends string>(
  table: CreateTableBuilder<T, never>,
  column: string,
  dialect: StateDialect,
): CreateTableBuilder<T, string> {
  const primaryKey = (c: ColumnDefinitionBuilder) => c.primaryKey();
  return dialect === 'sqlite'
    ? table.addColumn(column, 'integer', (c) => primaryKey(c).autoIncrement())
    : table.addColumn(column, 'serial', primaryKey);
}
