/**
 * Message bodies of the Cisco ASA / FTD syslog ids Mamori understands, one
 * reader per message layout (Cisco's "ASA Series Syslog Messages" guide).
 * A body is split once into space-separated words (bounded count) and read
 * by position and keyword; no regex. A body that does not have the
 * documented shape leaves only the fields read so far: the caller keeps
 * the whole text in `message` either way.
 */
import type { MamoriEvent } from '../core/event.js';
import { transportName } from './mapping.js';
import { isIp, parsePort } from './net.js';
import { parseUint } from './syslog.js';
import { setDomainUser } from './user-domain.js';

/** The longest documented layout has about 40 words; the rest of a longer body is not read. */
const MAX_WORDS = 64;
const NS_PER_S = 1e9;

/** Field names for one side of a connection, precomputed so the hot path builds no strings. */
interface Side {
  ip: string;
  port: string;
  natIp: string;
  natPort: string;
  user: string;
  iface: string;
}

export const SOURCE: Side = {
  ip: 'source.ip',
  port: 'source.port',
  natIp: 'source.nat.ip',
  natPort: 'source.nat.port',
  user: 'source.user.',
  iface: 'observer.ingress.interface.name',
};

export const DESTINATION: Side = {
  ip: 'destination.ip',
  port: 'destination.port',
  natIp: 'destination.nat.ip',
  natPort: 'destination.nat.port',
  user: 'destination.user.',
  iface: 'observer.egress.interface.name',
};

/** `[interface:]address[/port|/service][(user)]`, as read from one word. */
interface Endpoint {
  iface: string | undefined;
  ip: string;
  port: number | undefined;
  /** A service name where a port would be (`inside:10.0.0.1/ssh`). */
  service: string | undefined;
  user: string | undefined;
}

/**
 * Reads an endpoint word. With `withIface`, the text before the first `:`
 * is the interface name (ASA interface names cannot contain `:`, IPv6
 * addresses after it can). Undefined when the address is not an IP.
 */
export function readEndpoint(word: string | undefined, withIface: boolean): Endpoint | undefined {
  if (word === undefined) return undefined;
  let end = word.length;
  // Sentence punctuation glued to the last endpoint of a message; a final ':' of an IPv6 '::' stays.
  let last = word.charCodeAt(end - 1);
  while (end > 0 && (last === 44 || last === 46 || (last === 58 && word.charCodeAt(end - 2) !== 58))) last = word.charCodeAt(--end - 1);
  let user: string | undefined;
  if (last === 41) {
    const open = word.indexOf('(');
    if (open > 0 && open < end) {
      user = word.slice(open + 1, end - 1);
      end = open;
    }
  }
  let start = 0;
  let iface: string | undefined;
  if (withIface) {
    const colon = word.indexOf(':');
    if (colon > 0 && colon < end) {
      iface = word.slice(0, colon);
      start = colon + 1;
    }
  }
  const slash = word.lastIndexOf('/', end - 1);
  let ip: string;
  let port: number | undefined;
  let service: string | undefined;
  if (slash >= start) {
    ip = word.slice(start, slash);
    const tail = word.slice(slash + 1, end);
    port = parsePort(tail);
    if (port === undefined && tail.length > 0) service = tail;
  } else {
    ip = word.slice(start, end);
  }
  return isIp(ip) ? { iface, ip, port, service, user } : undefined;
}

export function setEndpoint(event: MamoriEvent, side: Side, ep: Endpoint | undefined): void {
  if (ep === undefined) return;
  event[side.ip] = ep.ip;
  if (ep.port !== undefined) event[side.port] = ep.port;
  if (ep.iface !== undefined) event[side.iface] = ep.iface;
  if (ep.user !== undefined) setDomainUser(event, side.user, ep.user);
}

/** A translated address, set only when it differs from the real one. */
function setNat(event: MamoriEvent, side: Side, real: Endpoint | undefined, mapped: Endpoint | undefined): void {
  if (mapped === undefined || real === undefined) return;
  if (mapped.ip !== real.ip) event[side.natIp] = mapped.ip;
  if (mapped.port !== undefined && (mapped.ip !== real.ip || mapped.port !== real.port)) event[side.natPort] = mapped.port;
}

function words(body: string): string[] {
  return body.split(' ', MAX_WORDS);
}

/** The word after the first `key` word at or after `from`, or undefined. */
function after(w: string[], key: string, from = 0): string | undefined {
  const i = w.indexOf(key, from);
  return i < 0 ? undefined : w[i + 1];
}

