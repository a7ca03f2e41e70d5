import { describe, expect, it } from 'vitest';
import { RoutingTable, type RoutableSource } from './routing.js';

function source(id: string, extra: Partial<RoutableSource> = {}): RoutableSource {
  return { id, tenantId: `tenant-${id}`, format: 'rfc3164', charset: 'utf-8', timezone: null, rateLimitEps: null, matchCidrs: [], matchCert: null, tokenHash: `hash-${id}`, ...extra };
}

describe('RoutingTable', () => {
  const fingerprint = 'AB:'.repeat(31) + 'AB';
  const table = new RoutingTable(
    [
      source('wide', { matchCidrs: ['10.0.0.0/8'] }),
      source('narrow', { matchCidrs: ['10.1.2.0/24', '2001:db8::/48'], timezone: 'Asia/Tokyo', rateLimitEps: 100, charset: 'shift_jis' }),
      source('host', { matchCidrs: ['10.1.2.3/32'] }),
      source('cert-name', { matchCert: 'FW01.Customer.example' }),
      source('cert-print', { matchCert: fingerprint }),
    ],
    7,
  );

  it('picks the most specific address block, for IPv4, IPv4-mapped and IPv6 senders', () => {
    expect(table.byAddress('10.9.9.9')?.source).toBe('wide');
    expect(table.byAddress('10.1.2.9')?.source).toBe('narrow');
    expect(table.byAddress('::ffff:10.1.2.3')?.source).toBe('host');
    expect(table.byAddress('2001:db8:0:1::5')?.source).toBe('narrow');
    expect(table.byAddress('192.0.2.1')).toBeUndefined();
    expect(table.byAddress('not an address')).toBeUndefined();
  });

  it('binds to the source\'s tenant, parser, charset, zone and limit', () => {
    expect(table.byAddress('10.1.2.200')).toEqual({ tenant: 'tenant-narrow', source: 'narrow', format: 'rfc3164', charset: 'shift_jis', timezone: 'Asia/Tokyo', rateLimitEps: 100 });
    expect(table.version).toBe(7);
  });

  it('recognises a certificate by fingerprint or by name, names case-insensitively', () => {
    expect(table.byCertificate({ names: ['other'], fingerprint256: 'AB'.repeat(32) })?.source).toBe('cert-print');
    expect(table.byCertificate({ names: ['unknown', 'fw01.customer.EXAMPLE'] })?.source).toBe('cert-name');
    expect(table.byCertificate({ names: ['unknown'], fingerprint256: 'CD'.repeat(32) })).toBeUndefined();
  });

  it('finds a source by token digest', () => {
    expect(table.byTokenDigest('hash-host')?.source).toBe('host');
    expect(table.byTokenDigest('hash-none')).toBeUndefined();
  });
});
