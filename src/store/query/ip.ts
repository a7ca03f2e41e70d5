/**
 * IP addresses and CIDR blocks as the event table stores them: every address
 * is an IPv6 address, IPv4 as IPv4-mapped (`::ffff:10.0.0.1`). Parsing is
 * strict so that a typo is reported instead of silently matching nothing.
 */

/** Eight 16-bit groups. */
export type Ipv6Groups = readonly number[];

export interface IpRange {
  low: Ipv6Groups;
  high: Ipv6Groups;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const PREFIX = /^\d{1,3}$/;

function parseIpv4(text: string): number[] | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const octets = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  return octets.every((o) => o < 256) ? octets : undefined;
}

/** Parses IPv4 (as IPv4-mapped) or IPv6 text; undefined when it is neither. */
export function parseIp(text: string): Ipv6Groups | undefined {
  const v4 = parseIpv4(text);
  if (v4) return [0, 0, 0, 0, 0, 0xffff, (v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
  if (!text.includes(':') || text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length === 1) {
    const groups = parseGroups(text, true);
    return groups?.length === 8 ? groups : undefined;
  }
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0], false);
  const tail = parseGroups(halves[1], true);
  if (!head || !tail || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** Colon-separated hex groups; the last may be a dotted IPv4 address when `allowV4Tail`. */
function parseGroups(text: string, allowV4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (HEX_GROUP.test(part)) {
      groups.push(parseInt(part, 16));
      continue;
    }
    const v4 = allowV4Tail && i === parts.length - 1 ? parseIpv4(part) : undefined;
    if (!v4) return undefined;
    groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
  }
  return groups.length <= 8 ? groups : undefined;
}

/**
 * Parses `address/prefix`. An IPv4 prefix counts within the IPv4-mapped
 * block (`10.0.0.0/8` is `::ffff:10.0.0.0/104`). Host bits set in the
 * address are ignored, as network tools do.
 */
export function parseCidr(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!PREFIX.test(prefixText)) return undefined;
  const groups = parseIp(address);
  if (!groups) return undefined;
  const isV4 = parseIpv4(address) !== undefined;
  if (Number(prefixText) > (isV4 ? 32 : 128)) return undefined;
  const prefix = Number(prefixText) + (isV4 ? 96 : 0);
  const low: number[] = [];
  const high: number[] = [];
  for (let i = 0; i < 8; i++) {
    const bits = Math.max(0, Math.min(16, prefix - i * 16));
    const mask = bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
    low.push(groups[i] & mask);
    high.push((groups[i] & mask) | (~mask & 0xffff));
  }
  return { low, high };
}

/**
 * Text the engine's `toIPv6` reads back to the same address; IPv4-mapped
 * addresses keep their dotted form so that generated SQL stays readable.
 */
export function formatIp(groups: Ipv6Groups): string {
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
  }
  return groups.map((g) => g.toString(16)).join(':');
}