function setTransport(event: MamoriEvent, word: string | undefined): void {
  if (word !== undefined && word.length > 0) event['network.transport'] = transportName(word);
}

function setDirection(event: MamoriEvent, word: string | undefined): void {
  if (word === 'inbound' || word === 'outbound') event['network.direction'] = word;
}

/** `h:mm:ss` (hours unbounded) as nanoseconds, or undefined. */
export function hmsToNs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const c1 = text.indexOf(':');
  const c2 = text.indexOf(':', c1 + 1);
  if (c1 < 1 || c2 < 0) return undefined;
  const h = parseUint(text.slice(0, c1), 1e7);
  const m = parseUint(text.slice(c1 + 1, c2), 59);
  const s = parseUint(text.slice(c2 + 1), 59);
  return h === undefined || m === undefined || s === undefined ? undefined : ((h * 60 + m) * 60 + s) * NS_PER_S;
}

/** `[Nd ]Nh:Nm:Ns` (VPN session durations) as nanoseconds, or undefined. */
function vpnDurationToNs(text: string): number | undefined {
  let days = 0;
  let rest = text;
  const d = text.indexOf('d ');
  if (d > 0) {
    const parsed = parseUint(text.slice(0, d), 1e5);
    if (parsed === undefined) return undefined;
    days = parsed;
    rest = text.slice(d + 2);
  }
  const parts = rest.split(':', 4);
  if (parts.length !== 3) return undefined;
  const h = parseUint(parts[0].slice(0, -1), 1e6);
  const m = parseUint(parts[1].slice(0, -1), 59);
  const s = parseUint(parts[2].slice(0, -1), 59);
  if (h === undefined || m === undefined || s === undefined) return undefined;
  return (((days * 24 + h) * 60 + m) * 60 + s) * NS_PER_S;
}

function setDuration(event: MamoriEvent, ns: number | undefined): void {
  if (ns !== undefined && Number.isSafeInteger(ns)) event['event.duration'] = ns;
}

/** `(type 8, code 0)` words, as in 106014 / 106023 / 313005 ICMP messages. */
function setIcmpParens(event: MamoriEvent, w: string[]): void {
  const i = w.indexOf('(type');
  if (i < 0) return;
  const type = parseUint(w[i + 1]?.slice(0, -1) ?? '', 255);
  const code = w[i + 2] === 'code' ? parseUint(w[i + 3]?.slice(0, -1) ?? '', 255) : undefined;
  if (type !== undefined) event['cisco.asa.icmp_type'] = type;
  if (code !== undefined) event['cisco.asa.icmp_code'] = code;
}

/** The text between the first `open` and the next `close` after it, or undefined. */
function between(body: string, open: string, close: string, from = 0): string | undefined {
  const a = body.indexOf(open, from);
  if (a < 0) return undefined;
  const b = body.indexOf(close, a + open.length);
  return b < 0 ? undefined : body.slice(a + open.length, b);
}

/** The rest of `body` after `marker`, without trailing blanks and final period; undefined when absent or empty. */
function restAfter(body: string, marker: string): string | undefined {
  const a = body.indexOf(marker);
  if (a < 0) return undefined;
  let end = body.length;
  while (end > a + marker.length && (body.charCodeAt(end - 1) === 46 || body.charCodeAt(end - 1) <= 32)) end--;
  return end > a + marker.length ? body.slice(a + marker.length, end) : undefined;
}

// ---- Access control: 106001, 106006, 106007, 106014, 106015, 106023, 710003, 419002, 500004 ----

