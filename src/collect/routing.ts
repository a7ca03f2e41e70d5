import { parseCidr, parseIp, type IpRange, type Ipv6Groups } from '../store/query/ip.js';

/** A source with the rules that recognise it (the state store's routable sources fit this). */
export interface RoutableSource {
  id: string;
  tenantId: string;
  format: string;
  charset: string;
  timezone: string | null;
  rateLimitEps: number | null;
  matchCidrs: readonly string[];
  matchCert: string | null;
  /** secretDigest() of the source's ingest token. */
  tokenHash: string;
}

/** Where received data goes and how it is read: what a listener or a source binds it to. */
export interface SourceBinding {
  tenant: string;
  /** Source id (or listener name) put on every record. */
  source: string;
  format: string;
  charset: string;
  timezone?: string;
  /** Events per second; undefined is unlimited. */
  rateLimitEps?: number;
}

/** What a TLS client certificate says about its holder. */
export interface CertificateIdentity {
  /** Subject CN and DNS subject alternative names. */
  names: string[];
  /** SHA-256 fingerprint, hex, upper case, no separators. */
  fingerprint256?: string;
}

/**
 * Finds the source a sender belongs to on a listener shared by several
 * sources (a SOC's central syslog over TLS): by client certificate, by
 * sender address, or by the ingest token inside the message.
 */
export interface SourceDirectory {
  byCertificate(certificate: CertificateIdentity): SourceBinding | undefined;
  byAddress(address: string): SourceBinding | undefined;
  byTokenDigest(digest: string): SourceBinding | undefined;
  /** Changes whenever the table changes, so callers can drop cached routes. */
  readonly version: number;
}

const FINGERPRINT = /^[0-9A-F]{64}$/;

/** A certificate rule as configured: a SHA-256 fingerprint (with or without colons) or a name. */
function certificateKey(rule: string): string {
  const hex = rule.replace(/:/g, '').toUpperCase();
  return FINGERPRINT.test(hex) ? `sha256:${hex}` : `name:${rule.toLowerCase()}`;
}

function compare(a: Ipv6Groups, b: Ipv6Groups): number {
  for (let i = 0; i < 8; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function width(range: IpRange): number {
  let bits = 0;
  for (let i = 0; i < 8; i++) bits += 16 - Math.clz32(range.high[i] ^ range.low[i]) + 16;
  return bits;
}

/** An immutable lookup table over the routable sources. */
export class RoutingTable implements SourceDirectory {
  private readonly certificates = new Map<string, SourceBinding>();
  private readonly tokens = new Map<string, SourceBinding>();
  /** Most specific block first, so a /32 inside a customer's /24 wins. */
  private readonly ranges: { range: IpRange; binding: SourceBinding }[] = [];

  constructor(
    sources: readonly RoutableSource[],
    readonly version: number,
  ) {
    for (const s of sources) {
      const binding: SourceBinding = { tenant: s.tenantId, source: s.id, format: s.format, charset: s.charset };
      if (s.timezone) binding.timezone = s.timezone;
      if (s.rateLimitEps !== null) binding.rateLimitEps = s.rateLimitEps;
      this.tokens.set(s.tokenHash, binding);
      if (s.matchCert) this.certificates.set(certificateKey(s.matchCert), binding);
      for (const block of s.matchCidrs) {
        const range = parseCidr(block);
        if (range) this.ranges.push({ range, binding });
      }
    }
    this.ranges.sort((a, b) => width(a.range) - width(b.range));
  }

  byCertificate(certificate: CertificateIdentity): SourceBinding | undefined {
    if (certificate.fingerprint256) {
      const byPrint = this.certificates.get(`sha256:${certificate.fingerprint256}`);
      if (byPrint) return byPrint;
    }
    for (const name of certificate.names) {
      const byName = this.certificates.get(`name:${name.toLowerCase()}`);
      if (byName) return byName;
    }
    return undefined;
  }

  byAddress(address: string): SourceBinding | undefined {
    // IPv4 and IPv4-mapped IPv6 (`::ffff:192.0.2.1`, as dual-stack sockets report) parse alike.
    const ip = parseIp(address);
    if (!ip) return undefined;
    for (const { range, binding } of this.ranges) {
      if (compare(ip, range.low) >= 0 && compare(ip, range.high) <= 0) return binding;
    }
    return undefined;
  }

  byTokenDigest(digest: string): SourceBinding | undefined {
    return this.tokens.get(digest);
  }
}
