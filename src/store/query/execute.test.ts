import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MamoriError } from '../../core/errors.js';
import type { MamoriEvent } from '../../core/event.js';
import { ATTR_KEYS, ATTR_VALUES, COLUMNS, toTsvRow } from '../events/schema.js';
import { sqlIdentifier } from '../sql-literal.js';
import { compileQuery } from './compile.js';
import { fieldExpression } from './fields.js';

/** Runs compiled queries against the real engine: one temporary chDB session for the file. */

const at = (iso: string): number => Date.parse(iso);
const DAY1 = '2024-05-01T10:00:00Z';

// `event.type` is an attribute (schema.ts explains why), so these rows also exercise array
// values in the attribute arrays.
const EVENTS: MamoriEvent[] = [
  { 'event.id': 'e01', '@timestamp': at(DAY1), 'user.name': 'root', 'source.ip': '10.0.0.5', 'destination.port': 22, 'event.category': ['authentication'], 'event.type': ['start'], 'event.outcome': 'failure', 'event.original': 'Failed password for root from 10.0.0.5 port 50000 ssh2' },
  { 'event.id': 'e02', '@timestamp': at(DAY1), 'user.name': 'admin', 'source.ip': '10.0.0.6', 'destination.port': 22, 'event.category': ['authentication'], 'event.type': ['start'], 'event.outcome': 'success', 'event.original': 'Accepted password for admin from 10.0.0.6' },
  { 'event.id': 'e03', '@timestamp': at(DAY1), 'source.ip': '192.168.1.10', 'destination.ip': '8.8.8.8', 'destination.port': 53, 'network.bytes': 120, 'event.category': ['network'], 'event.type': ['connection'], 'event.original': 'ALLOW udp 192.168.1.10 -> 8.8.8.8:53' },
  { 'event.id': 'e04', '@timestamp': at(DAY1), 'source.ip': '172.16.5.4', 'destination.port': 443, 'network.bytes': 50_000_000, 'event.original': 'big upload' },
  { 'event.id': 'e05', '@timestamp': at(DAY1), 'source.ip': '2001:db8::10', 'destination.ip': '2001:db8:1::1', 'destination.port': 443, 'event.original': 'v6 inside' },
  { 'event.id': 'e06', '@timestamp': at(DAY1), 'source.ip': '2001:db9::1', 'event.original': 'v6 outside' },
  { 'event.id': 'e07', '@timestamp': at(DAY1), 'process.executable': 'C:\\Windows\\System32\\cmd.exe', 'winlog.event_data.Image': 'C:\\Windows\\System32\\cmd.exe', 'winlog.event_data.Count': 9, 'event.original': 'process start' },
  { 'event.id': 'e08', '@timestamp': at(DAY1), 'winlog.event_data.Count': 10, 'winlog.event_data.Image': 'C:\\Tools\\x.exe', 'event.original': 'process start' },
  { 'event.id': 'e09', '@timestamp': at(DAY1), 'user.name': "x' OR 1=1 --", 'event.original': 'sqli user' },
  { 'event.id': 'e10', '@timestamp': at(DAY1), 'user.name': 'back\\slash', 'event.original': 'backslash user' },
  { 'event.id': 'e11', '@timestamp': at(DAY1), 'user.name': '100%_done', 'event.original': 'percent user' },
  { 'event.id': 'e12', '@timestamp': at(DAY1), 'user.name': '100xydone', 'event.original': 'like trap' },
  { 'event.id': 'e13', '@timestamp': at(DAY1), 'event.original': 'nul\0byte here' },
  { 'event.id': 'e14', '@timestamp': at(DAY1), 'user.name': '山田', 'event.original': 'ログイン失敗 ÉCOLE' },
  { 'event.id': 'e15', '@timestamp': at(DAY1), 'user.name': 'Admin', 'event.original': 'capital admin' },
  { 'event.id': 'e16', '@timestamp': at(DAY1), 'user.name': 'adm', 'event.original': 'short adm' },
  { 'event.id': 'e17', '@timestamp': at('2024-05-02T00:00:00Z'), 'event.category': ['network', 'web'], 'event.type': ['connection', 'allowed'], 'event.original': 'midnight' },
  { 'event.id': 'e18', '@timestamp': at('2024-04-30T23:59:59.999Z'), 'event.original': 'just before' },
  { 'event.id': 'e19', '@timestamp': at(DAY1), 'event.kind': 'pipeline_error', 'event.original': 'garbage ( ) line' },
  { 'event.id': 'e20', '@timestamp': at(DAY1), 'url.full': 'http://example.com/a?b=c', 'event.original': 'GET /a?b=c' },
  { 'event.id': 'e21', '@timestamp': at(DAY1), 'source.port': 65535, 'destination.port': 1024, 'event.original': 'high ports' },
];
const ALL = EVENTS.map((e) => e['event.id'] as string);
const except = (...ids: string[]): string[] => ALL.filter((id) => !ids.includes(id));