/** `... from A/p to B/p ... on interface X` (106001, 106006, 106007, 106015, 500004). */
export function readFromTo(event: MamoriEvent, body: string): void {
  const w = words(body);
  const src = readEndpoint(after(w, 'from'), false);
  const dst = readEndpoint(after(w, 'to'), false);
  setEndpoint(event, SOURCE, src);
  setEndpoint(event, DESTINATION, dst);
  const onInterface = w.indexOf('interface');
  if (onInterface > 0 && w[onInterface - 1] === 'on' && w[onInterface + 1]) event[SOURCE.iface] = w[onInterface + 1];
  const flags = w.indexOf('flags');
  if (flags > 0) {
    // Flags are words up to "on interface": `flags SYN ACK  on interface outside`.
    let end = onInterface > flags ? onInterface - 1 : w.length;
    while (end > flags + 1 && w[end - 1] === '') end--;
    const list = w.slice(flags + 1, end).filter((f) => f.length > 0);
    if (list.length > 0) event['cisco.asa.tcp_flags'] = list.join(' ');
  }
  if (w[0] === 'Inbound') {
    event['network.direction'] = 'inbound';
    setTransport(event, w[1]);
  } else if (w[0] === 'Deny' && (w[1] === 'inbound' || w[1] === 'outbound')) {
    setDirection(event, w[1]);
    setTransport(event, w[2]);
  } else if (w[0] === 'Deny') {
    setTransport(event, w[1]);
  } else if (w[0] === 'Invalid') {
    const proto = after(w, 'for');
    if (proto?.startsWith('protocol=')) setTransport(event, proto.slice(9, proto.endsWith(',') ? -1 : undefined));
  }
  const due = restAfter(body, ' due to ');
  if (due !== undefined) event['event.reason'] = due;
}

/** `Deny[ inbound] proto src if:A[/p] dst if:B[/p] [(type t, code c)] [by access-group "acl" [h1, h2]]` (106014, 106023). */
export function readSrcDst(event: MamoriEvent, body: string): void {
  const w = words(body);
  let i = 1;
  if (w[i] === 'inbound' || w[i] === 'outbound') setDirection(event, w[i++]);
  // `Deny protocol 47 src ...` names the protocol by number.
  if (w[i] === 'protocol') i++;
  setTransport(event, w[i]);
  setEndpoint(event, SOURCE, readEndpoint(after(w, 'src', i), true));
  setEndpoint(event, DESTINATION, readEndpoint(after(w, 'dst', i), true));
  setIcmpParens(event, w);
  const acl = between(body, 'access-group "', '"');
  if (acl !== undefined && acl.length > 0) event['rule.name'] = acl;
  setAceHash(event, body);
}

/** The `[0xhash, 0xhash]` that identifies the matching access control entry. */
function setAceHash(event: MamoriEvent, body: string): void {
  const open = body.lastIndexOf('[0x');
  if (open < 0) return;
  const close = body.indexOf(']', open);
  if (close > open) event['cisco.asa.ace_hash'] = body.slice(open + 1, close);
}

/** `access-list ACL {permitted|denied|est-allowed} proto if/A(p) -> if/B(p) hit-cnt N ... [h1, h2]` (106100). */
export function readAccessList(event: MamoriEvent, body: string): 'allowed' | 'denied' | undefined {
  const w = words(body);
  if (w[0] !== 'access-list') return undefined;
  if (w[1]) event['rule.name'] = w[1];
  setTransport(event, w[3]);
  const arrow = w.indexOf('->');
  if (arrow > 0) {
    setEndpoint(event, SOURCE, readSlashEndpoint(w[arrow - 1]));
    setEndpoint(event, DESTINATION, readSlashEndpoint(w[arrow + 1]));
  }
  const hits = parseUint(after(w, 'hit-cnt') ?? '', Number.MAX_SAFE_INTEGER);
  if (hits !== undefined) event['cisco.asa.hit_count'] = hits;
  setAceHash(event, body);
  return w[2] === 'denied' ? 'denied' : w[2] === 'permitted' || w[2] === 'est-allowed' ? 'allowed' : undefined;
}

/** `interface/address(port)` as written by 106100. */
function readSlashEndpoint(word: string | undefined): Endpoint | undefined {
  if (word === undefined) return undefined;
  const slash = word.indexOf('/');
  const open = word.indexOf('(', slash + 1);
  if (slash < 1 || open < 0 || !word.endsWith(')')) return undefined;
  const ip = word.slice(slash + 1, open);
  if (!isIp(ip)) return undefined;
  return { iface: word.slice(0, slash), ip, port: parsePort(word.slice(open + 1, -1)), service: undefined, user: undefined };
}

/** `PROTO access denied by ACL from A/p to if:B/p` (710003). */
export function readAclDenied(event: MamoriEvent, body: string): void {
  const w = words(body);
  setTransport(event, w[0]);
  setEndpoint(event, SOURCE, readEndpoint(after(w, 'from'), false));
  const dst = readEndpoint(after(w, 'to'), true);
  setEndpoint(event, DESTINATION, dst);
  // The interface named is the one the denied packet arrived on.
  if (dst?.iface !== undefined) {
    delete event[DESTINATION.iface];
    event[SOURCE.iface] = dst.iface;
  }
}

