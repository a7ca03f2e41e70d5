import { MamoriError } from '../core/errors.js';

/**
 * The one audited place where values become ClickHouse SQL text. Every value
 * that reaches a query string — user input, tenant ids, field names — goes
 * through one of these functions; nothing else in the code base builds
 * literals by hand. The output is valid for chDB and for old ClickHouse
 * servers alike (only `\\`, `\'`, `` \` `` and `\xHH` escapes are used).
 */

/** Characters that force the slow path: quotes, backslash, C0 controls, DEL, surrogates. */
const NEEDS_ESCAPE_STRING = /['\\\x00-\x1f\x7f\ud800-\udfff]/;
const NEEDS_ESCAPE_IDENTIFIER = /[`\\\x00-\x1f\x7f\ud800-\udfff]/;

const HEX = '0123456789abcdef';
const REPLACEMENT_CHARACTER = '\ufffd';

/**
 * Escapes `value` for use between `quote` characters. Control characters
 * (including NUL, which would otherwise cut the text off in C code paths)
 * become `\xHH`; a lone UTF-16 surrogate, which cannot be encoded as UTF-8,
 * becomes U+FFFD so the engine never sees invalid UTF-8.
 */
function escapeQuoted(value: string, quote: '\'' | '`'): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let replacement: string;
    if (c === 0x5c) replacement = '\\\\';
    else if (c === 0x27 && quote === '\'') replacement = "\\'";
    else if (c === 0x60 && quote === '`') replacement = '\\`';
    else if (c < 0x20 || c === 0x7f) replacement = '\\x' + HEX[c >> 4] + HEX[c & 15];
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid pair: keep both halves
        continue;
      }
      replacement = REPLACEMENT_CHARACTER;
    } else if (c >= 0xdc00 && c <= 0xdfff) replacement = REPLACEMENT_CHARACTER;
    else continue;
    out += value.slice(start, i) + replacement;
    start = i + 1;
  }
  return out + value.slice(start);
}

/**
 * A single-quoted ClickHouse string literal holding exactly `value`.
 * Accepts any JavaScript string; never throws.
 */
export function sqlString(value: string): string {
  return NEEDS_ESCAPE_STRING.test(value) ? `'${escapeQuoted(value, '\'')}'` : `'${value}'`;
}

/**
 * A back-quoted identifier (column or table name), e.g. `` `source.ip` ``.
 * Throws MAMORI_E_INVALID for the empty name, which is never a valid identifier.
 */
export function sqlIdentifier(name: string): string {
  if (name.length === 0) throw new MamoriError('MAMORI_E_INVALID', 'an SQL identifier cannot be empty');
  return NEEDS_ESCAPE_IDENTIFIER.test(name) ? `\`${escapeQuoted(name, '`')}\`` : `\`${name}\``;
}

/**
 * A numeric literal. Negative numbers are parenthesised so that the result
 * can follow any operator without forming a `--` comment (`a-(-1)`).
 * Throws MAMORI_E_INVALID for NaN and infinities.
 */
export function sqlNumber(n: number): string {
  if (!Number.isFinite(n)) throw new MamoriError('MAMORI_E_INVALID', `not a finite number: ${String(n)}`);
  return n < 0 ? `(${String(n)})` : String(n);
}

/**
 * A `DateTime64(3, 'UTC')` value for `ms` milliseconds since the epoch.
 * Built from the integer millisecond count rather than a fractional seconds
 * literal, which the engine would round through Float64 and get wrong for
 * some values (1.001 s becomes 1.000 s). Throws MAMORI_E_INVALID for a
 * non-integer or out-of-safe-range value.
 */
export function sqlDateTime64(ms: number): string {
  if (!Number.isSafeInteger(ms)) throw new MamoriError('MAMORI_E_INVALID', `not an integer millisecond time: ${String(ms)}`);
  return `fromUnixTimestamp64Milli(${sqlNumber(ms)}, 'UTC')`;
}

/** An array literal of strings, e.g. `['a', 'b']`; `[]` when empty. */
export function sqlStringArray(values: readonly string[]): string {
  let out = '[';
  for (let i = 0; i < values.length; i++) out += (i === 0 ? '' : ', ') + sqlString(values[i]);
  return out + ']';
}
