import { describe, expect, it } from 'vitest';
import { kv, MAX_KV_FIELDS, sanitizeKey } from './generic-kv.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };

describe('kv', () => {
  it('caps the fields and counts the rest', () => {
    const line = Array.from({ length: MAX_KV_FIELDS + 44 }, (_, i) => `k${i}=${i}`).join(' ');
    const e = kv.parse(line, ctx);
    expect(Object.keys(e).filter((k) => k.startsWith('kv.')).length).toBe(MAX_KV_FIELDS);
    expect(e['kv.k255']).toBe('255');
    expect(e['kv.k256']).toBeUndefined();
    expect(e['mamori.dropped_fields']).toBe(44);
  });

  it('counts loose words against the same cap', () => {
    const e = kv.parse('a=1 ' + 'w '.repeat(1000), ctx);
    expect((e['kv.words'] as string[]).length).toBe(MAX_KV_FIELDS - 1);
    expect(e['mamori.dropped_fields']).toBe(1000 - MAX_KV_FIELDS + 1);
  });

  it('gives back a tag the header took from the pairs but keeps the host', () => {
    const e = kv.parse('May  1 10:00:00 web01 status=failed: reason=timeout', ctx);
    expect(e).toMatchObject({ 'host.name': 'web01', 'kv.status': 'failed:', 'kv.reason': 'timeout' });
    expect(e['process.name']).toBeUndefined();
  });

  it('matches keys case-insensitively and keeps the last of repeated keys', () => {
    const e = kv.parse('SrcIP=10.0.0.1 DST_PORT=22 user=a user=b', ctx);
    expect(e).toMatchObject({ 'source.ip': '10.0.0.1', 'destination.port': 22, 'user.name': 'b' });
  });

  it('reads time fields in the source zone and rejects lines without pairs', () => {
    expect(kv.parse('ts=2024-05-01 10:00:00 a=1', { ...ctx, timezone: 'Asia/Tokyo' })['kv.ts']).toBe('2024-05-01');
    expect(kv.parse('ts="2024-05-01 10:00:00" a=1', { ...ctx, timezone: 'Asia/Tokyo' })['@timestamp']).toBe('2024-05-01T01:00:00.000Z');
    expect(() => kv.parse('just words', ctx)).toThrow('no key=value pair');
    expect(() => kv.parse('', ctx)).toThrow('no key=value pair');
  });
});

describe('sanitizeKey', () => {
  it('replaces characters outside [A-Za-z0-9_.-] and bounds the length', () => {
    expect(sanitizeKey('ok_key-1.x')).toBe('ok_key-1.x');
    expect(sanitizeKey('a b/c\u0000')).toBe('a_b_c_');
    expect(sanitizeKey('x'.repeat(500))).toHaveLength(128);
  });
});
