import { describe, expect, it } from 'vitest';
import { ParseError } from './parser.js';
import { zeek } from './zeek.js';
import { unescapeZeek } from './zeek-tsv.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12), timezone: 'UTC' };
const row = (...columns: string[]): string => columns.join('\t');
const ID = ['10.0.0.1', '50000', '10.0.0.2', '443'];
const parse = (line: string, c = ctx) => zeek.parse(line, c);

describe('zeek TSV', () => {
  it('undoes \\xHH and \\\\ escapes, decoding escaped bytes as UTF-8', () => {
    expect(unescapeZeek('a\\x09b\\x2cc')).toBe('a\tb,c');
    expect(unescapeZeek('\\xe3\\x81\\x82 ok')).toBe('あ ok');
    expect(unescapeZeek('C:\\\\temp')).toBe('C:\\temp');
    expect(unescapeZeek('\\xZZ\\x4')).toBe('\\xZZ\\x4');
    expect(unescapeZeek('\\xff')).toBe('\uFFFD');
  });

  it('reads unset, empty and escaped set members', () => {
    const line = row('1714557600.000001', 'CabcdefGHIJ12345', ...ID, 'tcp', '-', '-', '-', '-', 'S0', '-', '-', '0', 'S', '1', '60', '0', '0', 'Cparent1\\x2cx,Cparent2');
    const e = parse(line);
    expect(e['event.dataset']).toBe('zeek.conn');
    expect(e['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
    expect(e['network.protocol']).toBeUndefined();
    expect(e['event.duration']).toBeUndefined();
    expect(e['zeek.conn.tunnel_parents']).toEqual(['Cparent1,x', 'Cparent2']);
    expect(e['event.outcome']).toBe('failure');
    expect(e['event.type']).toEqual(['connection', 'start']);
  });

  it('tells conn from the 21-column legacy ssl layout by value shapes', () => {
    const ssl = row('1714557600.5', 'Cssl0001abcd', ...ID, 'TLSv12', 'TLS_AES_128_GCM_SHA256', 'x25519', 'example.com', 'F', '-', 'h2', 'T', 'Fa1,Fa2', '(empty)', 'CN=example.com', 'CN=CA', '-', '-', 'ok');
    const e = parse(ssl);
    expect(e['event.dataset']).toBe('zeek.ssl');
    expect(e['tls.server.subject']).toBe('CN=example.com');
    expect(e['tls.version']).toBe('1.2');
  });

  it('reads the Zeek 7.1 conn layout with ip_proto', () => {
    const line = row('1714557600.000001', 'CabcdefGHIJ12345', ...ID, 'udp', 'dns', '0.01', '40', '80', 'SF', 'T', 'T', '0', 'Dd', '1', '68', '1', '108', '(empty)', '17');
    const e = parse(line);
    expect(e['network.iana_number']).toBe('17');
    expect(e['network.direction']).toBe('internal');
  });

  it('rejects a line that fits several layouts, naming them', () => {
    // Everything unset: as well an ssl line (18 columns) as an ssh line.
    const line = row('1714557600.000001', 'Cx1', ...ID, ...Array<string>(12).fill('-'));
    expect(() => parse(line)).toThrow(/ambiguous Zeek TSV line with 18 columns: fits ssl, ssh/);
  });

  it('rejects a line whose values fit no layout of its width', () => {
    const line = row('not-a-time', 'Cx1', ...ID, 'name', '-', 'F', 'zeek', 'TCP');
    expect(() => parse(line)).toThrow(/fits none of: weird/);
    expect(() => parse(row('1', '2'))).toThrow(/no known Zeek TSV log has 2 columns/);
    expect(() => parse('plain text')).toThrow(ParseError);
  });

  it('keeps an address column that is not an IP out of source.ip by rejecting the layout', () => {
    const line = row('1714557600.000001', 'Cabc123', '999.1.1.1', '1', '10.0.0.2', '80', 'name', '-', 'F', 'zeek', 'TCP');
    expect(() => parse(line)).toThrow(ParseError);
  });
});

describe('zeek JSON', () => {
  it('names the log from its members when _path is absent', () => {
    expect(parse('{"ts":1714557600,"uid":"C1","note":"Scan::Port_Scan","msg":"x"}')['event.dataset']).toBe('zeek.notice');
    expect(parse('{"ts":1714557600,"name":"bad_TCP_checksum","notice":false}')['event.dataset']).toBe('zeek.weird');
    expect(parse('{"ts":1714557600,"node":"zeek","filter":"ip"}')['event.dataset']).toBe('zeek.unknown');
    expect(() => parse('{"a":1}')).toThrow('not a Zeek record');
  });

  it('reads ISO times, and nested id objects as shippers write them', () => {
    const e = parse('{"_path":"conn","ts":"2024-05-01T10:00:00.250+02:00","id":{"orig_h":"10.0.0.1","orig_p":1,"resp_h":"10.0.0.2","resp_p":2}}');
    expect(e['@timestamp']).toBe('2024-05-01T08:00:00.250Z');
    expect(e['source.ip']).toBe('10.0.0.1');
    expect(e['destination.port']).toBe(2);
  });

  it('keeps values that do not fit their ECS field under the log prefix', () => {
    const e = parse('{"_path":"conn","ts":1714557600,"id.orig_h":"not-an-ip","id.orig_p":70000,"orig_bytes":-5}');
    expect(e['source.ip']).toBeUndefined();
    expect(e['zeek.conn.id.orig_h']).toBe('not-an-ip');
    expect(e['zeek.conn.id.orig_p']).toBe(70000);
    expect(e['zeek.conn.orig_bytes']).toBe(-5);
  });

  it('falls back to the receive time for a missing or invalid ts', () => {
    expect(parse('{"_path":"conn","ts":"yesterday"}')['@timestamp']).toBe('2024-05-01T12:00:00.000Z');
  });

  it('rejects hostile _path values and non-objects', () => {
    expect(() => parse('{"_path":"../../etc","ts":1}')).toThrow('invalid Zeek _path');
    expect(() => parse('{"_path":"Conn Log","ts":1}')).toThrow('invalid Zeek _path');
    expect(() => parse('{"_path":')).toThrow('invalid JSON');
    expect(() => parse('  [1]')).toThrow(ParseError);
  });

  it('ignores __proto__ members and bounds deep nesting', () => {
    const e = parse('{"_path":"conn","ts":1714557600,"__proto__":{"polluted":true},"deep":' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5001));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(e['event.dataset']).toBe('zeek.conn');
  });

  it('maps notice src/dst/p only where the connection id left them unset', () => {
    const e = parse('{"_path":"notice","ts":1714557600,"note":"SSH::Password_Guessing","msg":"m","src":"192.0.2.9","p":22}');
    expect(e['source.ip']).toBe('192.0.2.9');
    expect(e['destination.port']).toBe(22);
    const both = parse('{"_path":"notice","ts":1714557600,"id.orig_h":"10.0.0.1","note":"n","src":"10.0.0.9"}');
    expect(both['source.ip']).toBe('10.0.0.1');
    expect(both['zeek.notice.src']).toBe('10.0.0.9');
  });
});

describe('zeek header lines', () => {
  it.each(['#separator \\x09', '#fields\tts\tuid', '#close\t2024-05-01-12-00-00'])('%s is a zeek.meta event', (line) => {
    const e = parse(line);
    expect(e['event.dataset']).toBe('zeek.meta');
    expect(e['event.kind']).toBe('event');
    expect(e.message).toBe(line);
  });
});

describe('zeek sniff', () => {
  it('recognises JSON records, headers and TSV rows, not other formats', () => {
    expect(zeek.sniff!('{"_path":"conn","ts":1}')).toBe(true);
    expect(zeek.sniff!('{"ts":1,"uid":"C1","id.orig_h":"10.0.0.1"}')).toBe(true);
    expect(zeek.sniff!('#fields\tts')).toBe(true);
    expect(zeek.sniff!('1714557600.123456\tC1\t10.0.0.1')).toBe(true);
    expect(zeek.sniff!('{"event_type":"alert"}')).toBe(false);
    expect(zeek.sniff!('<13>May  1 10:00:00 host app: x')).toBe(false);
  });
});