const session = new Session();

beforeAll(async () => {
  const columns = COLUMNS.map((c) => `${sqlIdentifier(c.field)} ${c.type}`).join(', ');
  await session.queryAsync(
    `CREATE TABLE events (${columns}, ${ATTR_KEYS} Array(String), ${ATTR_VALUES} Array(String)) ENGINE = MergeTree ORDER BY (\`tenant.id\`, \`@timestamp\`)`,
  );
  const rows = EVENTS.map((e) => toTsvRow({ 'tenant.id': 't1', ...e }, 0).line);
  await session.insert({ table: 'events', values: Buffer.from(rows.join('\n') + '\n'), format: 'TabSeparated' });
});

afterAll(() => session.close());

async function ids(query: string): Promise<string[]> {
  const where = compileQuery(query, { now: at('2024-05-01T12:00:00Z') });
  const result = await session.queryAsync(`SELECT \`event.id\` AS id FROM events WHERE ${where} ORDER BY id`, { format: 'JSONEachRow' });
  return result
    .text()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { id: string }).id);
}

async function queryError(query: string): Promise<MamoriError> {
  try {
    await ids(query);
  } catch (e) {
    expect((e as MamoriError).code, String(e)).toBe('MAMORI_E_QUERY');
    return e as MamoriError;
  }
  throw new Error(`expected ${JSON.stringify(query.slice(0, 40))} to be rejected`);
}

