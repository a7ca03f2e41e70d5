/**
 * What the four Windows event shapes (evtx-dump JSON, Winlogbeat JSON,
 * NXLog JSON, EVTX XML) have in common once read: the System header as
 * plain values, and the event data written straight into the event under
 * `winlog.event_data.*` / `winlog.user_data.*`. Every shape reader fills
 * these, and one function turns them into fields, so a Sigma rule sees the
 * same event whatever shape it arrived in.
 */
import type { EcsValue, MamoriEvent } from '../core/event.js';
import { DROPPED_FIELDS, jsonText, MAX_FIELDS } from './flatten.js';
import { parseUint } from './syslog.js';

export interface WinHeader {
  eventId?: string;
  provider?: string;
  providerGuid?: string;
  channel?: string;
  computer?: string;
  recordId?: string;
  /** Security UserID (a SID). */
  userId?: string;
  activityId?: string;
  relatedActivityId?: string;
  /** Task and opcode: the rendered name when the shape carries one, else the number as text. */
  task?: string;
  opcode?: string;
  version?: number;
  pid?: number;
  tid?: number;
  /** `log.level` name. */
  level?: string;
  /** Names of the standard keyword bits set. */
  keywords?: string[];
  /** Event time in epoch ms, NaN when the shape had none. */
  time: number;
  message?: string;
}

export const EVENT_DATA = 'winlog.event_data.';
export const USER_DATA = 'winlog.user_data.';
/** The name evtx-dump and Windows itself give `<Data>` items without a Name attribute. */
export const UNNAMED_DATA = 'Data';

/**
 * Field names by data name, per prefix. The same few hundred names come
 * again and again; reusing one string saves building and hashing a new key
 * per item (a fifth of the parse time without it). Bounded against hostile
 * streams of unique names.
 */
const FIELD_NAME_CACHE_LIMIT = 4096;
const fieldNames = new Map<string, Map<string, string>>([[EVENT_DATA, new Map()], [USER_DATA, new Map()]]);

function fieldName(prefix: string, name: string): string {
  const cache = fieldNames.get(prefix) as Map<string, string>;
  let field = cache.get(name);
  if (field === undefined) {
    if (cache.size >= FIELD_NAME_CACHE_LIMIT) cache.clear();
    field = prefix + name;
    cache.set(name, field);
  }
  return field;
}

/**
 * Collects event data into the event, bounded by MAX_FIELDS like the json
 * parser, and keeps the scalar values by name for the ECS mapping (event
 * data first: a user data item never shadows an event data item).
 */
export class DataWriter {
  readonly values = new Map<string, string>();
  private fields = 0;
  private dropped = 0;

  constructor(private readonly event: MamoriEvent) {}

  eventData(name: string, value: unknown): void {
    this.put(EVENT_DATA, name, value);
  }

  userData(name: string, value: unknown): void {
    this.put(USER_DATA, name, value);
  }

  /** Writes `mamori.dropped_fields` when items were dropped. */
  finish(): void {
    if (this.dropped > 0) this.event[DROPPED_FIELDS] = this.dropped;
  }

  private put(prefix: string, name: string, value: unknown): void {
    if (this.fields >= MAX_FIELDS) {
      this.dropped++;
      return;
    }
    this.fields++;
    const converted = dataValue(value);
    this.event[fieldName(prefix, name)] = converted;
    if (typeof converted === 'string' && !this.values.has(name)) this.values.set(name, converted);
  }
}

/**
 * Event data as text, the way Windows holds it: scalars as strings, a
 * missing value as "", a list (several unnamed `<Data>`) as a list of
 * strings, `{"#text": ...}` as its text, any other structure as JSON text.
 */
export function dataValue(value: unknown): EcsValue {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const item of value) {
      if (item !== null && typeof item === 'object') return jsonText(value);
      out.push(item === null || item === undefined ? '' : String(item));
    }
    return out;
  }
  const inner = (value as Record<string, unknown>)['#text'];
  if (inner !== undefined && (inner === null || typeof inner !== 'object')) return dataValue(inner);
  return jsonText(value);
}

/** A string, or a finite number as text; undefined for anything else and for "". */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A non-negative integer from a number or decimal text. */
export function uint(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  return typeof value === 'string' ? parseUint(value, Number.MAX_SAFE_INTEGER) : undefined;
}

/** An event id (0..65535) as text, the form `event.code` and Sigma use. */
export function eventIdText(value: unknown): string | undefined {
  const n = uint(value);
  return n !== undefined && n <= 65535 ? String(n) : undefined;
}

export function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
}

/** `log.level` by Windows level number (0, LogAlways, is shown as Information by Windows). */
const LEVELS = ['information', 'critical', 'error', 'warning', 'information', 'verbose'];

export function levelFromCode(value: unknown): string | undefined {
  const n = uint(value);
  return n !== undefined && n < LEVELS.length ? LEVELS[n] : undefined;
}

/** `log.level` from a rendered level name ("Information", "Warning", ...), lower case. */
export function levelFromName(value: unknown): string | undefined {
  const name = text(value)?.toLowerCase();
  return name === 'informational' || name === 'info' ? 'information' : name;
}

/**
 * Standard keyword bits 48..55 (winmeta.xml) by position, low to high, as
 * Windows renders them. The other bits are provider or channel specific and
 * have no name without the provider's manifest.
 */
const KEYWORD_NAMES = ['Response Time', 'WDI Context', 'WDI Diagnostic', 'SQM', 'Audit Failure', 'Audit Success', 'Correlation Hint', 'Classic'];

function keywordNames(byte: number): string[] | undefined {
  if (!(byte > 0)) return undefined;
  const names: string[] = [];
  for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) names.push(KEYWORD_NAMES[bit]);
  return names;
}

/** Names from a keyword mask written as hex (`0x8020000000000000`). */
export function keywordsFromHex(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const digits = value.startsWith('0x') || value.startsWith('0X') ? value.slice(2) : value;
  if (digits.length === 0 || digits.length > 16) return undefined;
  for (let i = 0; i < digits.length; i++) if (!isHexDigit(digits.charCodeAt(i))) return undefined;
  // Bits 48..55 are the second byte from the top of the 16-digit mask.
  const at = digits.length - 14;
  if (at <= -2) return undefined;
  return keywordNames(parseInt(digits.slice(Math.max(at, 0), at + 2), 16));
}

const DECIMAL_MASK = /^-?\d{1,20}$/;

/** Names from a keyword mask written as a (signed or unsigned) decimal 64-bit integer, as NXLog does. */
export function keywordsFromDecimal(value: unknown): string[] | undefined {
  let mask: bigint;
  try {
    if (typeof value === 'number' && Number.isInteger(value)) mask = BigInt(value);
    else if (typeof value === 'string' && DECIMAL_MASK.test(value)) mask = BigInt(value);
    else return undefined;
  } catch {
    return undefined;
  }
  return keywordNames(Number((BigInt.asUintN(64, mask) >> 48n) & 0xffn));
}
