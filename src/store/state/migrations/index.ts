import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { MamoriError } from '../../../core/errors.js';
import { withCause } from '../db-errors.js';
import type { StateDialect } from '../schema.js';
import { initial } from './0001_initial.js';
import { sourceBinding } from './0002_source_binding.js';
import { alerts } from './0003_alerts.js';
import type { StateMigration } from './migration.js';

/**
 * Every migration, in order. Listed in code rather than discovered on disk so
 * that the compiled build and bundles find them. Append only.
 */
const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: StateMigration]> = [
  ['0001_initial', initial],
  ['0002_source_binding', sourceBinding],
  ['0003_alerts', alerts],
];

class InCodeProvider implements MigrationProvider {
  constructor(private readonly dialect: StateDialect) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, migration] of MIGRATIONS) {
      out[name] = { up: (db) => migration.up(db, this.dialect) };
    }
    return out;
  }
}

/**
 * Brings the schema to the latest version. Safe to call from several
 * processes at once: Kysely holds a lock (an advisory lock on PostgreSQL)
 * while it migrates, and each migration runs in a transaction.
 */
export async function migrateToLatest(db: Kysely<unknown>, dialect: StateDialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new InCodeProvider(dialect),
    migrationTableName: 'mamori_migration',
    migrationLockTableName: 'mamori_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName;
  const reason = error instanceof Error ? error.message : String(error);
  const where = failed === undefined ? '' : ` ${failed}`;
  throw withCause(new MamoriError('MAMORI_E_STORE', `state store migration${where} failed: ${reason}`), error);
}
