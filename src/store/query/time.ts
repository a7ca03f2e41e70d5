import { MamoriError } from '../../core/errors.js';
import { quote } from './query-error.js';

/**
 * Time arguments shared by the search language, the CLI (`--since 1h`,
 * `--histogram 5m`) and the API (`from` / `to`). All results are
 * milliseconds since the epoch (UTC).
 */

/** Latest instant a `DateTime64(3)` column holds: 2299-12-31T23:59:59.999Z. */
export const MAX_TIME_MS = 10_413_791_999_999;

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION = /^(\d{1,15})(ms|s|m|h|d|w)$/;
const RELATIVE = /^now(?:([+-])(\d{1,15}(?:ms|s|m|h|d|w)))?$/i;
const EPOCH_MS = /^\d{1,16}$/;
/** ISO 8601 date, optionally with time (`T` or space), fraction and zone; no zone means UTC. */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** A positive duration such as `5m`, in milliseconds, or undefined when `text` is not one. */
export function tryParseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  return ms > 0 && ms <= MAX_TIME_MS ? ms : undefined;
}

/** A positive duration such as `5m`, `1h`, `7d`, `2w`, `500ms`, in milliseconds. */
export function parseDuration(text: string): number {
  const ms = tryParseDuration(text.trim());
  if (ms === undefined) {
    throw new MamoriError(
      'MAMORI_E_INVALID',
      `invalid duration ${quote(text)}: expected a positive number followed by ms, s, m, h, d or w (for example 5m)`,
    );
  }
  return ms;
}

/**
 * A point in time, or undefined when `text` is not one. Accepts ISO 8601
 * (`2024-05-01`, `2024-05-01T10:00:00Z`, `2024-05-01 10:00:00.123+09:00`),
 * epoch milliseconds (`1714557600000`), `now`, `now-15m` / `now+1h`, and a
 * bare duration (`1h`) meaning that long before `now`.
 */
export function tryParseTime(text: string, now: number): number | undefined {
  let ms: number | undefined;
  if (EPOCH_MS.test(text)) {
    ms = Number(text);
  } else if (DURATION.test(text)) {
    const d = tryParseDuration(text);
    ms = d === undefined ? undefined : now - d;
  } else {
    const rel = RELATIVE.exec(text);
    if (rel) {
      const d = rel[2] === undefined ? 0 : tryParseDuration(rel[2].toLowerCase());
      ms = d === undefined ? undefined : rel[1] === '+' ? now + d : now - d;
    } else {
      ms = parseIso(text);
    }
  }
  return ms !== undefined && Number.isInteger(ms) && ms >= 0 && ms <= MAX_TIME_MS ? ms : undefined;
}

/** Like {@link tryParseTime}; throws MAMORI_E_INVALID with the accepted forms. */
export function parseTimeArg(text: string, now: number): number {
  const ms = tryParseTime(text.trim(), now);
  if (ms === undefined) {
    throw new MamoriError(
      'MAMORI_E_INVALID',
      `invalid time ${quote(text)}: expected ISO 8601 (2024-05-01T10:00:00Z), epoch milliseconds, now, now-15m or a duration such as 1h (meaning 1h ago), between 1970 and 2299`,
    );
  }
  return ms;
}

/** True when `text` is a date without a time of day (`2024-05-01`), which denotes the whole day. */
export function isDateOnly(text: string): boolean {
  return text.length === 10 && ISO.test(text);
}

function parseIso(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const milli = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, milli);
  // Date.UTC rolls 31 April over to 1 May; a round trip catches impossible days.
  if (new Date(local).getUTCDate() !== day) return undefined;
  const offset = m[8] === undefined ? 0 : zoneOffsetMs(m[8]);
  return offset === undefined ? undefined : local - offset;
}

function zoneOffsetMs(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}
