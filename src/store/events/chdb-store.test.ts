import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_TENANTS } from '../../core/scope.js';
import { sqlIdentifier } from '../sql-literal.js';
import { ChdbEventStore } from './chdb-store.js';
import { batchOf, eventStoreContract } from './event-store.contract.js';
import { COLUMNS } from './schema.js';

// chDB binds one data directory per process: every store of this file uses the same one.
const dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-chdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('upgrade of a table created by an older release', () => {
  it('adds the missing columns in table order, so positional inserts keep working', async () => {
    // An "older" table: without the syslog header columns.
    const older = COLUMNS.filter((c) => !c.field.startsWith('log.syslog.'));
    const s = new Session(dir);
    await s.queryAsync(
      `CREATE TABLE events (${older.map((c) => `${sqlIdentifier(c.field)} ${c.type}`).join(', ')}, attr_keys Array(String), attr_values Array(String)) ENGINE = ReplacingMergeTree ORDER BY (\`tenant.id\`, \`@timestamp\`, \`event.id\`)`,
    );
    s.close();
    const store = new ChdbEventStore(dir);
    await store.init();
    await store.insert(batchOf([{ 'event.id': 'u1', 'tenant.id': 't', '@timestamp': 1_000, 'log.syslog.priority': 13, message: 'after upgrade' }]));
    const [e] = await store.search(ALL_TENANTS, { q: 'log.syslog.priority:13', from: 0, to: 10_000, limit: 1 });
    expect(e).toMatchObject({ 'event.id': 'u1', message: 'after upgrade', 'log.syslog.priority': 13 });
    await store.close();
  });
});

eventStoreContract('chdb', async () => {
  const store = new ChdbEventStore(dir);
  await store.init();
  return store;
});
