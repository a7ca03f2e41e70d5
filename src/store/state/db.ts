import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { MamoriError } from '../../core/errors.js';
import { withCause } from './db-errors.js';
import { migrateToLatest } from './migrations/index.js';
import type { StateSchema } from './schema.js';

export type StateDbConfig =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string; poolSize?: number };

/** How long a SQLite writer waits for another process's lock before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const DEFAULT_POOL_SIZE = 10;

/** Opens the state database and migrates it to the latest schema. */
export async function openStateDb(config: StateDbConfig): Promise<Kysely<StateSchema>> {
  const db = config.kind === 'sqlite' ? openSqlite(config.path) : openPostgres(config.url, config.poolSize);
  try {
    await migrateToLatest(db as Kysely<unknown>, config.kind);
  } catch (error) {
    await db.destroy();
    if (error instanceof MamoriError) throw error;
    throw storeError(`cannot open the state store: ${messageOf(error)}`, error);
  }
  return db;
}

function openSqlite(path: string): Kysely<StateSchema> {
  let database: Database.Database | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    database = new Database(path);
    database.pragma('journal_mode = WAL');
    // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power
    // loss, and an acknowledged change to users, tokens or audit must survive.
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  } catch (error) {
    database?.close();
    throw storeError(`cannot open the state store at ${path}: ${messageOf(error)}`, error);
  }
  return new Kysely<StateSchema>({ dialect: new SqliteDialect({ database }) });
}

function openPostgres(url: string, poolSize = DEFAULT_POOL_SIZE): Kysely<StateSchema> {
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new MamoriError('MAMORI_E_CONFIG', `state store pool size must be a positive integer, got ${poolSize}`);
  }
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its connection emits 'error' on the pool; left
  // unhandled it would crash the process. The pool drops that client and the
  // next query opens a new connection, which reports any lasting failure.
  pool.on('error', () => {});
  return new Kysely<StateSchema>({ dialect: new PostgresDialect({ pool }) });
}

function storeError(message: string, cause: unknown): MamoriError {
  return withCause(new MamoriError('MAMORI_E_STORE', message), cause);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
