import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MamoriEvent } from '../../core/event.js';
import { ALL_TENANTS, scopeOf } from '../../core/scope.js';
import type { EventStore, RowBatch } from './event-store.js';
import { toTsvRow } from './schema.js';

/** Builds an insertable batch from events, the way the parse workers do. */
export function batchOf(events: MamoriEvent[]): RowBatch {
  const rows = events.map((e) => toTsvRow(e, 0));
  const times = rows.map((r) => r.time);
  return {
    rows: Buffer.from(rows.map((r) => r.line).join('\n') + '\n'),
    ids: events.map((e) => String(e['event.id'])),
    tenants: [...new Set(events.map((e) => String(e['tenant.id'])))],
    minTime: Math.min(...times),
    maxTime: Math.max(...times),
  };
}

const T0 = Date.parse('2026-01-10T00:00:00Z');
const range = { from: T0 - 86_400_000, to: T0 + 86_400_000 };
const HOSTILE = "it's a \\ back\\slash,\ttab\nnewline\r\u0000nul '); DROP TABLE events; -- 日本語 ✓";

function event(id: string, tenant: string, extra: MamoriEvent = {}): MamoriEvent {
  return { 'event.id': id, 'tenant.id': tenant, '@timestamp': new Date(T0).toISOString(), 'event.kind': 'event', 'event.original': `line ${id}`, ...extra };
}

/**
 * The behaviour every EventStore implementation must show (chDB now, a
 * ClickHouse server later): same assertions, same answers.
 */
export function eventStoreContract(name: string, open: () => Promise<EventStore>): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('stores typed fields and attributes and returns them as flat events', async () => {
      const fields: MamoriEvent = {
        'source.ip': '10.1.2.3',
        'destination.ip': '2001:db8::7',
        'destination.port': 443,
        'network.bytes': 12_345_678,
        'event.category': ['network', 'web'],
        'event.type': ['connection', 'allowed'],
        'log.syslog.severity.code': 3,
        'winlog.event_data.Image': 'C:\\Windows\\System32\\cmd.exe',
        'cef.extensions.cnt': 7,
        message: HOSTILE,
      };
      await store.insert(batchOf([event('a1', 'alpha', fields)]));
      const [stored] = await store.search(ALL_TENANTS, { q: 'event.id:a1', ...range, limit: 10 });
      expect(stored).toMatchObject({ 'event.id': 'a1', 'tenant.id': 'alpha', '@timestamp': '2026-01-10T00:00:00.000Z', ...fields });
    });

    it('keeps values that do not fit their column as attributes instead of losing them', async () => {
      await store.insert(batchOf([event('a2', 'alpha', { 'source.port': 70_000, 'source.ip': 'not-an-ip', 'log.syslog.facility.code': -1 })]));
      const [stored] = await store.search(ALL_TENANTS, { q: 'event.id:a2', ...range, limit: 1 });
      expect(stored['source.port']).toBe(70_000);
      expect(stored['source.ip']).toBe('not-an-ip');
      expect(stored['log.syslog.facility.code']).toBe(-1);
    });

    it('stores an event without a usable time at the fallback time', async () => {
      const row = toTsvRow(event('a3', 'alpha', { '@timestamp': 'yesterday-ish' }), T0 + 5);
      expect(row.time).toBe(T0 + 5);
      await store.insert({ rows: Buffer.from(row.line + '\n'), ids: ['a3'], tenants: ['alpha'], minTime: row.time, maxTime: row.time });
      const [stored] = await store.search(ALL_TENANTS, { q: 'event.id:a3', ...range, limit: 1 });
      expect(stored['@timestamp']).toBe('2026-01-10T00:00:00.005Z');
    });

    it('never stores an id twice when asked to check, even for batches larger than one lookup query', async () => {
      const many = Array.from({ length: 12_000 }, (_, i) => event(`bulk-${i}`, i % 2 ? 'alpha' : 'beta', { 'event.original': `bulk ${i}` }));
      const first = await store.insert(batchOf(many.slice(0, 7_000)));
      expect(first).toEqual({ inserted: 7_000, duplicates: 0 });
      const replay = await store.insert(batchOf(many), { checkDuplicates: true });
      expect(replay).toEqual({ inserted: 5_000, duplicates: 7_000 });
      const again = await store.insert(batchOf(many), { checkDuplicates: true });
      expect(again).toEqual({ inserted: 0, duplicates: 12_000 });
      expect(await store.count(ALL_TENANTS, { q: 'event.id:bulk-*', ...range })).toBe(12_000);
    });

    it('stores an id repeated within one checked batch once (a resent record next to its first delivery)', async () => {
      const twice = [event('r1', 'gamma'), event('r2', 'gamma'), event('r1', 'gamma')];
      expect(await store.insert(batchOf(twice), { checkDuplicates: true })).toEqual({ inserted: 2, duplicates: 1 });
      expect(await store.count(ALL_TENANTS, { q: 'event.id:r1', ...range })).toBe(1);
    });

    it('scopes every read to the tenants of the caller', async () => {
      const alphaOnly = scopeOf(['alpha']);
      expect(await store.count(alphaOnly, { q: 'event.id:bulk-*', ...range })).toBe(6_000);
      expect(await store.count(alphaOnly, { q: 'tenant.id:beta', ...range })).toBe(0);
      expect(await store.count(scopeOf([]), { q: '', ...range })).toBe(0);
      const events = await store.search(alphaOnly, { q: '', ...range, limit: 10_000 });
      expect(events.every((e) => e['tenant.id'] === 'alpha')).toBe(true);
      expect(await store.top(alphaOnly, { q: '', ...range }, 'tenant.id', 10)).toEqual([{ value: 'alpha', count: 6_003 }]);
      const buckets = await store.histogram(scopeOf(['beta']), { q: '', ...range }, 3600);
      expect(buckets).toHaveLength(48);
      expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(6_000);
    });

    it('counts top values of number, address and array fields', async () => {
      expect(await store.top(ALL_TENANTS, { q: 'event.id:a1', ...range }, 'destination.port', 5)).toEqual([{ value: '443', count: 1 }]);
      expect(await store.top(ALL_TENANTS, { q: 'event.id:a1', ...range }, 'source.ip', 5)).toEqual([{ value: '10.1.2.3', count: 1 }]);
      expect(await store.top(ALL_TENANTS, { q: 'event.id:a1', ...range }, 'event.category', 5)).toEqual([
        { value: 'network', count: 1 },
        { value: 'web', count: 1 },
      ]);
    });

    it('treats hostile query values as data', async () => {
      expect(await store.count(ALL_TENANTS, { q: `message:"${HOSTILE.replaceAll('\\', '\\\\')}"`, ...range })).toBe(1);
      expect(await store.count(ALL_TENANTS, { q: `user.name:"x' OR 1=1 --"`, ...range })).toBe(0);
      expect(await store.count(ALL_TENANTS, { q: '', ...range })).toBe(12_005);
    });
  });
}
