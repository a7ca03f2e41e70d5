import { describe, expect, it } from 'vitest';
import { formatIp, parseCidr, parseIp } from './ip.js';

const text = (ip: string): string | undefined => {
  const groups = parseIp(ip);
  return groups && formatIp(groups);
};

describe('parseIp / formatIp', () => {
  it('maps IPv4 into IPv6 and keeps the dotted form', () => {
    expect(parseIp('10.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001]);
    expect(text('255.255.255.255')).toBe('::ffff:255.255.255.255');
    expect(text('::ffff:10.0.0.1')).toBe('::ffff:10.0.0.1');
  });

  it('parses IPv6 with and without ::', () => {
    expect(text('2001:db8::1')).toBe('2001:db8:0:0:0:0:0:1');
    expect(text('::')).toBe('0:0:0:0:0:0:0:0');
    expect(text('::1')).toBe('0:0:0:0:0:0:0:1');
    expect(text('fe80::')).toBe('fe80:0:0:0:0:0:0:0');
    expect(text('1:2:3:4:5:6:7:8')).toBe('1:2:3:4:5:6:7:8');
    expect(text('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0:0:0:c000:221');
    expect(text('ABCD::EF')).toBe('abcd:0:0:0:0:0:0:ef');
  });

  it('rejects everything else', () => {
    for (const bad of [
      '', 'abc', '256.0.0.1', '1.2.3', '1.2.3.4.5', '1.2.3.4 ', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3',
      ':::', '12345::', 'fe80::1%eth0', '::1.2.3', '1.2.3.4::', 'g::1', '1:2:3:4:5:6:7::8', `${'1:'.repeat(30)}1`,
    ]) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
  });
});

describe('parseCidr', () => {
  const range = (cidr: string) => {
    const r = parseCidr(cidr);
    return r && [formatIp(r.low), formatIp(r.high)];
  };

  it('computes IPv4 blocks inside the mapped range', () => {
    expect(range('10.0.0.0/8')).toEqual(['::ffff:10.0.0.0', '::ffff:10.255.255.255']);
    expect(range('192.168.1.77/24')).toEqual(['::ffff:192.168.1.0', '::ffff:192.168.1.255']);
    expect(range('10.1.2.3/32')).toEqual(['::ffff:10.1.2.3', '::ffff:10.1.2.3']);
    expect(range('0.0.0.0/0')).toEqual(['::ffff:0.0.0.0', '::ffff:255.255.255.255']);
    expect(range('172.16.0.0/12')).toEqual(['::ffff:172.16.0.0', '::ffff:172.31.255.255']);
  });

  it('computes IPv6 blocks', () => {
    expect(range('2001:db8::/32')).toEqual(['2001:db8:0:0:0:0:0:0', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff']);
    expect(range('2001:db8::/33')).toEqual(['2001:db8:0:0:0:0:0:0', '2001:db8:7fff:ffff:ffff:ffff:ffff:ffff']);
    expect(range('::/0')).toEqual(['0:0:0:0:0:0:0:0', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']);
    expect(range('::1/128')).toEqual(['0:0:0:0:0:0:0:1', '0:0:0:0:0:0:0:1']);
  });

  it('rejects bad prefixes and addresses', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/x', '10.0.0/8', '::/129', '/8', '10.0.0.0/8/8', '10.0.0.0/-1']) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });
});
