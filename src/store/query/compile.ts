import { sqlDateTime64, sqlNumber, sqlString } from '../sql-literal.js';
import type { PatternPart, QueryNode, QueryValue, RangeBound } from './ast.js';
import { ATTR_KEYS_SQL, resolveField, type FieldRef } from './fields.js';
import { formatIp, parseCidr, parseIp, type Ipv6Groups } from './ip.js';
import { parseQuery } from './parser.js';
import { queryError, quote } from './query-error.js';
import { isDateOnly, tryParseTime } from './time.js';

export interface CompileOptions {
  /** The instant `now` in relative times (`@timestamp>now-1h`); defaults to the current time. */
  now?: number;
}

/**
 * Compiles query text to a ClickHouse boolean expression over the `events`
 * table, to be AND-ed into a WHERE clause; `1` for the empty query. Throws
 * MAMORI_E_QUERY (with the column) for syntax errors and for values that do
 * not fit their field (`source.port:abc`).
 */
export function compileQuery(text: string, options: CompileOptions = {}): string {
  return compileNode(parseQuery(text), options);
}

/**
 * Compiles a parsed query; see {@link compileQuery}. Recursion follows the
 * tree, so a hand-built tree should respect MAX_QUERY_DEPTH as parsed ones do.
 */
export function compileNode(node: QueryNode, options: CompileOptions = {}): string {
  return compile(node, options.now ?? Date.now()).sql;
}

/**
 * SQL plus whether it can be NULL. Comparisons on Nullable columns are NULL
 * for rows without the field; WHERE treats that as false, but NOT NULL is
 * still NULL, so `NOT source.ip:10.0.0.0/8` would wrongly drop rows without
 * a source address. Negation therefore maps NULL to false first.
 */
interface Sql {
  sql: string;
  nullable: boolean;
}

const TRUE: Sql = { sql: '1', nullable: false };
const FALSE: Sql = { sql: '0', nullable: false };
const DAY_MS = 86_400_000;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const FREE_TEXT = resolveField('event.original').sql;

function compile(node: QueryNode, now: number): Sql {
  switch (node.type) {
    case 'and':
    case 'or': {
      if (node.children.length === 0) return node.type === 'and' ? TRUE : FALSE;
      const parts = node.children.map((child) => compile(child, now));
      if (parts.length === 1) return parts[0];
      return {
        sql: `(${parts.map((p) => p.sql).join(node.type === 'and' ? ' AND ' : ' OR ')})`,
        nullable: parts.some((p) => p.nullable),
      };
    }
    case 'not': {
      const child = compile(node.child, now);
      return { sql: child.nullable ? `NOT ifNull(${child.sql}, 0)` : `NOT (${child.sql})`, nullable: false };
    }
    case 'text':
      return {
        sql: node.value.pattern
          ? `${FREE_TEXT} ILIKE ${sqlString(likePattern(node.value.pattern, true))}`
          : `positionCaseInsensitiveUTF8(${FREE_TEXT}, ${sqlString(node.value.text)}) > 0`,
        nullable: false,
      };
    case 'term':
      return compileTerm(resolveField(node.field), node.value, now);
    case 'exists':
      return compileExists(resolveField(node.field));
    case 'range':
      return compileRange(resolveField(node.field), node.lower, node.upper, node.offset, now);
  }
}

function compileExists(ref: FieldRef): Sql {
  switch (ref.kind) {
    case 'string':
      return { sql: `${ref.sql} != ''`, nullable: false };
    case 'array':
      return { sql: `notEmpty(${ref.sql})`, nullable: false };
    case 'number':
    case 'ip':
      return { sql: `isNotNull(${ref.sql})`, nullable: false };
    case 'time':
      // Time columns are not Nullable; a missing time is stored as the epoch.
      return { sql: `${ref.sql} != 0`, nullable: false };
    case 'attr':
      return { sql: `has(${ATTR_KEYS_SQL}, ${sqlString(ref.field)})`, nullable: false };
  }
}

function compileTerm(ref: FieldRef, value: QueryValue, now: number): Sql {
  if (value.pattern) return compileWildcard(ref, value.pattern);
  switch (ref.kind) {
    case 'string':
    case 'attr':
      return { sql: `${ref.sql} = ${sqlString(value.text)}`, nullable: false };
    case 'array':
      return { sql: `has(${ref.sql}, ${sqlString(value.text)})`, nullable: false };
    case 'number':
      return { sql: `${ref.sql} = ${sqlNumber(expectNumber(ref, value))}`, nullable: true };
    case 'ip':
      return compileIpTerm(ref, value);
    case 'time': {
      const ms = expectTime(ref, value, now);
      // A date alone means that whole (UTC) day, which is what an analyst typing @timestamp:2024-05-01 wants.
      if (isDateOnly(value.text)) return { sql: timeBetween(ref, ms, ms + DAY_MS), nullable: false };
      return { sql: `${ref.sql} = ${sqlDateTime64(ms)}`, nullable: false };
    }
  }
}

