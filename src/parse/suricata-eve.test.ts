import { describe, expect, it } from 'vitest';
import { ParseError } from './parser.js';
import { suricataEve } from './suricata-eve.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12), timezone: 'UTC' };
const parse = (doc: object | string) => suricataEve.parse(typeof doc === 'string' ? doc : JSON.stringify(doc), ctx);
const BASE = { timestamp: '2024-05-01T10:00:00.000000+0000', src_ip: '10.0.0.1', src_port: 1, dest_ip: '10.0.0.2', dest_port: 53, proto: 'UDP' };

describe('suricata-eve', () => {
  it('keeps 64-bit flow ids exact', () => {
    const e = parse('{"timestamp":"2024-05-01T10:00:00Z","flow_id":9223372036854775807,"event_type":"flow"}');
    expect(e['suricata.eve.flow_id']).toBe('9223372036854775807');
  });

  it('reads DNS v3 queries and answers', () => {
    const e = parse({
      ...BASE,
      event_type: 'dns',
      dns: { version: 3, type: 'response', id: 7, rcode: 'NOERROR', queries: [{ rrname: 'example.com', rrtype: 'AAAA' }], answers: [{ rrname: 'example.com', rrtype: 'AAAA', ttl: 30, rdata: '2001:db8::1' }] },
    });
    expect(e['dns.type']).toBe('answer');
    expect(e['dns.question.name']).toBe('example.com');
    expect(e['dns.question.type']).toBe('AAAA');
    expect(e['dns.resolved_ip']).toEqual(['2001:db8::1']);
    expect(e['event.outcome']).toBe('success');
  });

  it.each([
    ['TLS 1.3', '1.3', 'tls'],
    ['TLSv1', '1.0', 'tls'],
    ['SSLv3', '3.0', 'ssl'],
  ])('maps TLS version %s', (version, number, protocol) => {
    const e = parse({ ...BASE, event_type: 'tls', tls: { version } });
    expect(e['tls.version']).toBe(number);
    expect(e['tls.version_protocol']).toBe(protocol);
  });

  it('keeps unknown TLS versions and invalid addresses under suricata.eve', () => {
    const e = parse({ ...BASE, src_ip: '10.0.0.300', dest_port: 'x', event_type: 'tls', tls: { version: 'UNDETERMINED' } });
    expect(e['tls.version']).toBeUndefined();
    expect(e['suricata.eve.tls.version']).toBe('UNDETERMINED');
    expect(e['source.ip']).toBeUndefined();
    expect(e['suricata.eve.src_ip']).toBe('10.0.0.300');
    expect(e['suricata.eve.dest_port']).toBe('x');
  });

  it('reads certificate dates as UTC whatever the sensor zone', () => {
    const e = suricataEve.parse(JSON.stringify({ ...BASE, event_type: 'tls', tls: { notafter: '2025-01-01T00:00:00' } }), { ...ctx, timezone: 'Asia/Tokyo' });
    expect(e['tls.server.not_after']).toBe('2025-01-01T00:00:00.000Z');
  });

  it('names unknown event types as protocol records', () => {
    const e = parse({ ...BASE, event_type: 'quic', quic: { sni: 'example.com' } });
    expect(e['event.dataset']).toBe('suricata-eve.quic');
    expect(e['event.type']).toEqual(['protocol']);
    expect(e['suricata.eve.quic.sni']).toBe('example.com');
  });

  it('counts fields dropped beyond the flatten limit', () => {
    const stats: Record<string, number> = {};
    for (let i = 0; i < 1500; i++) stats[`c${i}`] = i;
    const e = parse({ timestamp: BASE.timestamp, event_type: 'stats', stats });
    expect(e['event.kind']).toBe('metric');
    expect(e['mamori.dropped_fields']).toBeGreaterThan(400);
  });

  it('rejects non-EVE input', () => {
    expect(() => parse('{"event_type":5}')).toThrow('no event_type');
    expect(() => parse('{"event_type":"../x"}')).toThrow('invalid event_type');
    expect(() => parse('[]')).toThrow('not a JSON object');
    expect(() => parse('{"event_type":"alert"')).toThrow(ParseError);
  });

  it('sniffs EVE lines only', () => {
    expect(suricataEve.sniff!('{"timestamp":"x","event_type":"alert"}')).toBe(true);
    expect(suricataEve.sniff!('{"_path":"conn"}')).toBe(false);
    expect(suricataEve.sniff!('event_type: alert')).toBe(false);
  });
});
