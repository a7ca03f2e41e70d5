import type { Kysely } from 'kysely';
import { MamoriError } from '../../core/errors.js';
import { AlertRepository } from './alert.repository.js';
import { ApiTokenRepository } from './api-token.repository.js';
import { AuditRepository } from './audit.repository.js';
import { openStateDb, type StateDbConfig } from './db.js';
import { MetaRepository } from './meta.repository.js';
import type { StateDialect, StateSchema } from './schema.js';
import { SessionRepository } from './session.repository.js';
import { SourceRepository } from './source.repository.js';
import { TenantRepository } from './tenant.repository.js';
import { UserRepository } from './user.repository.js';

/**
 * The state store: tenants, sources, users, credentials, audit log, alerts. SQLite in
 * the embedded default, PostgreSQL in scale-out; both pass the contract suite
 * in state-store.contract.ts.
 */
export interface StateStore {
  readonly dialect: StateDialect;
  readonly tenants: TenantRepository;
  readonly sources: SourceRepository;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly tokens: ApiTokenRepository;
  readonly audit: AuditRepository;
  readonly alerts: AlertRepository;
  readonly meta: MetaRepository;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back
   * when it throws. Inside, `transaction` joins the running transaction.
   */
  transaction<T>(fn: (tx: StateStore) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StateStoreOptions {
  /** Source of creation times; tests pass a fixed clock. */
  clock?: () => Date;
}

export async function openStateStore(config: StateDbConfig, options: StateStoreOptions = {}): Promise<StateStore> {
  const db = await openStateDb(config);
  return buildStore(db, config.kind, options.clock ?? (() => new Date()), false);
}

function buildStore(
  db: Kysely<StateSchema>,
  dialect: StateDialect,
  clock: () => Date,
  inTransaction: boolean,
): StateStore {
  const store: StateStore = {
    dialect,
    tenants: new TenantRepository(db, clock),
    sources: new SourceRepository(db, clock),
    users: new UserRepository(db, clock),
    sessions: new SessionRepository(db, clock),
    tokens: new ApiTokenRepository(db, clock),
    audit: new AuditRepository(db, clock),
    alerts: new AlertRepository(db, clock),
    meta: new MetaRepository(db),
    transaction: inTransaction
      ? (fn) => fn(store)
      : (fn) => db.transaction().execute((trx) => fn(buildStore(trx, dialect, clock, true))),
    close: inTransaction
      ? () => Promise.reject(new MamoriError('MAMORI_E_STORE', 'a transaction cannot close the state store'))
      : () => db.destroy(),
  };
  return store;
}
