/**
 * Vendor field → ECS field tables shared by the key/value formats (CEF,
 * LEEF, FortiGate, Check Point, iptables, ...). A table says where a vendor
 * key goes and how its text is checked and converted; a value that does not
 * fit its ECS field (an "IP" that is not one) stays under the parser's own
 * prefix instead, so nothing is lost and typed columns stay clean.
 */
import type { MamoriEvent } from '../core/event.js';
import { fieldName } from './flatten.js';
import { isIp, parsePort } from './net.js';
import type { ParseContext } from './parser.js';
import { parseUint } from './syslog.js';
import { isoFromMs, isValidMs, parseVendorTime } from './time.js';

/** How a vendor value is checked and converted before it goes to its ECS field. */
export type ValueKind =
  | 'string'
  | 'lower'
  | 'transport'
  | 'ip'
  | 'port'
  | 'uint'
  | 'time'
  | 'outcome'
  | 'hash'
  | 'direction'
  | 'mac';

export interface FieldMapping {
  field: string;
  kind: ValueKind;
}

export type FieldTable = ReadonlyMap<string, FieldMapping>;

/** Builds a table from `[vendor keys, ECS field, kind]` rows; a row may list several spellings of one key. */
export function fieldTable(rows: ReadonlyArray<readonly [string | readonly string[], string, ValueKind]>): FieldTable {
  const table = new Map<string, FieldMapping>();
  for (const [keys, field, kind] of rows) {
    const mapping = { field, kind };
    for (const key of typeof keys === 'string' ? [keys] : keys) table.set(key, mapping);
  }
  return table;
}

const HASH_BY_LENGTH = new Map([[32, 'md5'], [40, 'sha1'], [64, 'sha256'], [128, 'sha512']]);
/** IANA protocol numbers many devices log instead of a name. */
const TRANSPORT_BY_NUMBER = new Map([['1', 'icmp'], ['2', 'igmp'], ['6', 'tcp'], ['17', 'udp'], ['47', 'gre'], ['50', 'esp'], ['51', 'ah'], ['58', 'ipv6-icmp'], ['132', 'sctp']]);

export function transportName(value: string): string {
  return TRANSPORT_BY_NUMBER.get(value) ?? value.toLowerCase();
}

/** success / failure / unknown from the words devices use, or undefined. */
export function outcomeOf(value: string): 'success' | 'failure' | 'unknown' | undefined {
  const v = value.toLowerCase();
  if (v.startsWith('succe') || v === 'allow' || v === 'allowed' || v === 'accept' || v === 'ok' || v === 'pass') return 'success';
  if (v.startsWith('fail') || v === 'deny' || v === 'denied' || v === 'blocked' || v === 'block' || v === 'drop' || v === 'reject') return 'failure';
  return v === 'unknown' ? 'unknown' : undefined;
}

/** `aa:bb:cc:dd:ee:ff` or `aa-bb-...` as ECS wants it: upper case, dash separated. */
function macOf(value: string): string | undefined {
  if (value.length !== 17) return undefined;
  let out = '';
  for (let i = 0; i < 17; i++) {
    const c = value.charCodeAt(i);
    if (i % 3 === 2) {
      if (c !== 58 && c !== 45) return undefined;
      out += '-';
    } else if ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102)) {
      out += value[i];
    } else {
      return undefined;
    }
  }
  return out.toUpperCase();
}

/**
 * Sets `mapping.field` (a hash picks its algorithm's field by length) to the
 * converted value; false when the text does not fit. Writes directly instead
 * of returning a pair: this runs for nearly every key of every line.
 */
export function setConverted(event: MamoriEvent, mapping: FieldMapping, value: string, ctx: ParseContext): boolean {
  let mapped: string | number | undefined;
  switch (mapping.kind) {
    case 'string':
      event[mapping.field] = value;
      return true;
    case 'lower':
      event[mapping.field] = value.toLowerCase();
      return true;
    case 'transport':
      event[mapping.field] = transportName(value);
      return true;
    case 'ip':
      mapped = isIp(value) ? value : undefined;
      break;
    case 'port':
      mapped = parsePort(value);
      break;
    case 'uint':
      mapped = parseUint(value, Number.MAX_SAFE_INTEGER);
      break;
    case 'time': {
      const ms = parseVendorTime(value, ctx);
      mapped = isValidMs(ms) ? isoFromMs(ms) : undefined;
      break;
    }
    case 'outcome':
      mapped = outcomeOf(value);
      break;
    case 'hash': {
      const algorithm = HASH_BY_LENGTH.get(value.length);
      if (algorithm === undefined) return false;
      event[`${mapping.field}.${algorithm}`] = value.toLowerCase();
      return true;
    }
    case 'direction': {
      const v = value.toLowerCase();
      mapped = v === '0' || v === 'inbound' || v === 'in' || v === 'incoming' ? 'inbound' : v === '1' || v === 'outbound' || v === 'out' || v === 'outgoing' ? 'outbound' : undefined;
      break;
    }
    case 'mac':
      mapped = macOf(value);
      break;
  }
  if (mapped === undefined) return false;
  event[mapping.field] = mapped;
  return true;
}

/**
 * Puts one vendor pair in its ECS field per `table`, or under
 * `unmappedPrefix + key` when the table has no entry or the value does not
 * fit. Empty values are dropped: devices print `key=` for "not applicable".
 */
export function setMapped(event: MamoriEvent, table: FieldTable, unmappedPrefix: string, key: string, value: string, ctx: ParseContext): void {
  if (value.length === 0) return;
  const mapping = table.get(key);
  if (mapping === undefined || !setConverted(event, mapping, value, ctx)) event[fieldName(unmappedPrefix, key)] = value;
}
