import { describe, expect, it } from 'vitest';
import { MAX_FIELDS, MAX_FLAT_DEPTH } from './flatten.js';
import { json } from './json.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0) };

describe('json parser', () => {
  it('keeps a 10,000-deep document, the part below the depth limit as JSON text', () => {
    const depth = 10_000;
    const line = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const event = json.parse(line, ctx);
    const field = Array(MAX_FLAT_DEPTH).fill('a').join('.');
    const rest = event[field] as string;
    expect(typeof rest).toBe('string');
    expect(rest).toBe('{"a":'.repeat(depth - MAX_FLAT_DEPTH) + '1' + '}'.repeat(depth - MAX_FLAT_DEPTH));
  });

  it('keeps deeply nested arrays as JSON text instead of arrays', () => {
    const event = json.parse('{"a":' + '['.repeat(5000) + ']'.repeat(5000) + ',"b":[1,["x"]]}', ctx);
    expect(event.a).toBe('['.repeat(5000) + ']'.repeat(5000));
    expect(event.b).toEqual([1, ['x']]);
  });

  it('keeps at most MAX_FIELDS fields and counts the rest', () => {
    const keys = 100_000;
    const line = '{' + Array.from({ length: keys }, (_, i) => `"k${i}":${i}`).join(',') + '}';
    const event = json.parse(line, ctx);
    expect(event.k0).toBe(0);
    expect(event[`k${MAX_FIELDS}`]).toBeUndefined();
    expect(event['mamori.dropped_fields']).toBe(keys - MAX_FIELDS);
  });

  it('reads epoch seconds, milliseconds and numeric strings, and falls back to received', () => {
    expect(json.parse('{"ts":1714557600}', ctx)['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
    expect(json.parse('{"time":1714557600123}', ctx)['@timestamp']).toBe('2024-05-01T10:00:00.123Z');
    expect(json.parse('{"timestamp":"1714557600"}', ctx)['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
    expect(json.parse('{"@timestamp":"yesterday","ts":1714557600}', ctx)['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
    expect(json.parse('{"@timestamp":"1 May"}', ctx)['@timestamp']).toBe('2024-05-01T12:00:00.000Z');
  });

  it('reads ISO times without offset in the source time zone', () => {
    const event = json.parse('{"@timestamp":"2024-05-01 09:00:00.5"}', { ...ctx, timezone: 'America/New_York' });
    expect(event['@timestamp']).toBe('2024-05-01T13:00:00.500Z');
  });

  it('cannot set its own prototype or pipeline-owned fields', () => {
    const event = json.parse('{"__proto__":{"polluted":1},"event.id":"x","tenant.id":"y","mamori":{"source":"z"}}', ctx);
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(event['__proto__.polluted']).toBe(1);
    expect(event['event.id']).toBeUndefined();
    expect(event['tenant.id']).toBeUndefined();
    expect(event['mamori.source']).toBeUndefined();
  });

  it('rejects what is not one JSON object', () => {
    for (const line of ['[1]', '42', '"x"', 'null', '', '  ', '{"a":1} trailing']) {
      expect(() => json.parse(line, ctx), line).toThrow(/not a JSON object|invalid JSON/);
    }
  });
});