/** `Duplicate TCP SYN from if:A/p to if:B/p with different initial sequence number` (419002). */
export function readDuplicateSyn(event: MamoriEvent, body: string): void {
  const w = words(body);
  setTransport(event, w[1]);
  setEndpoint(event, SOURCE, readEndpoint(after(w, 'from'), true));
  setEndpoint(event, DESTINATION, readEndpoint(after(w, 'to'), true));
}

// ---- ICMP: 313001, 313004, 313005 ----

/** `Denied ICMP type=8, code=0 from A on interface X` (313001) and `Denied ICMP type=0, from laddr A on interface X to B: no matching session` (313004). */
export function readIcmpDenied(event: MamoriEvent, body: string): void {
  const w = words(body);
  event['network.transport'] = 'icmp';
  for (const word of w) {
    if (word.startsWith('type=')) {
      const type = parseUint(word.slice(5, word.endsWith(',') ? -1 : undefined), 255);
      if (type !== undefined) event['cisco.asa.icmp_type'] = type;
    } else if (word.startsWith('code=')) {
      const code = parseUint(word.slice(5, word.endsWith(',') ? -1 : undefined), 255);
      if (code !== undefined) event['cisco.asa.icmp_code'] = code;
    }
  }
  const from = w.indexOf('from');
  const src = w[from + 1] === 'laddr' ? w[from + 2] : w[from + 1];
  if (from > 0) setEndpoint(event, SOURCE, readEndpoint(src, false));
  const iface = after(w, 'interface');
  if (iface) event[SOURCE.iface] = iface;
  const to = w.indexOf('to', from);
  if (to > 0) setEndpoint(event, DESTINATION, readEndpoint(w[to + 1], false));
  const reason = restAfter(body, ': ');
  if (reason !== undefined) event['event.reason'] = reason;
}

/** `No matching connection for ICMP error message: icmp src if:A dst if:B (type t, code c) on X interface. Original IP payload: ...` (313005). */
export function readIcmpNoConnection(event: MamoriEvent, body: string): void {
  const w = words(body);
  event['network.transport'] = 'icmp';
  setEndpoint(event, SOURCE, readEndpoint(after(w, 'src'), true));
  setEndpoint(event, DESTINATION, readEndpoint(after(w, 'dst'), true));
  setIcmpParens(event, w);
  const payload = restAfter(body, 'Original IP payload: ');
  if (payload !== undefined) event['cisco.asa.original_payload'] = payload;
}

// ---- Connections and translations: 302013-302016, 302020, 302021, 305011, 305012 ----

/** One side of a 302013/302015 connection: `if:A/p [(M/p)][(user)]`. */
interface ConnSide {
  real: Endpoint | undefined;
  mapped: Endpoint | undefined;
  next: number;
}

function readConnSide(w: string[], i: number): ConnSide {
  const real = readEndpoint(w[i], true);
  let mapped: Endpoint | undefined;
  i++;
  let word: string | undefined = w[i];
  if (word !== undefined && word.charCodeAt(0) === 40) {
    // `(M/p)` and an identity-firewall `(user)` may be glued: `(M/p)(DOMAIN\user)`.
    const close = word.indexOf(')');
    if (close > 0 && word.indexOf('/') > 0 && word.indexOf('/') < close) {
      mapped = readEndpoint(word.slice(1, close), false);
      word = close + 1 < word.length ? word.slice(close + 1) : undefined;
      if (word === undefined) word = w[++i];
      else w[i] = word;
    }
  }
  if (real !== undefined && word !== undefined && word.charCodeAt(0) === 40 && word.endsWith(')') && word.indexOf('/') < 0) {
    real.user = word.slice(1, -1);
    i++;
  }
  return { real, mapped, next: i };
}

/**
 * `Built {inbound|outbound} PROTO connection ID for if:A/p (M/p) to if:B/p (M/p)` (302013, 302015).
 * The `for` side is the outside peer: it is the source of an inbound
 * connection and the destination of an outbound one.
 */
