/**
 * Zeek's ASCII writer (TSV): tab-separated columns, `-` for an unset
 * value, `(empty)` for an empty set, vector or string, `,` between set
 * members, and `\xHH` escapes for the separators and non-printable bytes.
 * A row is converted to the record Zeek's JSON writer would have written
 * for it, so both formats share one mapping.
 */
import type { EcsValue, MamoriEvent } from '../core/event.js';
import { isIp } from './net.js';
import { ParseError } from './parser.js';
import { describeLayouts, LAYOUTS_BY_WIDTH, type ColumnType, type Layout } from './zeek-layouts.js';

const TAB = 9;
const BACKSLASH = 92;
const UNSET = '-';
const EMPTY = '(empty)';
/** Marks a column whose text does not have its type's shape. */
const MISFIT = Symbol('misfit');
const decoder = new TextDecoder();

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** Undoes `\xHH` and `\\`; escaped bytes are decoded as UTF-8 (invalid sequences become U+FFFD). */
export function unescapeZeek(text: string): string {
  if (text.indexOf('\\') < 0) return text;
  const bytes = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === BACKSLASH && bytes[i + 1] === 120 /* x */) {
      const hi = hexValue(bytes[i + 2] ?? 0);
      const lo = hexValue(bytes[i + 3] ?? 0);
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 3;
        continue;
      }
    } else if (b === BACKSLASH && bytes[i + 1] === BACKSLASH) {
      out[n++] = BACKSLASH;
      i++;
      continue;
    }
    out[n++] = b;
  }
  return decoder.decode(out.subarray(0, n));
}

function isDigits(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `[-]digits[.digits]`, the way Zeek prints times, intervals and doubles. */
function isDecimal(s: string): boolean {
  const start = s.charCodeAt(0) === 45 ? 1 : 0;
  const dot = s.indexOf('.');
  if (dot < 0) return isDigits(s, start, s.length);
  return isDigits(s, start, dot) && isDigits(s, dot + 1, s.length);
}

/** Zeek connection (`C...`) and file (`F...`) ids: the letter, then base62. */
function isZeekId(s: string, letter: number): boolean {
  if (s.length < 3 || s.length > 24 || s.charCodeAt(0) !== letter) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  }
  return true;
}

const TRANSPORTS = new Set(['tcp', 'udp', 'icmp', 'unknown_transport']);

/** Zeek's SSL::version_strings (`TLSv12`, `SSLv3`, `DTLSv10`, `TLSv13-draft23`) or its `unknown-NNN`. */
function isTlsVersion(text: string): boolean {
  return text.startsWith('TLSv') || text.startsWith('SSLv') || text.startsWith('DTLSv') || text.startsWith('unknown-');
}

/** A column's value as Zeek's JSON writer would write it; undefined when unset, MISFIT when the text does not fit `type`. */
function columnValue(type: ColumnType, text: string): EcsValue | undefined | typeof MISFIT {
  if (text === UNSET) return undefined;
  if (text === EMPTY) {
    if (type === 'list' || type === 'numlist') return [];
    return type === 'string' ? '' : MISFIT;
  }
  switch (type) {
    case 'time':
    case 'double':
      return isDecimal(text) ? Number(text) : MISFIT;
    case 'count':
      return text.length <= 20 && isDigits(text, 0, text.length) ? Number(text) : MISFIT;
    case 'port': {
      if (text.length > 5 || !isDigits(text, 0, text.length)) return MISFIT;
      const port = Number(text);
      return port <= 65535 ? port : MISFIT;
    }
    case 'bool':
      return text === 'T' ? true : text === 'F' ? false : MISFIT;
    case 'uid':
      return isZeekId(text, 67) ? text : MISFIT;
    case 'fuid':
      return isZeekId(text, 70) ? text : MISFIT;
    case 'addr': {
      const ip = unescapeZeek(text);
      return isIp(ip) ? ip : MISFIT;
    }
    case 'proto':
      return TRANSPORTS.has(text) ? text : MISFIT;
    case 'tlsversion':
      return isTlsVersion(text) ? text : MISFIT;
    case 'list':
      return text.split(',').map(unescapeZeek);
    case 'numlist': {
      const items = text.split(',');
      const numbers: number[] = [];
      for (const item of items) {
        if (!isDecimal(item)) return MISFIT;
        numbers.push(Number(item));
      }
      return numbers;
    }
    case 'string':
      return unescapeZeek(text);
  }
}

/** The record for `columns` under `layout`, or undefined when a column does not fit. */
function recordFor(layout: Layout, columns: readonly string[]): MamoriEvent | undefined {
  const record: MamoriEvent = {};
  for (let i = 0; i < columns.length; i++) {
    const value = columnValue(layout.types[i], columns[i]);
    if (value === MISFIT) return undefined;
    if (value !== undefined) record[layout.names[i]] = value;
  }
  return record;
}

export interface TsvRow {
  path: string;
  record: MamoriEvent;
}

/**
 * Reads one data line of a Zeek TSV log and names its log from the column
 * count and value shapes. Throws ParseError when no known layout fits or
 * when several do.
 */
export function readTsvRow(line: string): TsvRow {
  let end = line.length;
  if (line.charCodeAt(end - 1) === 13) end--;
  if (line.indexOf('\t') < 0) throw new ParseError('not a Zeek log line: no JSON object and no tab-separated columns');
  const columns = (end === line.length ? line : line.slice(0, end)).split('\t');
  const layouts = LAYOUTS_BY_WIDTH.get(columns.length);
  if (layouts === undefined) {
    throw new ParseError(`no known Zeek TSV log has ${columns.length} columns (known: ${describeLayouts()})`);
  }
  const fits: TsvRow[] = [];
  for (const layout of layouts) {
    const record = recordFor(layout, columns);
    if (record !== undefined && !fits.some((f) => f.path === layout.path)) fits.push({ path: layout.path, record });
  }
  if (fits.length === 1) return fits[0];
  const candidates = layouts.map((l) => l.path).filter((p, i, all) => all.indexOf(p) === i).join(', ');
  if (fits.length === 0) throw new ParseError(`Zeek TSV line with ${columns.length} columns fits none of: ${candidates}`);
  throw new ParseError(`ambiguous Zeek TSV line with ${columns.length} columns: fits ${fits.map((f) => f.path).join(', ')}`);
}

/** True when `line` starts like a TSV data row: an epoch time with microseconds and a tab. */
export function looksLikeTsvRow(line: string): boolean {
  return line.charCodeAt(10) === 46 && line.charCodeAt(17) === TAB && isDigits(line, 0, 10) && isDigits(line, 11, 17);
}
