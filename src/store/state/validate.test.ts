import { describe, expect, it } from 'vitest';
import { MamoriError } from '../../core/errors.js';
import { isoTime, jsonArray, jsonObject, key, optionalIp, tenantId, text } from './validate.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof MamoriError ? error.code : `not a MamoriError: ${String(error)}`;
  }
}

describe('text', () => {
  it('accepts paired surrogates, Japanese and control characters other than NUL', () => {
    expect(text('f', '𠮷野家\t🛡️\u0001', 20)).toBe('𠮷野家\t🛡️\u0001');
  });

  it.each([['\u0000'], ['a\ud800'], ['\udc00a'], ['\udc00\ud800']])('refuses %j', (value) => {
    expect(codeOf(() => text('f', value, 20))).toBe('MAMORI_E_INVALID');
  });

  it('measures the limit in UTF-16 units and allows empty only when asked', () => {
    expect(codeOf(() => text('f', 'abc', 2))).toBe('MAMORI_E_INVALID');
    expect(codeOf(() => text('f', '', 2))).toBe('MAMORI_E_INVALID');
    expect(text('f', '', 2, true)).toBe('');
    expect(codeOf(() => key('f', 'k'.repeat(129)))).toBe('MAMORI_E_INVALID');
  });

  it('names the field in the message', () => {
    expect(() => text('display name', 1, 5)).toThrow('display name must be a string');
  });
});

describe('tenantId', () => {
  it('accepts slugs of 1 to 63 characters', () => {
    expect(tenantId('a')).toBe('a');
    expect(tenantId('0-customer-42')).toBe('0-customer-42');
    expect(codeOf(() => tenantId(`a${'b'.repeat(63)}`))).toBe('MAMORI_E_INVALID');
    expect(codeOf(() => tenantId('a\n'))).toBe('MAMORI_E_INVALID');
  });
});

describe('isoTime', () => {
  it('stores UTC with milliseconds', () => {
    expect(isoTime('t', new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)))).toBe('2025-01-02T03:04:05.006Z');
  });

  it('refuses invalid dates, non-dates and years that would break text ordering', () => {
    expect(codeOf(() => isoTime('t', new Date(Number.NaN)))).toBe('MAMORI_E_INVALID');
    expect(codeOf(() => isoTime('t', '2025-01-01T00:00:00.000Z'))).toBe('MAMORI_E_INVALID');
    expect(codeOf(() => isoTime('t', new Date('+010000-01-01T00:00:00Z')))).toBe('MAMORI_E_INVALID');
    expect(codeOf(() => isoTime('t', new Date(Date.UTC(-1, 0, 1))))).toBe('MAMORI_E_INVALID');
  });
});

describe('jsonObject', () => {
  it('serialises plain objects, escaping NUL', () => {
    expect(jsonObject('d', { a: 'x\u0000' }, 100)).toBe('{"a":"x\\u0000"}');
  });

  it('refuses values that are not objects or do not serialise to one', () => {
    expect(codeOf(() => jsonObject('d', null, 100))).toBe('MAMORI_E_INVALID');
    expect(codeOf(() => jsonObject('d', 'text', 100))).toBe('MAMORI_E_INVALID');
    expect(codeOf(() => jsonObject('d', { toJSON: () => undefined }, 100))).toBe('MAMORI_E_INVALID');
    expect(codeOf(() => jsonObject('d', { toJSON: () => 'text' }, 100))).toBe('MAMORI_E_INVALID');
  });

  it('counts the limit in UTF-8 bytes', () => {
    expect(codeOf(() => jsonObject('d', { a: 'あ'.repeat(10) }, 30))).toBe('MAMORI_E_INVALID');
    expect(jsonObject('d', { a: 'a'.repeat(10) }, 30)).toBe(`{"a":"${'a'.repeat(10)}"}`);
  });
});

describe('jsonArray', () => {
  it('serialises arrays within the item and byte limits', () => {
    expect(jsonArray('a', ['x\u0000', { b: 1 }], 2, 100)).toBe('["x\\u0000",{"b":1}]');
    expect(codeOf(() => jsonArray('a', [1, 2, 3], 2, 100))).toBe('MAMORI_E_INVALID');
    expect(codeOf(() => jsonArray('a', ['あ'.repeat(10)], 5, 30))).toBe('MAMORI_E_INVALID');
  });

  it('refuses values that are not arrays or cannot be serialised', () => {
    expect(codeOf(() => jsonArray('a', { 0: 'x', length: 1 }, 5, 100))).toBe('MAMORI_E_INVALID');
    expect(codeOf(() => jsonArray('a', [1n], 5, 100))).toBe('MAMORI_E_INVALID');
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(codeOf(() => jsonArray('a', cycle, 5, 100))).toBe('MAMORI_E_INVALID');
  });
});

describe('optionalIp', () => {
  it('accepts IPv4 and IPv6 and maps absence to null', () => {
    expect(optionalIp('ip', '192.0.2.1')).toBe('192.0.2.1');
    expect(optionalIp('ip', '::ffff:192.0.2.1')).toBe('::ffff:192.0.2.1');
    expect(optionalIp('ip', undefined)).toBeNull();
    expect(codeOf(() => optionalIp('ip', '192.0.2.256'))).toBe('MAMORI_E_INVALID');
  });
});