export function readBuilt(event: MamoriEvent, body: string): void {
  const w = words(body);
  const direction = w[1];
  setDirection(event, direction);
  setTransport(event, w[2]);
  const id = after(w, 'connection');
  if (id !== undefined && parseUint(id, Number.MAX_SAFE_INTEGER) !== undefined) event['cisco.asa.connection_id'] = id;
  const forAt = w.indexOf('for');
  if (forAt < 0) return;
  const first = readConnSide(w, forAt + 1);
  const second = w[first.next] === 'to' ? readConnSide(w, first.next + 1) : undefined;
  const [src, dst] = direction === 'outbound' ? [second, first] : [first, second];
  if (src) {
    setEndpoint(event, SOURCE, src.real);
    setNat(event, SOURCE, src.real, src.mapped);
  }
  if (dst) {
    setEndpoint(event, DESTINATION, dst.real);
    setNat(event, DESTINATION, dst.real, dst.mapped);
  }
}

/**
 * `Teardown PROTO connection ID for if:A/p to if:B/p duration h:mm:ss bytes N [reason] [from if]` (302014, 302016).
 * The message does not say which side opened the connection; the `for`
 * side is reported as the source.
 */
export function readTeardown(event: MamoriEvent, body: string): void {
  const w = words(body);
  setTransport(event, w[1]);
  const id = after(w, 'connection');
  if (id !== undefined && parseUint(id, Number.MAX_SAFE_INTEGER) !== undefined) event['cisco.asa.connection_id'] = id;
  const forAt = w.indexOf('for');
  if (forAt > 0) {
    const first = readConnSide(w, forAt + 1);
    setEndpoint(event, SOURCE, first.real);
    if (w[first.next] === 'to') setEndpoint(event, DESTINATION, readConnSide(w, first.next + 1).real);
  }
  setDuration(event, hmsToNs(after(w, 'duration')));
  const bytesAt = w.indexOf('bytes');
  if (bytesAt < 0) return;
  const bytes = parseUint(w[bytesAt + 1] ?? '', Number.MAX_SAFE_INTEGER);
  if (bytes !== undefined) event['network.bytes'] = bytes;
  // The reason runs to the end, or to ` from if` on releases that name the closing side.
  let end = w.length;
  while (end > bytesAt + 2 && w[end - 1] === '') end--;
  const fromAt = w.lastIndexOf('from');
  if (fromAt > bytesAt + 1) {
    if (w[fromAt + 1]) event['cisco.asa.termination_initiator'] = w[fromAt + 1];
    end = fromAt;
  }
  if (end > bytesAt + 2) {
    let reason = w.slice(bytesAt + 2, end).join(' ');
    // A trailing `(user)` belongs to the connection, not the reason.
    const paren = reason.lastIndexOf(' (');
    if (paren > 0 && reason.endsWith(')')) reason = reason.slice(0, paren);
    if (reason.length > 0) event['event.reason'] = reason;
  }
}

/**
 * `{Built dir|Teardown} ICMP connection for faddr F/id gaddr G/id laddr L/id [type t code c]` (302020, 302021).
 * faddr is the outside peer, laddr the inside host and gaddr its mapped address.
 */
export function readIcmpConnection(event: MamoriEvent, body: string): void {
  const w = words(body);
  event['network.transport'] = transportName(w[0] === 'Built' ? (w[2] ?? 'icmp') : (w[1] ?? 'icmp'));
  if (w[0] === 'Built') setDirection(event, w[1]);
  const foreign = readEndpoint(after(w, 'faddr'), false);
  const global = readEndpoint(after(w, 'gaddr'), false);
  const local = readEndpoint(after(w, 'laddr'), false);
  // ICMP identifiers follow the '/', they are not ports.
  for (const ep of [foreign, global, local]) if (ep) ep.port = undefined;
  if (w[1] === 'outbound') {
    setEndpoint(event, SOURCE, local);
    setNat(event, SOURCE, local, global);
    setEndpoint(event, DESTINATION, foreign);
  } else {
    setEndpoint(event, SOURCE, foreign);
    setEndpoint(event, DESTINATION, local);
    setNat(event, DESTINATION, local, global);
  }
  const type = parseUint(after(w, 'type') ?? '', 255);
  const code = parseUint(after(w, 'code') ?? '', 255);
  if (type !== undefined) event['cisco.asa.icmp_type'] = type;
  if (code !== undefined) event['cisco.asa.icmp_code'] = code;
}

