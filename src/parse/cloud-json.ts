/**
 * What the cloud audit parsers (CloudTrail, Entra ID sign-in and audit,
 * Microsoft 365 audit) share: reading one JSON record per line out of the
 * envelopes the services deliver, bounded flattening with ECS-style
 * snake_case names, `[{Name, Value}]` lists, and client addresses with ports.
 *
 * Naming rule for the vendor namespace (`aws.cloudtrail.*`, `azure.*`,
 * `o365.audit.*`): members of the record structure the vendor defines get
 * snake_case names (`userIdentity.sessionContext` → `user_identity.session_context`);
 * names that are data — API request parameters, cmdlet parameter names —
 * keep their spelling, so they match the vendor's API reference.
 */
import type { EcsValue, MamoriEvent } from '../core/event.js';
import { DROPPED_FIELDS, fieldName, flattenInto, jsonText, MAX_FIELDS, MAX_FLAT_DEPTH, type FlattenState } from './flatten.js';
import { isIp, isIpv4, isIpv6, parsePort } from './net.js';
import { ParseError } from './parser.js';
import { parseJsonLine } from './json-line.js';
import { isValidMs, parseIso } from './time.js';

export type JsonObject = { [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty string, else undefined. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** A nested object member, else undefined. */
export function objectOf(v: unknown): JsonObject | undefined {
  return isObject(v) ? v : undefined;
}


/** First character that is not blank or a BOM: only `{` and `[` can open a record. */
function opensJson(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 123 || c === 91) return true;
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10 && c !== 0xfeff) return false;
  }
  return false;
}

/** The single record of a delivery array, or a ParseError that says how to fix the input. */
function onlyRecord(list: unknown[], where: string): JsonObject {
  if (list.length === 0) throw new ParseError(`empty ${where}: no record`);
  if (list.length > 1) throw new ParseError(`${list.length} records in one ${where}: split them, one record per line`);
  const record = list[0];
  if (!isObject(record)) throw new ParseError(`${where} holds no JSON object`);
  return record;
}

/**
 * Decodes one line into a record. The services deliver records in batches
 * (CloudTrail `{"Records":[...]}`, Azure diagnostic settings / Event Hub
 * `{"records":[...]}`, Graph API `{"value":[...]}`, the Management Activity
 * API a bare array); the collector splits those into one record per line.
 * A batch of exactly one record is unwrapped; a batch of several is rejected
 * rather than reduced to its first record, so no record is lost unseen.
 */
export function readCloudRecord(line: string, wrappers: readonly string[]): JsonObject {
  if (!opensJson(line)) throw new ParseError('not a JSON object');
  const doc = parseJsonLine(line);
  if (Array.isArray(doc)) return onlyRecord(doc, 'JSON array');
  if (!isObject(doc)) throw new ParseError('not a JSON object');
  for (const key of wrappers) {
    const list = doc[key];
    if (Array.isArray(list)) return onlyRecord(list, `"${key}" array`);
  }
  return doc;
}

/** Epoch ms of an ISO 8601 member (no offset → `zone`); NaN when it is not one. */
export function isoTime(value: unknown, zone: string | undefined): number {
  if (typeof value !== 'string') return NaN;
  const ms = parseIso(value, zone);
  return isValidMs(ms) ? ms : NaN;
}

export interface Address {
  ip: string;
  port?: number;
}

/**
 * A client address as the services write it: `1.2.3.4`, `1.2.3.4:50000`,
 * `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:50000`; undefined when
 * it is none of these.
 */
export function addressOf(value: string): Address | undefined {
  if (isIp(value)) return { ip: value };
  if (value.charCodeAt(0) === 91) {
    const close = value.indexOf(']');
    if (close < 0) return undefined;
    const ip = value.slice(1, close);
    if (!isIpv6(ip)) return undefined;
    if (close === value.length - 1) return { ip };
    if (value.charCodeAt(close + 1) !== 58) return undefined;
    const port = parsePort(value.slice(close + 2));
    return port === undefined ? undefined : { ip, port };
  }
  const colon = value.lastIndexOf(':');
  if (colon < 0 || value.indexOf(':') !== colon) return undefined;
  const ip = value.slice(0, colon);
  const port = parsePort(value.slice(colon + 1));
  return isIpv4(ip) && port !== undefined ? { ip, port } : undefined;
}

/** Sets `source.ip` (and `source.port`) from a client address; false when it is not one. */
export function setSourceAddress(event: MamoriEvent, value: unknown): boolean {
  const s = text(value);
  const address = s === undefined ? undefined : addressOf(s);
  if (address === undefined) return false;
  event['source.ip'] = address.ip;
  if (address.port !== undefined) event['source.port'] = address.port;
  return true;
}

const SNAKE_CACHE_LIMIT = 4096;
const snakeCache = new Map<string, string>();

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/**
 * `sessionContext.sessionIssuer.userName` → `session_context.session_issuer.user_name`,
 * keeping acronyms together (`MFAUsed` → `mfa_used`, `ClientIP` → `client_ip`).
 * Cached: the same few hundred names come back on every record.
 */
