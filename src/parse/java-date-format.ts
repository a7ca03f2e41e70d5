/**
 * Times written with a Java `SimpleDateFormat` pattern that the log itself
 * names (LEEF `devTimeFormat`, some vendor exports). Patterns are compiled
 * once and cached, so the per-line cost is one forward pass over the value.
 * Supported letters: y M d H h m s S a E z Z X and quoted literals; a pattern
 * with any other letter is not supported (the caller keeps the raw text).
 */
import { localToUtc, readOffset } from './time.js';

type Part =
  | { kind: 'year' | 'month' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'fraction'; width: number }
  | { kind: 'month-name' | 'day-name' | 'ampm' | 'zone' }
  | { kind: 'literal'; text: string };

const CACHE_LIMIT = 64;
/** `null` marks a pattern that cannot be compiled, so it costs one failed compilation. */
const compiled = new Map<string, Part[] | null>();

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const NUMERIC: Record<string, Part['kind']> = { y: 'year', M: 'month', d: 'day', H: 'hour', h: 'hour12', m: 'minute', s: 'second', S: 'fraction' };
const UTC_NAMES = new Set(['UTC', 'GMT', 'Z']);

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function compile(pattern: string): Part[] | null {
  const parts: Part[] = [];
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i];
    if (ch === "'") {
      const close = pattern.indexOf("'", i + 1);
      if (close < 0) return null;
      // '' is a literal quote.
      parts.push({ kind: 'literal', text: close === i + 1 ? "'" : pattern.slice(i + 1, close) });
      i = close + 1;
      continue;
    }
    if (!isLetter(pattern.charCodeAt(i))) {
      parts.push({ kind: 'literal', text: ch });
      i++;
      continue;
    }
    let run = 1;
    while (pattern[i + run] === ch) run++;
    i += run;
    const numeric = NUMERIC[ch];
    if (ch === 'M' && run >= 3) parts.push({ kind: 'month-name' });
    else if (numeric) parts.push({ kind: numeric, width: run } as Part);
    else if (ch === 'E') parts.push({ kind: 'day-name' });
    else if (ch === 'a') parts.push({ kind: 'ampm' });
    else if (ch === 'z' || ch === 'Z' || ch === 'X') parts.push({ kind: 'zone' });
    else return null;
  }
  return parts;
}

function partsOf(pattern: string): Part[] | null {
  let parts = compiled.get(pattern);
  if (parts === undefined) {
    parts = pattern.length > 64 ? null : compile(pattern);
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(pattern, parts);
  }
  return parts;
}

/**
 * Epoch ms of `value` written with `pattern`; NaN when it does not match.
 * A value with no zone is read in `zone` (IANA name, default UTC).
 */
export function parseJavaDate(value: string, pattern: string, zone: string | undefined): number {
  const parts = partsOf(pattern);
  if (!parts) return NaN;
  let year = 1970, month = 0, day = 1, hour = 0, minute = 0, second = 0, ms = 0;
  let pm: boolean | undefined;
  let offset: number | undefined;
  let i = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    switch (part.kind) {
      case 'literal':
        if (!value.startsWith(part.text, i)) return NaN;
        i += part.text.length;
        break;
      case 'month-name':
      case 'day-name': {
        const start = i;
        while (i < value.length && isLetter(value.charCodeAt(i))) i++;
        if (i - start < 3) return NaN;
        if (part.kind === 'month-name') {
          month = MONTHS.indexOf(value.slice(start, start + 3).toLowerCase());
          if (month < 0) return NaN;
        }
        break;
      }
      case 'ampm': {
        const word = value.slice(i, i + 2).toUpperCase();
        if (word !== 'AM' && word !== 'PM') return NaN;
        pm = word === 'PM';
        i += 2;
        break;
      }
      case 'zone': {
        const off = readOffset(value, i);
        if (off && off.end > i) {
          offset = off.ms;
          i = off.end;
        } else if (UTC_NAMES.has(value.slice(i, i + 3))) {
          offset = 0;
          i += 3;
        } else {
          return NaN;
        }
        break;
      }
      default: {
        // A field followed directly by another number has exactly its pattern width (yyyyMMdd).
        const next = parts[p + 1];
        const fixed = part.width > 1 && next !== undefined && next.kind !== 'literal' && next.kind !== 'zone' && next.kind !== 'ampm';
        const max = fixed ? part.width : part.kind === 'year' ? 4 : part.kind === 'fraction' ? 9 : 2;
        const start = i;
        let n = 0;
        while (i - start < max) {
          const d = value.charCodeAt(i) - 48;
          if (d < 0 || d > 9) break;
          n = n * 10 + d;
          i++;
        }
        const digits = i - start;
        if (digits === 0 || (fixed && digits !== max)) return NaN;
        switch (part.kind) {
          case 'year': year = digits <= 2 ? 2000 + n : n; break;
          case 'month': month = n - 1; break;
          case 'day': day = n; break;
          case 'hour': hour = n; break;
          case 'hour12': hour = n % 12; break;
          case 'minute': minute = n; break;
          case 'second': second = n; break;
          case 'fraction': ms = Math.floor(n / 10 ** Math.max(0, digits - 3)) * 10 ** Math.max(0, 3 - digits); break;
        }
      }
    }
  }
  if (i !== value.length) return NaN;
  if (pm === true) hour += 12;
  if (month < 0 || month > 11 || hour > 23 || minute > 59 || second > 59) return NaN;
  const local = Date.UTC(year, month, day, hour, minute, second, ms);
  // Date.UTC rolls day 31 of a 30-day month over; a real date keeps its day.
  if (new Date(local).getUTCDate() !== day) return NaN;
  return offset === undefined ? localToUtc(local, zone) : local - offset;
}