/** `{Built|Teardown} {dynamic|static} PROTO translation from if:A/p to if:M/p [duration h:mm:ss]` (305011, 305012). */
export function readTranslation(event: MamoriEvent, body: string): void {
  const w = words(body);
  if (w[1]) event['cisco.asa.translation_type'] = w[1];
  setTransport(event, w[2]);
  const real = readEndpoint(after(w, 'from'), true);
  const mapped = readEndpoint(after(w, 'to'), true);
  setEndpoint(event, SOURCE, real);
  setNat(event, SOURCE, real, mapped);
  if (mapped?.iface !== undefined) event[DESTINATION.iface] = mapped.iface;
  setDuration(event, hmsToNs(after(w, 'duration')));
}

// ---- Threat detection: 733100 ----

/** `[ object] drop rate-N exceeded. Current burst rate is N per second, max configured rate is N; Current average rate is N per second, max configured rate is N; Cumulative total count is N`. */
export function readThreatRate(event: MamoriEvent, body: string): void {
  const object = between(body, '[', ']');
  if (object !== undefined && object.trim().length > 0) {
    event['cisco.asa.burst.object'] = object.trim();
    event['rule.name'] = object.trim();
  }
  const rate = between(body, 'drop ', ' exceeded');
  if (rate !== undefined) event['cisco.asa.burst.id'] = rate;
  const number = (marker: string, from: number): [number | undefined, number] => {
    const at = body.indexOf(marker, from);
    if (at < 0) return [undefined, from];
    const start = at + marker.length;
    let end = start;
    while (end < body.length && body.charCodeAt(end) >= 48 && body.charCodeAt(end) <= 57) end++;
    return [parseUint(body.slice(start, end), Number.MAX_SAFE_INTEGER), end];
  };
  const [current, a] = number('burst rate is ', 0);
  const [configured, b] = number('configured rate is ', a);
  const [average, c] = number('average rate is ', b);
  const [configuredAverage] = number('configured rate is ', c);
  const [total] = number('total count is ', 0);
  const fields: [string, number | undefined][] = [
    ['cisco.asa.burst.current_rate', current],
    ['cisco.asa.burst.configured_rate', configured],
    ['cisco.asa.burst.avg_rate', average],
    ['cisco.asa.burst.configured_avg_rate', configuredAverage],
    ['cisco.asa.burst.cumulative_count', total],
  ];
  for (const [field, value] of fields) if (value !== undefined) event[field] = value;
}

// ---- AAA, management and VPN users ----

/**
 * `AAA ... : key = value : key = value` (113004, 113005, 113008, 113015).
 * Returns the status word (`Successful`, `Rejected`, `ACCEPT`, ...).
 */
export function readAaa(event: MamoriEvent, body: string): string | undefined {
  const parts = body.split(' : ', 16);
  const head = parts[0];
  const status = head.slice(head.lastIndexOf(' ') + 1);
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    const eq = part.indexOf(' = ');
    if (eq < 0) {
      // `local database` names the server kind.
      event['cisco.asa.aaa_server_type'] = part.trim();
      continue;
    }
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 3).trim();
    if (value.length === 0) continue;
    if (key === 'user') setDomainUser(event, 'user.', value);
    else if (key === 'user IP' && isIp(value)) event['source.ip'] = value;
    else if (key === 'reason') event['event.reason'] = value;
    else if (key === 'server' && isIp(value)) event['cisco.asa.aaa_server'] = value;
    else if (key === 'server') event['cisco.asa.aaa_server'] = value;
  }
  return status.length > 0 ? status : undefined;
}

/** `Group = G, Username = U, IP = A, Session disconnected. Session Type: T, Duration: 0h:10m:05s, Bytes xmt: N, Bytes rcv: N, Reason: R` (113019). */
export function readVpnDisconnect(event: MamoriEvent, body: string): void {
  const group = between(body, 'Group = ', ',');
  if (group) event['cisco.asa.tunnel_group'] = group;
  const user = between(body, 'Username = ', ',');
  if (user) setDomainUser(event, 'user.', user);
  const ip = between(body, 'IP = ', ',');
  if (ip !== undefined && isIp(ip)) event['source.ip'] = ip;
  const type = between(body, 'Session Type: ', ',');
  if (type) event['cisco.asa.session_type'] = type;
  const duration = between(body, 'Duration: ', ',');
  if (duration !== undefined) setDuration(event, vpnDurationToNs(duration));
  // Counted at the ASA: it transmits to the client (the source) and receives from it.
  const xmt = parseUint(between(body, 'Bytes xmt: ', ',') ?? '', Number.MAX_SAFE_INTEGER);
  const rcv = parseUint(between(body, 'Bytes rcv: ', ',') ?? '', Number.MAX_SAFE_INTEGER);
  if (rcv !== undefined) event['source.bytes'] = rcv;
  if (xmt !== undefined) event['destination.bytes'] = xmt;
  const reason = restAfter(body, 'Reason: ');
  if (reason !== undefined) event['event.reason'] = reason;
}

