import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { MamoriError } from '../../core/errors.js';
import { ALL_TENANTS } from '../../core/scope.js';
import { openStateDb } from './db.js';
import { stateStoreContract } from './state-store.contract.js';
import { openStateStore } from './state-store.js';

const root = mkdtempSync(join(tmpdir(), 'mamori-state-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const paths = new Map<object, string>();

stateStoreContract(
  'sqlite',
  async (options) => {
    const path = join(root, `contract-${++n}`, 'state.db');
    const store = await openStateStore({ kind: 'sqlite', path }, options);
    paths.set(store, path);
    return store;
  },
  async (store) => {
    await store.close();
    rmSync(join(paths.get(store)!, '..'), { recursive: true, force: true });
  },
);

describe('SQLite state database', () => {
  it('opens with WAL, synchronous FULL, foreign keys and a busy timeout', async () => {
    const db = await openStateDb({ kind: 'sqlite', path: join(root, 'pragmas', 'state.db') });
    try {
      const pragma = async (name: string) => (await sql.raw(`pragma ${name}`).execute(db)).rows[0];
      expect(await pragma('journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(await pragma('synchronous')).toEqual({ synchronous: 2 });
      expect(await pragma('foreign_keys')).toEqual({ foreign_keys: 1 });
      expect(await pragma('busy_timeout')).toEqual({ timeout: 5000 });
    } finally {
      await db.destroy();
    }
  });

  it('keeps data across reopening and does not migrate twice', async () => {
    const path = join(root, 'reopen', 'state.db');
    const first = await openStateStore({ kind: 'sqlite', path });
    await first.tenants.create({ id: 'demo', name: 'デモ', language: 'ja' });
    await first.close();
    const second = await openStateStore({ kind: 'sqlite', path });
    try {
      expect((await second.tenants.get(ALL_TENANTS, 'demo'))?.name).toBe('デモ');
    } finally {
      await second.close();
    }
  });

  it('reports a database that cannot be opened as MAMORI_E_STORE', async () => {
    const error = await openStateStore({ kind: 'sqlite', path: join(root) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MamoriError);
    expect((error as MamoriError).code).toBe('MAMORI_E_STORE');
    expect((error as MamoriError).message).toContain(root);
  });
});