function timeBetween(ref: FieldRef, from: number, to: number): string {
  return `(${ref.sql} >= ${sqlDateTime64(from)} AND ${ref.sql} < ${sqlDateTime64(to)})`;
}

/** Wildcards match the field's text form; on typed columns that is its display text. */
function compileWildcard(ref: FieldRef, pattern: readonly PatternPart[]): Sql {
  const like = sqlString(likePattern(pattern, false));
  switch (ref.kind) {
    case 'string':
    case 'attr':
      return { sql: `${ref.sql} LIKE ${like}`, nullable: false };
    case 'array':
      return { sql: `arrayExists(v -> v LIKE ${like}, ${ref.sql})`, nullable: false };
    case 'ip':
      return { sql: `${ref.display} LIKE ${like}`, nullable: true };
    case 'number':
    case 'time':
      return { sql: `toString(${ref.sql}) LIKE ${like}`, nullable: ref.kind === 'number' };
  }
}

function compileIpTerm(ref: FieldRef, value: QueryValue): Sql {
  if (value.text.includes('/')) {
    const range = parseCidr(value.text);
    if (!range) throw expected(ref, 'a CIDR block such as 10.0.0.0/8 or 2001:db8::/32', value.text, value.offset);
    return { sql: `(${ref.sql} BETWEEN ${ipLiteral(range.low)} AND ${ipLiteral(range.high)})`, nullable: true };
  }
  return { sql: `${ref.sql} = ${ipLiteral(expectIp(ref, value.text, value.offset))}`, nullable: true };
}

function ipLiteral(groups: Ipv6Groups): string {
  return `toIPv6(${sqlString(formatIp(groups))})`;
}

function compileRange(
  ref: FieldRef,
  lower: RangeBound | null,
  upper: RangeBound | null,
  offset: number,
  now: number,
): Sql {
  if (lower === null && upper === null) return compileExists(ref);
  let read = ref.sql;
  let nullable = ref.kind === 'number' || ref.kind === 'ip';
  let literal: (bound: RangeBound) => string;
  switch (ref.kind) {
    case 'array':
      throw queryError(`${ref.field} is a list of values and has no ranges`, offset);
    case 'number':
      literal = (b) => sqlNumber(expectNumber(ref, b));
      break;
    case 'time':
      literal = (b) => sqlDateTime64(expectTime(ref, b, now));
      break;
    case 'ip':
      literal = (b) => ipLiteral(expectIp(ref, b.text, b.offset));
      break;
    case 'string':
      literal = (b) => sqlString(b.text);
      break;
    case 'attr':
      // Attribute values are text; compare them as numbers when the bounds are numbers, so that 9 < 10.
      if ([lower, upper].every((b) => b === null || parseNumber(b.text) !== undefined)) {
        read = `toFloat64OrNull(${ref.sql})`;
        nullable = true;
        literal = (b) => sqlNumber(expectNumber(ref, b));
      } else {
        literal = (b) => sqlString(b.text);
      }
      break;
  }
  const parts: string[] = [];
  if (lower) parts.push(`${read} ${lower.inclusive ? '>=' : '>'} ${literal(lower)}`);
  if (upper) parts.push(`${read} ${upper.inclusive ? '<=' : '<'} ${literal(upper)}`);
  return { sql: parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`, nullable };
}

/** A finite decimal number (`443`, `-1.5`, `1e6`); not hex, not `Infinity`, not empty. */
function parseNumber(text: string): number | undefined {
  const n = NUMBER.test(text) ? Number(text) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function expectNumber(ref: FieldRef, value: { text: string; offset: number }): number {
  const n = parseNumber(value.text);
  if (n === undefined) throw expected(ref, 'a number', value.text, value.offset);
  return n;
}

function expectTime(ref: FieldRef, value: { text: string; offset: number }, now: number): number {
  const ms = tryParseTime(value.text, now);
  if (ms === undefined) {
    throw expected(ref, 'a time (ISO 8601 such as 2024-05-01T10:00:00Z, epoch milliseconds, or now-15m)', value.text, value.offset);
  }
  return ms;
}

function expectIp(ref: FieldRef, text: string, offset: number): Ipv6Groups {
  const groups = parseIp(text);
  if (!groups) throw expected(ref, 'an IP address', text, offset);
  return groups;
}

function expected(ref: FieldRef, what: string, text: string, offset: number): Error {
  return queryError(`${ref.field} expects ${what}, got ${quote(text)}`, offset);
}

/**
 * A LIKE pattern: user text has `\`, `%` and `_` escaped so that only the
 * query's own wildcards are wildcards. `contains` wraps it in `%` for
 * substring matching (free text).
 */
function likePattern(parts: readonly PatternPart[], contains: boolean): string {
  let out = contains ? '%' : '';
  for (const part of parts) {
    if (part.kind === 'any') out += '%';
    else if (part.kind === 'one') out += '_';
    else out += escapeLike(part.text);
  }
  return contains ? out + '%' : out;
}

const LIKE_SPECIAL = /[\\%_]/g;

function escapeLike(text: string): string {
  return text.replace(LIKE_SPECIAL, '\\$&');
}
