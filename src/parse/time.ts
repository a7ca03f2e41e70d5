import { ParseError } from './parser.js';
import { parseUint } from './syslog.js';

/**
 * Timestamp parsing shared by every parser. All functions return epoch
 * milliseconds (NaN when the text is not a valid time) and never build a
 * Date or regex per call except where noted; lines arrive at 100k+/s.
 */

/** Latest time accepted (2100-01-01), the same bound the event store uses. */
const MAX_MS = 4_102_444_800_000;
const MINUTE = 60_000;
/** Offsets are cached per 15 minutes: every real zone changes offset on a quarter hour. */
const OFFSET_BUCKET = 15 * MINUTE;
const OFFSET_CACHE_LIMIT = 8192;

/**
 * Date.prototype.toISOString costs about a microsecond, more than parsing a
 * whole syslog header; log lines come in bursts within the same second, so
 * the "YYYY-MM-DDThh:mm:ss." part is cached per second (direct-mapped).
 */
// Prime, so events a round number of seconds apart do not evict one another.
const ISO_CACHE_SIZE = 61;
const isoSeconds = new Float64Array(ISO_CACHE_SIZE).fill(NaN);
const isoPrefixes: string[] = new Array<string>(ISO_CACHE_SIZE).fill('');

/** ISO 8601 in UTC with milliseconds, the only `@timestamp` format Mamori emits. */
export function isoFromMs(ms: number): string {
  if (!isValidMs(ms)) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  const slot = second % ISO_CACHE_SIZE;
  if (isoSeconds[slot] !== second) {
    isoSeconds[slot] = second;
    isoPrefixes[slot] = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const frac = Math.floor(ms - second * 1000);
  return isoPrefixes[slot] + (frac < 10 ? '00' : frac < 100 ? '0' : '') + frac + 'Z';
}

export function isValidMs(ms: number): boolean {
  return ms >= 0 && ms < MAX_MS;
}

interface ZoneInfo {
  format: Intl.DateTimeFormat;
  offsets: Map<number, number>;
}

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Z', 'utc']);
/** `null` marks a name Intl rejected, so a bad zone costs one failed lookup, not one per line. */
const zones = new Map<string, ZoneInfo | null>();

function zoneInfo(zone: string): ZoneInfo {
  let info = zones.get(zone);
  if (info === undefined) {
    try {
      const format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      info = { format, offsets: new Map() };
    } catch {
      info = null;
    }
    zones.set(zone, info);
  }
  if (info === null) throw new ParseError(`unknown time zone "${zone}"`);
  return info;
}

/** True when `zone` is UTC or an IANA name this runtime knows (for config validation). */
export function isValidTimeZone(zone: string): boolean {
  if (UTC_NAMES.has(zone)) return true;
  try {
    zoneInfo(zone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` from UTC (ms, east positive) at the instant `utcMs`. */
export function zoneOffset(zone: string | undefined, utcMs: number): number {
  if (zone === undefined || UTC_NAMES.has(zone)) return 0;
  const info = zoneInfo(zone);
  const bucket = Math.floor(utcMs / OFFSET_BUCKET);
  let offset = info.offsets.get(bucket);
  if (offset === undefined) {
    const at = bucket * OFFSET_BUCKET;
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    for (const part of info.format.formatToParts(at)) {
      switch (part.type) {
        case 'year': y = +part.value; break;
        case 'month': mo = +part.value; break;
        case 'day': d = +part.value; break;
        case 'hour': h = +part.value; break;
        case 'minute': mi = +part.value; break;
        case 'second': s = +part.value; break;
      }
    }
    offset = Date.UTC(y, mo - 1, d, h, mi, s) - at;
    if (info.offsets.size >= OFFSET_CACHE_LIMIT) info.offsets.clear();
    info.offsets.set(bucket, offset);
  }
  return offset;
}

/**
 * Converts a wall-clock time in `zone` (given as if it were UTC) to a real
 * instant. The second pass settles times next to a DST change.
 */
export function localToUtc(localMs: number, zone: string | undefined): number {
  if (zone === undefined || UTC_NAMES.has(zone)) return localMs;
  const first = zoneOffset(zone, localMs);
  const second = zoneOffset(zone, localMs - first);
  return localMs - second;
}

/** Two ASCII digits at `i` as a number, or -1. */
export function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Four ASCII digits at `i` as a number, or -1. */
export function digits4(s: string, i: number): number {
  const hi = digits2(s, i);
  const lo = digits2(s, i + 2);
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(year: number, month: number, day: number): boolean {
  if (month < 0 || month > 11 || day < 1 || day > DAYS_IN_MONTH[month]) return false;
  return month !== 1 || day < 29 || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
}

/** A time found inside a line: its instant and the index just after it. */
export interface TimeMatch {
  ms: number;
  end: number;
}

/**
 * Reads `hh:mm:ss[.fraction]` at `i`. Returns the milliseconds since
 * midnight and the end index, or undefined.
 */
function readClock(s: string, i: number): TimeMatch | undefined {
  const h = digits2(s, i);
  const m = digits2(s, i + 3);
  const sec = digits2(s, i + 6);
  if (h < 0 || m < 0 || sec < 0 || s.charCodeAt(i + 2) !== 58 || s.charCodeAt(i + 5) !== 58) return undefined;
  if (h > 23 || m > 59 || sec > 60) return undefined;
  let end = i + 8;
  let frac = 0;
  const sep = s.charCodeAt(end);
  if ((sep === 46 || sep === 44) && isDigit(s.charCodeAt(end + 1))) {
    end++;
    let scale = 100;
    while (isDigit(s.charCodeAt(end))) {
      frac += (s.charCodeAt(end) - 48) * scale;
      scale /= 10;
      end++;
    }
    frac = Math.floor(frac);
  }
  return { ms: ((h * 60 + m) * 60 + Math.min(sec, 59)) * 1000 + frac, end };
}

/**
 * Reads a UTC offset at `i`: `Z`, `±hh:mm`, `±hhmm` or `±hh`. Returns the
 * offset in ms and its end index; `end === i` when there is none.
 */
export function readOffset(s: string, i: number): TimeMatch | undefined {
  const c = s.charCodeAt(i);
  if (c === 90 || c === 122) return { ms: 0, end: i + 1 };
  if (c !== 43 && c !== 45) return { ms: 0, end: i };
  const h = digits2(s, i + 1);
  if (h < 0 || h > 18) return undefined;
  let end = i + 3;
  let m = 0;
  if (s.charCodeAt(end) === 58) {
    m = digits2(s, end + 1);
    if (m < 0) return undefined;
    end += 3;
  } else if (isDigit(s.charCodeAt(end))) {
    m = digits2(s, end);
    if (m < 0) return undefined;
    end += 2;
  }
  if (m > 59) return undefined;
  const offset = (h * 60 + m) * MINUTE;
  return { ms: c === 45 ? -offset : offset, end };
}

/**
 * Reads an ISO 8601 / RFC 3339 time at `i`: `YYYY-MM-DD[T| ]hh:mm:ss[.f][offset]`
 * (a bare date when `dateOnly` is allowed). Times without an offset are in `zone`.
 */
export function readIso(s: string, i: number, zone: string | undefined, dateOnly = false): TimeMatch | undefined {
  const year = digits4(s, i);
  const month = digits2(s, i + 5) - 1;
  const day = digits2(s, i + 8);
  if (year < 0 || s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45 || !validDate(year, month, day)) return undefined;
  const dateMs = Date.UTC(year, month, day);
  const sep = s.charCodeAt(i + 10);
  if (sep !== 84 && sep !== 116 && sep !== 32) {
    return dateOnly && Number.isNaN(sep) ? { ms: localToUtc(dateMs, zone), end: i + 10 } : undefined;
  }
  const clock = readClock(s, i + 11);
  if (!clock) return undefined;
  const offset = readOffset(s, clock.end);
  if (!offset) return undefined;
  const local = dateMs + clock.ms;
  const ms = offset.end === clock.end ? localToUtc(local, zone) : local - offset.ms;
  return isValidMs(ms) ? { ms, end: offset.end } : undefined;
}

/** A whole string as an ISO 8601 time (date only allowed); NaN otherwise. */
export function parseIso(s: string, zone: string | undefined): number {
  const t = readIso(s, 0, zone, true);
  return t && t.end === s.length ? t.ms : NaN;
}

/** Three-letter month names keyed by their lower-cased char codes. */
const MONTHS = new Map<number, number>(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, n) => [monthKey(m, 0), n]),
);

function monthKey(s: string, i: number): number {
  return ((s.charCodeAt(i) | 32) << 16) | ((s.charCodeAt(i + 1) | 32) << 8) | (s.charCodeAt(i + 2) | 32);
}

/** Lines dated further ahead than this are taken to be from the previous year. */
const FUTURE_TOLERANCE = 7 * 24 * 60 * MINUTE;

/**
 * Reads a BSD syslog time at `i`: `Mmm dd hh:mm:ss[.f]`, `Mmm  d ...` or
 * with a year `Mmm dd yyyy hh:mm:ss[.f]`. Without a year, the year is the
 * one of `received` in `zone`, moved back one year when that would put the
 * line more than a week in the future (December lines read in January).
 */
export function readBsd(s: string, i: number, received: number, zone: string | undefined): TimeMatch | undefined {
  const month = MONTHS.get(monthKey(s, i));
  if (month === undefined || s.charCodeAt(i + 3) !== 32) return undefined;
  let p = i + 4;
  if (s.charCodeAt(p) === 32) p++;
  let day = s.charCodeAt(p) - 48;
  if (day < 0 || day > 9) return undefined;
  p++;
  const c = s.charCodeAt(p) - 48;
  if (c >= 0 && c <= 9) {
    day = day * 10 + c;
    p++;
  }
  if (s.charCodeAt(p) !== 32) return undefined;
  p++;
  let year = -1;
  if (s.charCodeAt(p + 4) === 32) {
    year = digits4(s, p);
    if (year < 0) return undefined;
    p += 5;
  }
  const clock = readClock(s, p);
  if (!clock) return undefined;
  if (year >= 0) {
    const ms = wallClock(year, month, day, clock.ms, zone);
    return isValidMs(ms) ? { ms, end: clock.end } : undefined;
  }
  year = new Date(received + zoneOffset(zone, received)).getUTCFullYear();
  let ms = wallClock(year, month, day, clock.ms, zone);
  if (!(ms - received <= FUTURE_TOLERANCE)) ms = wallClock(year - 1, month, day, clock.ms, zone);
  return isValidMs(ms) ? { ms, end: clock.end } : undefined;
}

/** Instant of a wall-clock date and time in `zone`; NaN for an impossible date (Feb 29 of a common year). */
function wallClock(year: number, month: number, day: number, clockMs: number, zone: string | undefined): number {
  return validDate(year, month, day) ? localToUtc(Date.UTC(year, month, day) + clockMs, zone) : NaN;
}

/**
 * Epoch number to ms, guessing the unit from the magnitude: seconds (with
 * fractions) up to year 5138, then ms, µs and ns. NaN when out of range.
 */
export function epochToMs(n: number): number {
  if (!Number.isFinite(n) || n < 0) return NaN;
  const ms = n < 1e11 ? n * 1000 : n < 1e14 ? n : n < 1e17 ? n / 1e3 : n / 1e6;
  const whole = Math.floor(ms);
  return isValidMs(whole) ? whole : NaN;
}

/** A numeric string (digits with an optional fraction) as epoch ms; NaN otherwise. */
export function parseEpochText(s: string): number {
  if (s.length === 0 || s.length > 24) return NaN;
  let dot = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 && !dot && i > 0) dot = true;
    else if (!isDigit(c)) return NaN;
  }
  return epochToMs(Number(s));
}

/**
 * A time as devices write it in key/value fields: epoch (ms, or s), `MMM dd [yyyy] HH:mm:ss[.SSS] [zone]` or
 * ISO 8601. The zone may be an offset, UTC/GMT or an IANA name; NaN when
 * the text is none of these.
 */
export function parseVendorTime(value: string, ctx: { received: number; timezone?: string }): number {
  const epoch = parseUint(value, Number.MAX_SAFE_INTEGER);
  if (epoch !== undefined) return epochToMs(epoch);
  const first = value.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    const iso = readIso(value, 0, ctx.timezone);
    return iso && iso.end === value.length ? iso.ms : NaN;
  }
  const local = readBsd(value, 0, ctx.received, ctx.timezone);
  if (!local) return NaN;
  if (local.end === value.length) return local.ms;
  if (value.charCodeAt(local.end) !== 32) return NaN;
  const zone = value.slice(local.end + 1);
  const offset = readOffset(zone, 0);
  if (offset && offset.end === zone.length && offset.end > 0) {
    const utc = readBsd(value, 0, ctx.received, 'UTC');
    return utc ? utc.ms - offset.ms : NaN;
  }
  if (!isValidTimeZone(zone)) return NaN;
  const zoned = readBsd(value, 0, ctx.received, zone);
  return zoned ? zoned.ms : NaN;
}
