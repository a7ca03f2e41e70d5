import { describe, expect, it } from 'vitest';
import { MamoriError } from '../../core/errors.js';
import { compileNode, compileQuery } from './compile.js';
import { fieldExpression } from './fields.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const c = (q: string): string => compileQuery(q, { now: NOW });
const ATTR = (key: string) => `\`attr_values\`[indexOf(\`attr_keys\`, '${key}')]`;

function errorOf(q: string): MamoriError {
  try {
    c(q);
  } catch (e) {
    expect((e as MamoriError).code).toBe('MAMORI_E_QUERY');
    return e as MamoriError;
  }
  throw new Error(`expected ${q} to fail`);
}

describe('compileQuery: shapes', () => {
  it('compiles the empty query to 1', () => {
    expect(c('')).toBe('1');
    expect(c('   ')).toBe('1');
  });

  it('compiles string, array and attribute terms', () => {
    expect(c('user.name:alice')).toBe("`user.name` = 'alice'");
    expect(c('user.name:443')).toBe("`user.name` = '443'");
    expect(c('event.category:network')).toBe("has(`event.category`, 'network')");
    expect(c('winlog.event_data.Image:x')).toBe(`${ATTR('winlog.event_data.Image')} = 'x'`);
  });

  it('compiles wildcards to LIKE with the user text escaped', () => {
    expect(c('user.name:adm*')).toBe("`user.name` LIKE 'adm%'");
    expect(c('user.name:a%b_c\\\\d?*')).toBe("`user.name` LIKE 'a\\\\%b\\\\_c\\\\\\\\d_%'");
    expect(c('event.category:net*')).toBe("arrayExists(v -> v LIKE 'net%', `event.category`)");
    expect(c('destination.port:44*')).toBe("toString(`destination.port`) LIKE '44%'");
    expect(c('source.ip:10.0.*')).toMatch(/^if\(startsWith\(IPv6NumToString\(`source.ip`\).* LIKE '10\.0\.%'$/);
  });

  it('compiles free text to case-insensitive substring search', () => {
    expect(c('Failed')).toBe("positionCaseInsensitiveUTF8(`event.original`, 'Failed') > 0");
    expect(c('"failed password"')).toBe("positionCaseInsensitiveUTF8(`event.original`, 'failed password') > 0");
    expect(c('fail*pass?')).toBe("`event.original` ILIKE '%fail%pass_%'");
  });

  it('compiles numbers, IPs, CIDRs and times by column kind', () => {
    expect(c('destination.port:443')).toBe('`destination.port` = 443');
    expect(c('event.severity:-1')).toBe('`event.severity` = (-1)');
    expect(c('source.ip:10.0.0.1')).toBe("`source.ip` = toIPv6('::ffff:10.0.0.1')");
    expect(c('source.ip:"2001:db8::1"')).toBe("`source.ip` = toIPv6('2001:db8:0:0:0:0:0:1')");
    expect(c('source.ip:10.0.0.0/8')).toBe("(`source.ip` BETWEEN toIPv6('::ffff:10.0.0.0') AND toIPv6('::ffff:10.255.255.255'))");
    expect(c('@timestamp:2024-05-01T10:00:00Z')).toBe("`@timestamp` = fromUnixTimestamp64Milli(1714557600000, 'UTC')");
    expect(c('@timestamp:2024-05-01')).toBe(
      "(`@timestamp` >= fromUnixTimestamp64Milli(1714521600000, 'UTC') AND `@timestamp` < fromUnixTimestamp64Milli(1714608000000, 'UTC'))",
    );
  });

  it('compiles exists per kind', () => {
    expect(c('user.name:*')).toBe("`user.name` != ''");
    expect(c('source.port:*')).toBe('isNotNull(`source.port`)');
    expect(c('source.ip:*')).toBe('isNotNull(`source.ip`)');
    expect(c('event.category:*')).toBe('notEmpty(`event.category`)');
    expect(c('event.ingested:*')).toBe('`event.ingested` != 0');
    expect(c('foo.bar:*')).toBe("has(`attr_keys`, 'foo.bar')");
    expect(c('n:[* TO *]')).toBe("has(`attr_keys`, 'n')");
  });

  it('compiles ranges and comparisons', () => {
    expect(c('destination.port:[1 TO 1024}')).toBe('(`destination.port` >= 1 AND `destination.port` < 1024)');
    expect(c('network.bytes>10000000')).toBe('`network.bytes` > 10000000');
    expect(c('network.bytes:<=5')).toBe('`network.bytes` <= 5');
    expect(c('@timestamp>now-1h')).toBe("`@timestamp` > fromUnixTimestamp64Milli(1714561200000, 'UTC')");
    expect(c('source.ip:[10.0.0.1 TO 10.0.0.9]')).toBe(
      "(`source.ip` >= toIPv6('::ffff:10.0.0.1') AND `source.ip` <= toIPv6('::ffff:10.0.0.9'))",
    );
    expect(c('user.name:[a TO m]')).toBe("(`user.name` >= 'a' AND `user.name` <= 'm')");
    expect(c('x.count>=10')).toBe(`toFloat64OrNull(${ATTR('x.count')}) >= 10`);
    expect(c('x.name>=b')).toBe(`${ATTR('x.name')} >= 'b'`);
    expect(c('x.big>1e999')).toBe(`${ATTR('x.big')} > '1e999'`);
  });

  it('combines with AND / OR and maps NULL to false under NOT', () => {
    expect(c('a OR b c')).toBe(
      "(positionCaseInsensitiveUTF8(`event.original`, 'a') > 0 OR (positionCaseInsensitiveUTF8(`event.original`, 'b') > 0 AND positionCaseInsensitiveUTF8(`event.original`, 'c') > 0))",
    );
    expect(c('NOT user.name:x')).toBe("NOT (`user.name` = 'x')");
    expect(c('NOT source.port:22')).toBe('NOT ifNull(`source.port` = 22, 0)');
    expect(c('NOT (source.port:22 OR user.name:x)')).toBe("NOT ifNull((`source.port` = 22 OR `user.name` = 'x'), 0)");
    expect(c('NOT NOT source.port:22')).toBe('NOT (NOT ifNull(`source.port` = 22, 0))');
  });

  it('keeps hostile values inside literals', () => {
    expect(c(`user.name:"x' OR 1=1 --"`)).toBe("`user.name` = 'x\\' OR 1=1 --'");
    expect(c('winlog.event_data.Image:"\'); DROP TABLE events; --"')).toBe(`${ATTR('winlog.event_data.Image')} = '\\'); DROP TABLE events; --'`);
  });
});

describe('compileQuery: value errors', () => {
  it('names the field, the value and the column', () => {
    expect(errorOf('source.port:abc').message).toBe('source.port expects a number, got "abc" (column 13)');
    expect(errorOf('a source.ip:10.0.0.256').message).toBe('source.ip expects an IP address, got "10.0.0.256" (column 13)');
    expect(errorOf('source.ip:10.0.0.0/33').message).toMatch(/^source.ip expects a CIDR block/);
    expect(errorOf('@timestamp:yesterday').message).toMatch(/^@timestamp expects a time .*got "yesterday" \(column 12\)/);
    expect(errorOf('destination.port:[1 TO x]').message).toBe('destination.port expects a number, got "x" (column 24)');
    expect(errorOf('network.bytes>1e999').message).toMatch(/expects a number/);
    expect(errorOf('source.port:0x10').message).toMatch(/expects a number/);
    expect(errorOf('event.category:[a TO b]').message).toMatch(/event.category is a list of values and has no ranges \(column 16\)/);
    expect(errorOf("x'y:1").message).toMatch(/invalid field name/);
  });

  it('cuts long values short in messages', () => {
    const message = errorOf(`source.port:${'9x'.repeat(5000)}`).message;
    expect(message.length).toBeLessThan(200);
  });
});

describe('compileNode', () => {
  it('compiles empty AND to true and empty OR to false', () => {
    expect(compileNode({ type: 'and', children: [] })).toBe('1');
    expect(compileNode({ type: 'or', children: [] })).toBe('0');
  });

  it('rejects an invalid field name in a hand-built tree', () => {
    expect(() => compileNode({ type: 'exists', field: 'a`b', offset: 0 })).toThrow(/invalid field name/);
  });
});

describe('fieldExpression', () => {
  it('reads columns, IPs as display text, and attributes', () => {
    expect(fieldExpression('user.name')).toEqual({ sql: '`user.name`', kind: 'string' });
    expect(fieldExpression('destination.port')).toEqual({ sql: '`destination.port`', kind: 'number' });
    expect(fieldExpression('event.category')).toEqual({ sql: '`event.category`', kind: 'array' });
    expect(fieldExpression('winlog.event_data.Image')).toEqual({ sql: ATTR('winlog.event_data.Image'), kind: 'attr' });
    const ip = fieldExpression('source.ip');
    expect(ip.kind).toBe('ip');
    expect(ip.sql).toContain("substring(IPv6NumToString(`source.ip`), 8)");
  });

  it('rejects invalid names with MAMORI_E_QUERY', () => {
    for (const bad of ['', '1a', 'a b', "a'b", 'a`b', 'x\0']) {
      expect(() => fieldExpression(bad), bad).toThrow(expect.objectContaining({ code: 'MAMORI_E_QUERY' }));
    }
  });
});
