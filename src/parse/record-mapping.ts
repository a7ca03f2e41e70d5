/**
 * Mapping of decoded, flattened records (JSON logs such as Zeek and
 * Suricata EVE, or Zeek TSV rows converted to the same shape) to ECS
 * fields. It is the typed-value counterpart of mapping.ts, which maps text
 * key/value pairs: a table says where a vendor key goes and how its value
 * is checked; a value that does not fit stays under the vendor's prefix.
 */
import type { EcsValue, MamoriEvent } from '../core/event.js';
import { fieldName } from './flatten.js';
import { isIp } from './net.js';
import type { ParseContext } from './parser.js';
import { epochToMs, isoFromMs, isValidMs, parseEpochText, parseIso } from './time.js';

/**
 * Writes one vendor value into `event`; false when the value does not fit
 * (the caller then keeps it under the vendor prefix).
 */
export type ValueSetter = (event: MamoriEvent, value: EcsValue, ctx: ParseContext) => boolean;

export type SetterTable = ReadonlyMap<string, ValueSetter>;

export function setterTable(rows: ReadonlyArray<readonly [string | readonly string[], ValueSetter]>): SetterTable {
  const table = new Map<string, ValueSetter>();
  for (const [keys, setter] of rows) {
    for (const key of typeof keys === 'string' ? [keys] : keys) table.set(key, setter);
  }
  return table;
}

/** A whole number in 0..MAX_SAFE_INTEGER from a JSON number or digit string. */
export function uintOf(value: EcsValue): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 15) return undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(value);
}

/** A time as JSON logs write it: epoch number / numeric text (s, ms, µs, ns) or ISO 8601 (no offset → source zone). */
export function timeOf(value: EcsValue, zone: string | undefined): number {
  if (typeof value === 'number') return epochToMs(value);
  if (typeof value !== 'string') return NaN;
  const epoch = parseEpochText(value);
  return Number.isNaN(epoch) ? parseIso(value, zone) : epoch;
}

/** Non-empty strings of a string or an array of strings (other members skipped); undefined when none. */
export function stringsOf(value: EcsValue): string[] | undefined {
  if (typeof value === 'string') return value.length > 0 ? [value] : undefined;
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const v of value) if (typeof v === 'string' && v.length > 0) out.push(v);
  return out.length > 0 ? out : undefined;
}

/** Setter factories for the value kinds ECS columns need. */
export const to = {
  string(field: string): ValueSetter {
    return (event, value) => {
      if (typeof value !== 'string' || value.length === 0) return false;
      event[field] = value;
      return true;
    };
  },
  /** Strings and numbers, stored as text (ECS keyword fields such as `rule.id`). */
  keyword(field: string): ValueSetter {
    return (event, value) => {
      if (typeof value === 'number' && Number.isFinite(value)) event[field] = String(value);
      else if (typeof value === 'string' && value.length > 0) event[field] = value;
      else return false;
      return true;
    };
  },
  lower(field: string): ValueSetter {
    return (event, value) => {
      if (typeof value !== 'string' || value.length === 0) return false;
      event[field] = value.toLowerCase();
      return true;
    };
  },
  ip(field: string): ValueSetter {
    return (event, value) => {
      if (typeof value !== 'string' || !isIp(value)) return false;
      event[field] = value;
      return true;
    };
  },
  port(field: string): ValueSetter {
    return (event, value) => {
      const port = uintOf(value);
      if (port === undefined || port > 65535) return false;
      event[field] = port;
      return true;
    };
  },
  uint(field: string): ValueSetter {
    return (event, value) => {
      const n = uintOf(value);
      if (n === undefined) return false;
      event[field] = n;
      return true;
    };
  },
  bool(field: string): ValueSetter {
    return (event, value) => {
      if (typeof value !== 'boolean') return false;
      event[field] = value;
      return true;
    };
  },
  /** A time (epoch or ISO) as an ISO string in UTC with ms. */
  time(field: string): ValueSetter {
    return (event, value, ctx) => {
      const ms = timeOf(value, ctx.timezone);
      if (!isValidMs(ms)) return false;
      event[field] = isoFromMs(ms);
      return true;
    };
  },
  /** Seconds (with fractions) as nanoseconds, the unit of `event.duration`. */
  secondsAsNs(field: string): ValueSetter {
    return (event, value) => {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return false;
      event[field] = Math.round(value * 1e9);
      return true;
    };
  },
  /** A string or list of strings, always stored as an array. */
  strings(field: string): ValueSetter {
    return (event, value) => {
      const list = stringsOf(value);
      if (list === undefined) return false;
      event[field] = list;
      return true;
    };
  },
  /** Consumes the value without storing it (it is represented elsewhere, e.g. the dataset). */
  drop(): ValueSetter {
    return () => true;
  },
} as const;

/** Tries each setter in turn; the first one that accepts the value wins. */
export function firstOf(...setters: ValueSetter[]): ValueSetter {
  return (event, value, ctx) => {
    for (const setter of setters) if (setter(event, value, ctx)) return true;
    return false;
  };
}

/** Runs every setter (a value that feeds several ECS fields); true when any accepted it. */
export function allOf(...setters: ValueSetter[]): ValueSetter {
  return (event, value, ctx) => {
    let any = false;
    for (const setter of setters) if (setter(event, value, ctx)) any = true;
    return any;
  };
}

/**
 * Maps every member of a flat record: through the first table that knows
 * its key, else (or when the value does not fit) under `prefix + key`.
 * `null` members (JSON writers' "unset") are skipped.
 */
export function mapRecord(
  event: MamoriEvent,
  record: MamoriEvent,
  tables: readonly SetterTable[],
  prefix: string,
  ctx: ParseContext,
): void {
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = record[key];
    if (value === undefined || value === null) continue;
    let done = false;
    for (const table of tables) {
      const setter = table.get(key);
      if (setter !== undefined) {
        done = setter(event, value, ctx);
        break;
      }
    }
    if (!done) event[fieldName(prefix, key)] = value;
  }
}