describe('search over chDB', () => {
  it('has the test data in place', async () => {
    expect(await ids('')).toEqual(ALL);
  });

  it('matches string fields exactly and with wildcards', async () => {
    expect(await ids('user.name:admin')).toEqual(['e02']);
    expect(await ids('user.name:Admin')).toEqual(['e15']);
    expect(await ids('user.name:adm*')).toEqual(['e02', 'e16']);
    expect(await ids('user.name:adm?n')).toEqual(['e02']);
    expect(await ids('user.name:山田')).toEqual(['e14']);
    expect(await ids('user.name:*')).toEqual(['e01', 'e02', 'e09', 'e10', 'e11', 'e12', 'e14', 'e15', 'e16']);
    expect(await ids('-user.name:*')).toEqual(except('e01', 'e02', 'e09', 'e10', 'e11', 'e12', 'e14', 'e15', 'e16'));
    expect(await ids('url.full:http://example.com/a?b=c')).toEqual(['e20']);
  });

  it('searches free text case-insensitively', async () => {
    expect(await ids('FAILED')).toEqual(['e01']);
    expect(await ids('"failed password"')).toEqual(['e01']);
    expect(await ids('password')).toEqual(['e01', 'e02']);
    expect(await ids('fail*root')).toEqual(['e01']);
    expect(await ids('école')).toEqual(['e14']);
    expect(await ids('ログイン')).toEqual(['e14']);
    expect(await ids('"garbage ( ) line"')).toEqual(['e19']);
    expect(await ids('garbage \\( \\) line')).toEqual(['e19']);
  });

  it('matches IP addresses, CIDR blocks and IP ranges', async () => {
    expect(await ids('source.ip:10.0.0.5')).toEqual(['e01']);
    expect(await ids('source.ip:10.0.0.0/8')).toEqual(['e01', 'e02']);
    expect(await ids('source.ip:172.16.0.0/12 OR source.ip:192.168.0.0/16')).toEqual(['e03', 'e04']);
    expect(await ids('source.ip:2001:db8::/32')).toEqual(['e05']);
    expect(await ids('source.ip:2001:db8::10')).toEqual(['e05']);
    expect(await ids('source.ip:"2001:db8::10"')).toEqual(['e05']);
    expect(await ids('destination.ip:8.8.8.8')).toEqual(['e03']);
    expect(await ids('source.ip:[10.0.0.5 TO 10.0.0.6]')).toEqual(['e01', 'e02']);
    expect(await ids('source.ip:{10.0.0.5 TO 10.0.0.6]')).toEqual(['e02']);
    expect(await ids('source.ip:10.0.*')).toEqual(['e01', 'e02']);
    expect(await ids('source.ip:(10.0.0.5 OR 2001:db9::1)')).toEqual(['e01', 'e06']);
  });

  it('keeps rows without the field under NOT', async () => {
    expect(await ids('NOT source.ip:10.0.0.0/8')).toEqual(except('e01', 'e02'));
    expect(await ids('NOT destination.port:[1 TO 1024]')).toEqual(except('e01', 'e02', 'e03', 'e04', 'e05', 'e21'));
    expect(await ids('NOT (source.ip:10.0.0.5 OR destination.port:53)')).toEqual(except('e01', 'e03'));
  });

  it('compares numbers with ranges and operators', async () => {
    expect(await ids('destination.port:22')).toEqual(['e01', 'e02']);
    expect(await ids('destination.port:[1 TO 1024]')).toEqual(['e01', 'e02', 'e03', 'e04', 'e05', 'e21']);
    expect(await ids('destination.port:{22 TO 1024}')).toEqual(['e03', 'e04', 'e05']);
    expect(await ids('destination.port:[443 TO *]')).toEqual(['e04', 'e05', 'e21']);
    expect(await ids('destination.port>=443')).toEqual(['e04', 'e05', 'e21']);
    expect(await ids('destination.port:>443')).toEqual(['e21']);
    expect(await ids('destination.port<53')).toEqual(['e01', 'e02']);
    expect(await ids('network.bytes>10000000')).toEqual(['e04']);
    expect(await ids('source.port:65535')).toEqual(['e21']);
    expect(await ids('destination.port:4*')).toEqual(['e04', 'e05']);
  });

  it('compares times', async () => {
    expect(await ids('@timestamp:[2024-05-01T00:00:00Z TO 2024-05-02]')).toEqual(except('e18'));
    expect(await ids('@timestamp:[2024-05-01 TO 2024-05-02}')).toEqual(except('e17', 'e18'));
    expect(await ids('@timestamp<2024-05-01')).toEqual(['e18']);
    expect(await ids('@timestamp:2024-05-02')).toEqual(['e17']);
    expect(await ids('@timestamp:"2024-04-30T23:59:59.999Z"')).toEqual(['e18']);
    expect(await ids('@timestamp>"2024-05-01 19:00:00+09:00"')).toEqual(['e17']);
    expect(await ids('@timestamp>now-1h')).toEqual(['e17']);
  });

  it('matches list fields', async () => {
    expect(await ids('event.category:network')).toEqual(['e03', 'e17']);
    expect(await ids('event.category:(web OR authentication)')).toEqual(['e01', 'e02', 'e17']);
    expect(await ids('event.category:auth*')).toEqual(['e01', 'e02']);
    expect(await ids('event.category:*')).toEqual(['e01', 'e02', 'e03', 'e17']);
  });

  it('reads attributes for unknown fields', async () => {
    expect(await ids('winlog.event_data.Image:"C:\\Windows\\System32\\cmd.exe"')).toEqual(['e07']);
    expect(await ids('winlog.event_data.Image:"C:\\\\Windows\\\\System32\\\\cmd.exe"')).toEqual(['e07']);
    expect(await ids('winlog.event_data.Image:*\\\\cmd.exe')).toEqual(['e07']);
    expect(await ids('process.executable:C:\\Windows\\System32\\cmd.exe')).toEqual(['e07']);
    expect(await ids('winlog.event_data.Count:*')).toEqual(['e07', 'e08']);
    expect(await ids('winlog.event_data.Count>9')).toEqual(['e08']);
    expect(await ids('winlog.event_data.Count:[9 TO 10}')).toEqual(['e07']);
    expect(await ids('winlog.event_data.Count:10')).toEqual(['e08']);
    expect(await ids('NOT winlog.event_data.Count>9')).toEqual(except('e08'));
    expect(await ids('no.such.field:x')).toEqual([]);
  });

  it('combines terms with boolean operators', async () => {
    expect(await ids('(source.ip:10.0.0.0/8 OR event.category:network) AND NOT destination.port:53')).toEqual(['e01', 'e02', 'e17']);
    expect(await ids('password -admin')).toEqual(['e01']);
    expect(await ids('user.name:admin || user.name:root && event.outcome:failure')).toEqual(['e01', 'e02']);
    expect(await ids('(user.name:admin OR user.name:root) event.outcome:failure')).toEqual(['e01']);
  });

  it('treats hostile values as data', async () => {
    expect(await ids(`user.name:"x' OR 1=1 --"`)).toEqual(['e09']);
    expect(await ids(`user.name:x' OR 1=1 --`)).toEqual([]);
    expect(await ids('user.name:"back\\\\slash"')).toEqual(['e10']);
    expect(await ids('user.name:back\\\\slash')).toEqual(['e10']);
    expect(await ids('user.name:100%_*')).toEqual(['e11']);
    expect(await ids('user.name:100%_done')).toEqual(['e11']);
    expect(await ids('user.name:100??done')).toEqual(['e11', 'e12']);
    expect(await ids('"nul\0byte"')).toEqual(['e13']);
    expect(await ids('"\'); DROP TABLE events; --"')).toEqual([]);
    expect(await ids('user.name:"\ud800"')).toEqual([]);
    expect(await ids('')).toEqual(ALL);
  });

  it('rejects bad queries with MAMORI_E_QUERY before the engine sees them', async () => {
    expect((await queryError('source.port:abc')).message).toBe('source.port expects a number, got "abc" (column 13)');
    expect((await queryError('source.ip:10.0.0.0/40')).message).toMatch(/source.ip expects a CIDR block/);
    await queryError('('.repeat(10_000) + 'a' + ')'.repeat(10_000));
    await queryError('('.repeat(1_000) + 'a' + ')'.repeat(1_000));
    await queryError('x'.repeat(10 * 1024 * 1024));
    await queryError('a OR '.repeat(1_500) + 'a');
    await queryError('user.name:"x');
    await queryError("x') OR (1=1:x");
  });

  it('never produces SQL the engine rejects', async () => {
    const pieces = [
      'a', '"b c"', 'user.name:', 'source.ip:', 'destination.port:', '@timestamp:', 'event.category:', 'x.y:', '10.0.0.0/8',
      '2001:db8::1', '*', '?', '%', '_', '\\', "'", '`', '\0', '\n', '(', ')', 'AND', 'OR', 'NOT', '-', '!', '[1 TO 5]',
      '{* TO 2024-05-01}', '>5', '<=now-1h', '日本', '\ud800', '";--', 'TO',
    ];
    let state = 12345;
    let compiled = 0;
    for (let run = 0; run < 1000; run++) {
      let query = '';
      for (let i = 0; i < 6; i++) {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        query += pieces[state % pieces.length] + (state % 3 === 0 ? '' : ' ');
      }
      let got: string[];
      try {
        got = await ids(query);
      } catch (e) {
        expect((e as MamoriError).code, `${JSON.stringify(query)}: ${String(e)}`).toBe('MAMORI_E_QUERY');
        continue;
      }
      compiled++;
      expect(got.every((id) => ALL.includes(id))).toBe(true);
    }
    expect(compiled).toBeGreaterThan(100);
  });

  it('reads fields for display with fieldExpression', async () => {
    const values = async (field: string): Promise<string[]> => {
      const { sql } = fieldExpression(field);
      const result = await session.queryAsync(`SELECT DISTINCT toString(${sql}) AS v FROM events WHERE ${sql} IS NOT NULL ORDER BY v`, {
        format: 'JSONEachRow',
      });
      return result.text().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { v: string }).v);
    };
    expect(await values('source.ip')).toEqual(['10.0.0.5', '10.0.0.6', '172.16.5.4', '192.168.1.10', '2001:db8::10', '2001:db9::1']);
    expect(await values('winlog.event_data.Count')).toEqual(['', '10', '9']);
  });
});
