import { describe, expect, it } from 'vitest';
import { compileCidr, parseIp } from './cidr.js';

describe('parseIp', () => {
  it.each([
    ['10.1.2.3', [10, 1, 2, 3]],
    ['::1', [...Array(15).fill(0), 1]],
    ['::ffff:1.2.3.4', [...Array(10).fill(0), 255, 255, 1, 2, 3, 4]],
    ['fe80::1%eth0', [0xfe, 0x80, ...Array(13).fill(0), 1]],
  ])('%s', (text, bytes) => {
    expect([...parseIp(text)!]).toEqual(bytes);
  });

  it.each(['256.1.1.1', '1.2.3', '1.2.3.4.5', '1::2::3', 'abcde::1', '', 'x'.repeat(100), '1.2.3.-4'])('rejects %s', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });
});

describe('compileCidr', () => {
  it('matches prefixes of any length, per family', () => {
    const m = compileCidr('172.16.0.0/12') as (a: string) => boolean;
    expect(m('172.31.255.255')).toBe(true);
    expect(m('172.32.0.0')).toBe(false);
    expect(m('::ffff:172.16.0.1')).toBe(false);
    const all = compileCidr('0.0.0.0/0') as (a: string) => boolean;
    expect(all('8.8.8.8')).toBe(true);
    const v6 = compileCidr('2001:db8::/32') as (a: string) => boolean;
    expect(v6('2001:0db8:ffff::1')).toBe(true);
    expect(v6('2001:db9::1')).toBe(false);
    const host = compileCidr('10.0.0.1') as (a: string) => boolean;
    expect(host('10.0.0.1')).toBe(true);
    expect(host('10.0.0.2')).toBe(false);
  });
});
