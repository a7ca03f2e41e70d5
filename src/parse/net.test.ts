import { describe, expect, it } from 'vitest';
import { isIp, isIpv4, isIpv6, parsePort } from './net.js';

describe('ip and port checks', () => {
  it('accepts valid IPv4 and rejects look-alikes', () => {
    for (const ok of ['0.0.0.0', '10.1.2.3', '255.255.255.255']) expect(isIpv4(ok), ok).toBe(true);
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.', 'a.b.c.d', '1..2.3', '']) expect(isIpv4(bad), bad).toBe(false);
  });

  it('accepts IPv6 text forms and rejects broken ones', () => {
    for (const ok of ['::', '::1', '2001:db8::1', 'fe80::1:2:3:4', '1:2:3:4:5:6:7:8', '::ffff:192.0.2.1', '2001:DB8::']) expect(isIpv6(ok), ok).toBe(true);
    for (const bad of [':', ':::', '1:2:3:4:5:6:7:8:9', '2001:db8:::1', '1::2::3', 'g::1', '12345::', '1:2', 'fe80::1%eth0', '::ffff:999.0.0.1']) {
      expect(isIpv6(bad), bad).toBe(false);
    }
    expect(isIp('10.0.0.1') && isIp('::1') && !isIp('host')).toBe(true);
  });

  it('parses ports in range only', () => {
    expect([parsePort('0'), parsePort('443'), parsePort('65535')]).toEqual([0, 443, 65535]);
    expect([parsePort('65536'), parsePort('-1'), parsePort(' 80'), parsePort(''), parsePort('8o')]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
