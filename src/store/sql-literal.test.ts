import { Session } from 'chdb';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MamoriError } from '../core/errors.js';
import { sqlDateTime64, sqlIdentifier, sqlNumber, sqlString, sqlStringArray } from './sql-literal.js';

const HOSTILE = [
  '',
  "'",
  "it's",
  '\\',
  "\\'",
  "'); DROP TABLE events; --",
  "x' OR 1=1 --",
  'a\0b',
  'line1\nline2\r\n\ttab',
  '\x01\x1f\x7f',
  '/* comment */ -- comment',
  '{name:String}',
  '`backtick`',
  '日本語のログ 🚨',
  'ends with backslash \\',
];

describe('sqlString (text)', () => {
  it('leaves plain text as is', () => {
    expect(sqlString('alice')).toBe("'alice'");
    expect(sqlString('日本語')).toBe("'日本語'");
  });

  it('escapes quotes, backslashes and control characters', () => {
    expect(sqlString("it's")).toBe("'it\\'s'");
    expect(sqlString('a\\b')).toBe("'a\\\\b'");
    expect(sqlString('a\0b\n\x7f')).toBe("'a\\x00b\\x0a\\x7f'");
    expect(sqlString("'); DROP TABLE events; --")).toBe("'\\'); DROP TABLE events; --'");
  });

  it('replaces lone surrogates and keeps valid pairs', () => {
    expect(sqlString('a\ud800b')).toBe("'a\ufffdb'");
    expect(sqlString('\udc00')).toBe("'\ufffd'");
    expect(sqlString('x\ud83d')).toBe("'x\ufffd'");
    expect(sqlString('🚨')).toBe("'🚨'");
  });
});

describe('sqlIdentifier', () => {
  it('back-quotes and escapes', () => {
    expect(sqlIdentifier('source.ip')).toBe('`source.ip`');
    expect(sqlIdentifier('a`b\\c')).toBe('`a\\`b\\\\c`');
    expect(sqlIdentifier("it's")).toBe("`it's`");
    expect(sqlIdentifier('a\nb')).toBe('`a\\x0ab`');
  });

  it('rejects the empty name', () => {
    expect(() => sqlIdentifier('')).toThrow(MamoriError);
  });
});

describe('sqlNumber', () => {
  it('prints finite numbers, negatives in parentheses', () => {
    expect(sqlNumber(0)).toBe('0');
    expect(sqlNumber(-0)).toBe('0');
    expect(sqlNumber(443)).toBe('443');
    expect(sqlNumber(1.5)).toBe('1.5');
    expect(sqlNumber(-5)).toBe('(-5)');
    expect(sqlNumber(1e21)).toBe('1e+21');
  });

  it('rejects NaN and infinities with MAMORI_E_INVALID', () => {
    for (const n of [NaN, Infinity, -Infinity]) {
      expect(() => sqlNumber(n)).toThrow(expect.objectContaining({ code: 'MAMORI_E_INVALID' }));
    }
  });
});

describe('sqlDateTime64', () => {
  it('builds from integer milliseconds', () => {
    expect(sqlDateTime64(1714557600123)).toBe("fromUnixTimestamp64Milli(1714557600123, 'UTC')");
  });

  it('rejects fractions and non-finite values', () => {
    for (const n of [1.5, NaN, Infinity, 2 ** 60]) {
      expect(() => sqlDateTime64(n)).toThrow(expect.objectContaining({ code: 'MAMORI_E_INVALID' }));
    }
  });
});

describe('sqlStringArray', () => {
  it('joins escaped strings', () => {
    expect(sqlStringArray([])).toBe('[]');
    expect(sqlStringArray(['a', "b'"])).toBe("['a', 'b\\'']");
  });
});

describe('literals in the real engine', () => {
  const session = new Session();
  afterAll(() => session.close());

  async function select<T>(expression: string): Promise<T> {
    const text = (await session.queryAsync(`SELECT ${expression} AS v`, { format: 'JSONEachRow' })).text();
    return (JSON.parse(text) as { v: T }).v;
  }

  it('reads every hostile string back unchanged', async () => {
    // The engine's default max_query_size is 256 KiB; 100,000 characters of quotes stay under it after escaping.
    const values = [...HOSTILE, "'\\".repeat(50_000)];
    const got = await select<string[]>(sqlStringArray(values));
    expect(got).toEqual(values);
  });

  it('reads arbitrary strings back, lone surrogates as U+FFFD', async () => {
    const hostileUnit = fc.constantFrom("'", '\\', '\0', '\n', '`', '%', 'a', '\ud800', '\udc00', '🚨');
    const arbitrary = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: hostileUnit, maxLength: 40 }));
    const samples = fc.sample(arbitrary, { numRuns: 400, seed: 42 });
    const got = await select<string[]>(sqlStringArray(samples));
    const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
    expect(got).toEqual(samples.map((s) => s.replace(loneSurrogate, '\ufffd')));
  });

  it('uses hostile identifiers as column aliases', async () => {
    const names = ['a`b', 'c\\d', "e'f", 'g\0h', '@timestamp'];
    const columns = names.map((n, i) => `${i} AS ${sqlIdentifier(n)}`).join(', ');
    const text = (await session.queryAsync(`SELECT ${columns}`, { format: 'JSONEachRow' })).text();
    expect(Object.keys(JSON.parse(text) as object)).toEqual(names);
  });

  it('numbers and times keep their values', async () => {
    expect(await select<number>(`5 - ${sqlNumber(-5)}`)).toBe(10);
    const times = [0, 1, 1001, 1714557600123, 4102444799999];
    const got = await select<string[]>(`arrayMap(t -> toString(toUnixTimestamp64Milli(t)), [${times.map(sqlDateTime64).join(', ')}])`);
    expect(got).toEqual(times.map(String));
  });
});
