import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MamoriError } from '../../core/errors.js';
import { ALL_TENANTS } from '../../core/scope.js';
import { findPostgresBin, POSTGRES_MISSING_MESSAGE, POSTGRES_REQUIRED, startPostgres, type RunningPostgres } from '../../../test/support/postgres.js';
import { stateStoreContract } from './state-store.contract.js';
import { openStateStore, type StateStore } from './state-store.js';

const available = findPostgresBin() !== undefined;

if (!available && POSTGRES_REQUIRED) {
  describe('PostgreSQL state store', () => {
    it('needs PostgreSQL (MAMORI_POSTGRES_TESTS=required)', () => {
      throw new Error(POSTGRES_MISSING_MESSAGE);
    });
  });
}

describe.skipIf(!available)('PostgreSQL state store', () => {
  let server: RunningPostgres;
  let admin: pg.Client;
  let n = 0;
  const databases = new Map<StateStore, string>();

  beforeAll(async () => {
    server = await startPostgres();
    admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });

  /** A fresh database per store, so tests never see each other's rows. */
  async function freshDatabaseUrl(): Promise<{ name: string; url: string }> {
    const name = `state_${process.pid}_${++n}`;
    await admin.query(`create database ${name}`);
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    return { name, url: url.toString() };
  }

  stateStoreContract(
    'postgres',
    async (options) => {
      const { name, url } = await freshDatabaseUrl();
      const store = await openStateStore({ kind: 'postgres', url, poolSize: 4 }, options);
      databases.set(store, name);
      return store;
    },
    async (store) => {
      await store.close();
      await admin.query(`drop database ${databases.get(store)!}`);
    },
  );

  it('migrates once when several stores open the same database at the same time', async () => {
    const { url } = await freshDatabaseUrl();
    const stores = await Promise.all([1, 2, 3].map(() => openStateStore({ kind: 'postgres', url, poolSize: 2 })));
    try {
      await stores[0]!.tenants.create({ id: 'demo', name: 'Demo', language: 'en' });
      expect((await stores[2]!.tenants.get(ALL_TENANTS, 'demo'))?.name).toBe('Demo');
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      const applied = await check.query('select name from mamori_migration').finally(() => check.end());
      expect(applied.rows.map((r: { name: string }) => r.name)).toEqual(['0001_initial', '0002_source_binding', '0003_alerts']);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('reports a database it cannot connect to as MAMORI_E_STORE', async () => {
    const url = new URL(server.url);
    url.pathname = '/no_such_database';
    const error = await openStateStore({ kind: 'postgres', url: url.toString() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MamoriError);
    expect((error as MamoriError).code).toBe('MAMORI_E_STORE');
  });
});
