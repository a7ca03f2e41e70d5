import { describe, expect, it } from 'vitest';
import { readKv, type KvOptions } from './kv.js';

function pairs(text: string, options?: KvOptions): { pairs: [string, string][]; flags: string[] } {
  const out: [string, string][] = [];
  const flags: string[] = [];
  readKv(text, 0, { pair: (k, v) => out.push([k, v]), flag: (w) => flags.push(w) }, options);
  return { pairs: out, flags };
}

describe('readKv', () => {
  it('reads blank-separated pairs with quoted values and escapes', () => {
    const r = pairs('date=2024-05-01 devname="FG 100" msg="say \\"hi\\"" empty= x=\'a b\'');
    expect(r.pairs).toEqual([
      ['date', '2024-05-01'],
      ['devname', 'FG 100'],
      ['msg', 'say "hi"'],
      ['empty', ''],
      ['x', 'a b'],
    ]);
  });

  it('reports bare words as flags (iptables)', () => {
    const r = pairs('IN=eth0 OUT= SRC=10.0.0.1 PROTO=TCP SYN URGP=0 DF');
    expect(r.pairs).toEqual([['IN', 'eth0'], ['OUT', ''], ['SRC', '10.0.0.1'], ['PROTO', 'TCP'], ['URGP', '0']]);
    expect(r.flags).toEqual(['SYN', 'DF']);
  });

  it('honours custom pair and value separators (LEEF tabs, Check Point ";" and ":")', () => {
    expect(pairs('src=10.0.0.1\tdst=10.0.0.2\tusrName=a b', { pairSeparator: 9 }).pairs).toEqual([
      ['src', '10.0.0.1'],
      ['dst', '10.0.0.2'],
      ['usrName', 'a b'],
    ]);
    expect(pairs('action:"Accept"; src:"10.0.0.1"; service: "443"', { pairSeparator: 59, valueSeparator: 58 }).pairs).toEqual([
      ['action', 'Accept'],
      ['src', '10.0.0.1'],
      ['service', '443'],
    ]);
  });

  it('keeps the rest of a line with an unterminated quote', () => {
    expect(pairs('a=1 msg="cut here').pairs).toEqual([['a', '1'], ['msg', 'cut here']]);
    expect(pairs('a="x\\').pairs).toEqual([['a', 'x\\']]);
  });

  it('is linear on hostile input', () => {
    const big = 'k="'.repeat(200_000) + '\\'.repeat(100_000) + '='.repeat(200_000);
    expect(() => pairs(big)).not.toThrow();
    expect(pairs('=== = =').pairs).toEqual([]);
  });
});
