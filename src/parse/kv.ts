/**
 * Reader for `key=value` lists, the payload of most firewall and proxy
 * logs (FortiGate, iptables, SonicWall, Check Point, LEEF, generic kv).
 * One forward pass with no regex; values may be double- or single-quoted
 * with backslash escapes, and bare words without a separator (`SYN`, `DF`
 * in iptables lines) are reported as flags.
 */

export interface KvOptions {
  /** Character between pairs (char code); default: any run of spaces or tabs. */
  pairSeparator?: number;
  /** Character between key and value (char code); default `=`. */
  valueSeparator?: number;
}

export interface KvVisitor {
  pair(key: string, value: string): void;
  /** A token with no value separator; ignored when absent. */
  flag?(word: string): void;
}

const SPACE = 32;
const TAB = 9;
const BACKSLASH = 92;
const DQUOTE = 34;
const SQUOTE = 39;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** Undoes `\"`, `\'` and `\\` inside a quoted value; other backslashes stay. */
function unescapeQuoted(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  let chunk = 0;
  for (let i = 0; i < s.length - 1; i++) {
    if (s.charCodeAt(i) !== BACKSLASH) continue;
    const next = s.charCodeAt(i + 1);
    if (next !== DQUOTE && next !== SQUOTE && next !== BACKSLASH) continue;
    out += s.slice(chunk, i);
    chunk = i + 1;
    i++;
  }
  return out + s.slice(chunk);
}

/**
 * Reads the pairs of `text` from `start`, calling `visitor` for each in
 * order; returns the number of pairs. Keys are trimmed; an unterminated
 * quote takes the rest of the text as its value, so a cut line keeps what
 * it has.
 */
export function readKv(text: string, start: number, visitor: KvVisitor, options: KvOptions = {}): number {
  const sep = options.pairSeparator;
  const eq = options.valueSeparator ?? 61;
  const n = text.length;
  let pairs = 0;
  let i = start;
  while (i < n) {
    // Skip separators and blanks before the key.
    let c = text.charCodeAt(i);
    while (i < n && (isBlank(c) || c === sep)) c = text.charCodeAt(++i);
    if (i >= n) break;
    const keyStart = i;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c === eq || c === sep || (sep === undefined && isBlank(c))) break;
      i++;
    }
    let keyEnd = i;
    while (keyEnd > keyStart && isBlank(text.charCodeAt(keyEnd - 1))) keyEnd--;
    if (i >= n || c !== eq) {
      if (keyEnd > keyStart) visitor.flag?.(text.slice(keyStart, keyEnd));
      continue;
    }
    const key = text.slice(keyStart, keyEnd);
    i++;
    // Blanks after the separator belong to the value only when pairs are not blank-separated.
    if (sep !== undefined) while (i < n && isBlank(text.charCodeAt(i))) i++;
    const quote = text.charCodeAt(i);
    let value: string;
    if (quote === DQUOTE || quote === SQUOTE) {
      const valueStart = i + 1;
      let j = valueStart;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH) j += 2;
        else if (d === quote) break;
        else j++;
      }
      value = unescapeQuoted(text.slice(valueStart, Math.min(j, n)));
      i = j + 1;
      // Anything glued to the closing quote up to the next separator is dropped with it.
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === sep || (sep === undefined && isBlank(d))) break;
        i++;
      }
    } else {
      const valueStart = i;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === sep || (sep === undefined && isBlank(d))) break;
        i++;
      }
      let valueEnd = i;
      if (sep !== undefined) while (valueEnd > valueStart && isBlank(text.charCodeAt(valueEnd - 1))) valueEnd--;
      value = text.slice(valueStart, valueEnd);
    }
    if (key.length > 0) {
      visitor.pair(key, value);
      pairs++;
    }
  }
  return pairs;
}
