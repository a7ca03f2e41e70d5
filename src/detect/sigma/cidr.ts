/**
 * CIDR networks for the `cidr` modifier. Networks parse once at compile
 * time; an event's address parses per test, by hand (no regex per octet
 * beyond the precompiled digit checks), into 4 or 16 bytes.
 */

export interface CidrMatcher {
  (address: string): boolean;
}

export function compileCidr(text: string): CidrMatcher | string {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const network = parseIp(addressText.trim());
  if (!network) return `invalid CIDR "${text}"`;
  const max = network.length * 8;
  const prefix = slash < 0 ? max : Number(text.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return `invalid CIDR prefix in "${text}"`;
  const fullBytes = prefix >> 3;
  const restBits = prefix & 7;
  const lastMask = restBits ? (0xff << (8 - restBits)) & 0xff : 0;
  return (address) => {
    const ip = parseIp(address);
    if (!ip || ip.length !== network.length) return false;
    for (let i = 0; i < fullBytes; i++) if (ip[i] !== network[i]) return false;
    return restBits === 0 || (ip[fullBytes] & lastMask) === (network[fullBytes] & lastMask);
  };
}

/** IPv4 (4 bytes) or IPv6 (16 bytes, including `::` and an embedded IPv4 tail); undefined if not an address. */
export function parseIp(text: string): Uint8Array | undefined {
  if (text.length > 45) return undefined;
  if (!text.includes(':')) return parseIpv4(text);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups: number[] = [];
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseIpv4(item);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(item)) return undefined;
        out.push(parseInt(item, 16));
      }
    }
    return out;
  };
  const head = parseGroups(halves[0]);
  const tail = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1 && head.length !== 8) return undefined;
  if (halves.length === 2 && head.length + tail.length > 7) return undefined;
  groups.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    bytes[2 * i] = groups[i] >> 8;
    bytes[2 * i + 1] = groups[i] & 0xff;
  }
  return bytes;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}