export function snakeCase(path: string): string {
  let out = snakeCache.get(path);
  if (out !== undefined) return out;
  out = '';
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (isUpper(c)) {
      const prev = i > 0 ? path.charCodeAt(i - 1) : 46;
      // A capital starts a word after a lower-case letter or digit, and ends an acronym before one (`MFAUsed`).
      const wordStart = isLower(prev) || (prev >= 48 && prev <= 57) || (isUpper(prev) && isLower(path.charCodeAt(i + 1)));
      if (wordStart) out += '_';
      out += String.fromCharCode(c + 32);
    } else {
      out += path[i];
    }
  }
  if (snakeCache.size >= SNAKE_CACHE_LIMIT) snakeCache.clear();
  snakeCache.set(path, out);
  return out;
}

/** A fresh flattening budget for one record (shared by every helper that writes fields). */
export function newBudget(): FlattenState {
  return { fields: 0, dropped: 0 };
}

/** One vendor field, counted against the record's budget like flattened ones. */
export function setCounted(event: MamoriEvent, field: string, value: EcsValue, state: FlattenState): void {
  if (state.fields >= MAX_FIELDS) {
    state.dropped++;
    return;
  }
  state.fields++;
  event[field] = value;
}

/**
 * Flattens `obj` under `prefix` with snake_case names, leaving out the
 * top-level members in `skip` (those already mapped to ECS fields). Same
 * bounds and leaf rules as flatten.ts (its walker writes leaves), but names
 * are converted on the way: no intermediate object, this runs per record.
 */
export function flattenSnake(event: MamoriEvent, obj: JsonObject, prefix: string, state: FlattenState, skip?: ReadonlySet<string>, depth = 1): void {
  for (const key in obj) {
    if (skip !== undefined && skip.has(key)) continue;
    const value = obj[key];
    // Cached names: a new key string per store costs V8 a hash and a string-table lookup each time.
    const field = fieldName(prefix, snakeCase(key));
    if (typeof value !== 'object' || value === null) {
      setCounted(event, field, value as EcsValue, state);
    } else if (!Array.isArray(value) && depth < MAX_FLAT_DEPTH) {
      flattenSnake(event, value as JsonObject, fieldName(field, '.'), state, undefined, depth + 1);
    } else {
      // Arrays and structures past the depth limit: flatten.ts decides between keeping them and JSON text.
      flattenInto(event, { [field]: value }, '', state, undefined, depth);
    }
  }
}

/** Flattens `value` under `field` keeping the vendor's names (service payloads); scalars and arrays as they are. */
export function flattenAs(event: MamoriEvent, field: string, value: unknown, state: FlattenState): void {
  if (isObject(value)) flattenInto(event, value, fieldName(field, '.'), state);
  else if (value !== undefined) setCounted(event, field, leaf(value), state);
}

/** Keeps a member that did not fit its ECS field under `prefix` (snake_case name). */
export function keepUnmapped(event: MamoriEvent, record: JsonObject, key: string, prefix: string, state: FlattenState): void {
  const value = record[key];
  if (value !== undefined && value !== null && value !== '') flattenAs(event, fieldName(prefix, snakeCase(key)), value, state);
}

/** A string member into its ECS field (and returned); anything else is kept under `prefix`. */
export function mapText(event: MamoriEvent, field: string, record: JsonObject, key: string, prefix: string, state: FlattenState): string | undefined {
  const s = text(record[key]);
  if (s !== undefined) event[field] = s;
  else keepUnmapped(event, record, key, prefix, state);
  return s;
}

/** A value that is not an object, as an event value: arrays kept unless they hold structures, which become JSON text. */
function leaf(value: unknown): EcsValue {
  if (!Array.isArray(value)) return value as EcsValue;
  for (const item of value) if (typeof item === 'object' && item !== null) return jsonText(value);
  return value as EcsValue;
}

/**
 * Writes a `[{Name, Value}]` list (Exchange cmdlet parameters, extended
 * properties, Entra `additionalDetails`) as `prefix + name + suffix` for
 * each `[member, suffix]` of `values` (null members skipped). Names keep
 * their spelling; the first entry of a repeated name wins; non-string
 * values become JSON text. A
 * member that is not a list is kept as it is under the prefix itself.
 */
export function setNamedValues(
  event: MamoriEvent,
  list: unknown,
  nameKey: string,
  values: ReadonlyArray<readonly [string, string]>,
  prefix: string,
  state: FlattenState,
): void {
  if (!Array.isArray(list)) {
    if (list !== undefined && list !== null) flattenAs(event, prefix.slice(0, -1), list, state);
    return;
  }
  for (const entry of list) {
    if (state.fields >= MAX_FIELDS) {
      state.dropped++;
      continue;
    }
    if (!isObject(entry)) continue;
    const name = text(entry[nameKey]);
    if (name === undefined) continue;
    for (const [member, suffix] of values) {
      const value = entry[member];
      const field = prefix + name + suffix;
      if (value === undefined || value === null || event[field] !== undefined) continue;
      setCounted(event, field, typeof value === 'string' ? value : jsonText(value), state);
    }
  }
}

/** Reports the fields a record lost to the budget (event.original keeps them). */
export function reportDropped(event: MamoriEvent, state: FlattenState): void {
  if (state.dropped > 0) event[DROPPED_FIELDS] = state.dropped;
}