/** `User authentication {succeeded|failed}: IP address: A, Uname: U` (611101, 611102; also `IP, A : Uname: U`). */
export function readMgmtAuth(event: MamoriEvent, body: string): void {
  const user = restAfter(body, 'Uname: ');
  if (user !== undefined) setDomainUser(event, 'user.', user);
  const ipAt = body.indexOf('IP');
  if (ipAt < 0) return;
  let start = ipAt + 2;
  while (start < body.length && (body.charCodeAt(start) === 32 || body.charCodeAt(start) === 44 || body.charCodeAt(start) === 58 || body.startsWith('address', start))) {
    start += body.startsWith('address', start) ? 7 : 1;
  }
  let end = start;
  while (end < body.length && body.charCodeAt(end) !== 44 && body.charCodeAt(end) !== 32) end++;
  const ip = body.slice(start, end);
  if (isIp(ip)) event['source.ip'] = ip;
}

/** `Login {permitted|denied} from A/p to if:B/service for user "U"` (605004, 605005). */
export function readLogin(event: MamoriEvent, body: string): void {
  const w = words(body);
  setEndpoint(event, SOURCE, readEndpoint(after(w, 'from'), false));
  const dst = readEndpoint(after(w, 'to'), true);
  setEndpoint(event, DESTINATION, dst);
  if (dst?.service !== undefined) event['network.protocol'] = dst.service.toLowerCase();
  // The interface named is the one the login arrived on.
  if (dst?.iface !== undefined) {
    delete event[DESTINATION.iface];
    event[SOURCE.iface] = dst.iface;
  }
  const user = between(body, 'user "', '"');
  if (user) setDomainUser(event, 'user.', user);
}

/** `User 'U' executed the 'CMD' command.` (111008) and `User 'U', running 'CLI' from IP A, executed 'CMD'` (111010). */
export function readCommand(event: MamoriEvent, body: string): void {
  const user = between(body, "User '", "'");
  if (user) setDomainUser(event, 'user.', user);
  const running = between(body, "running '", "'");
  if (running) event['cisco.asa.session_type'] = running;
  const ip = between(body, 'from IP ', ',');
  if (ip !== undefined && isIp(ip)) event['source.ip'] = ip;
  const marker = body.indexOf("executed the '") >= 0 ? "executed the '" : "executed '";
  const at = body.indexOf(marker);
  if (at < 0) return;
  const start = at + marker.length;
  const end = body.lastIndexOf("'");
  if (end > start) event['cisco.asa.command_line'] = body.slice(start, end);
}

/**
 * `Group <G> User <U> IP <A> ...` with further `Name <value>` pairs
 * (716001, 716002, 722037, 722051). Returns the index after the last `>`.
 */
export function readAngleFields(event: MamoriEvent, body: string): number {
  let at = 0;
  for (let pairs = 0; pairs < 16; pairs++) {
    const open = body.indexOf('<', at);
    if (open < 0) break;
    const close = body.indexOf('>', open + 1);
    if (close < 0) break;
    const name = body.slice(at, open).trim();
    const value = body.slice(open + 1, close);
    at = close + 1;
    if (value.length === 0) continue;
    switch (name) {
      case 'Group':
      case 'GroupPolicy':
        event['cisco.asa.group_policy'] = value;
        break;
      case 'TunnelGroup':
        event['cisco.asa.tunnel_group'] = value;
        break;
      case 'User':
        setDomainUser(event, 'user.', value);
        break;
      case 'IP':
        if (isIp(value)) event['source.ip'] = value;
        break;
      case 'IPv4 Address':
        if (isIp(value) && value !== '0.0.0.0') event['cisco.asa.assigned_ip'] = value;
        break;
      case 'IPv6 address':
      case 'IPv6 Address':
        if (isIp(value) && value !== '::') event['cisco.asa.assigned_ipv6'] = value;
        break;
    }
  }
  return at;
}

/** The reason after `marker` in an AnyConnect / WebVPN message body. */
export function readVpnReason(event: MamoriEvent, body: string, marker: string): void {
  const reason = restAfter(body, marker);
  if (reason !== undefined) event['event.reason'] = reason;
}
