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
export function readKv(text: string, start: number, visitor: KvVisitor, options?: KvOptions): number {
  const eq = options?.valueSeparator ?? 61;
  const sep = options?.pairSeparator;
  return sep === undefined ? readBlankSeparated(text, start, visitor, eq) : readSeparated(text, start, visitor, sep, eq);
}

/**
 * End of a quoted value opened at `open - 1`: the index of the closing
 * quote, or `n` when there is none. A quote preceded by a backslash is
 * part of the value.
 */
function closingQuote(text: string, open: number, quote: string): number {
  let j = open;
  for (;;) {
    const at = text.indexOf(quote, j);
    if (at < 0) return text.length;
    let backslashes = 0;
    while (at - backslashes - 1 >= open && text.charCodeAt(at - backslashes - 1) === BACKSLASH) backslashes++;
    if ((backslashes & 1) === 0) return at;
    j = at + 1;
  }
}

/**
 * The blank-separated form (`k=v k2="v 2"`), the common one: scans with
 * indexOf (native, several times faster than a charCodeAt loop on the
 * 500-1,000 character lines firewalls write).
 */
function readBlankSeparated(text: string, start: number, visitor: KvVisitor, eq: number): number {
  const n = text.length;
  const eqChar = String.fromCharCode(eq);
  // Next tab at or after the scan position (-1: none left); tabs are rare, so it is looked up only when passed.
  let nextTab = text.indexOf('\t', start);
  let pairs = 0;
  let i = start;
  while (i < n) {
    let c = text.charCodeAt(i);
    while (c === SPACE || c === TAB) c = text.charCodeAt(++i);
    if (i >= n) break;
    if (nextTab >= 0 && nextTab < i) nextTab = text.indexOf('\t', i);
    let blank = text.indexOf(' ', i);
    if (blank < 0) blank = n;
    if (nextTab >= 0 && nextTab < blank) blank = nextTab;
    let sep = text.indexOf(eqChar, i);
    if (sep < 0 || sep > blank) {
      // A word without a value (or the rest of the text).
      visitor.flag?.(text.slice(i, blank));
      i = blank;
      continue;
    }
    if (sep === i) {
      // `=value` with no key: skip the token.
      i = blank;
      continue;
    }
    const key = text.slice(i, sep);
    sep++;
    const quote = text.charCodeAt(sep);
    let value: string;
    if (quote === DQUOTE || quote === SQUOTE) {
      const close = closingQuote(text, sep + 1, quote === DQUOTE ? '"' : "'");
      value = unescapeQuoted(text.slice(sep + 1, close));
      if (close >= n) {
        i = n;
      } else {
        // Anything glued to the closing quote up to the next blank is dropped with it.
        if (nextTab >= 0 && nextTab <= close) nextTab = text.indexOf('\t', close + 1);
        let end = text.indexOf(' ', close + 1);
        if (end < 0) end = n;
        i = nextTab >= 0 && nextTab < end ? nextTab : end;
      }
    } else {
      // The value ends at the blank that ended the token (a value cannot contain one).
      value = text.slice(sep, blank);
      i = blank;
    }
    visitor.pair(key, value);
    pairs++;
  }
  return pairs;
}

/** Pairs separated by a given character (LEEF tabs, Check Point `;`); blanks around keys and values are trimmed. */
function readSeparated(text: string, start: number, visitor: KvVisitor, sep: number, eq: number): number {
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
      if (c === eq || c === sep) break;
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
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    const quote = text.charCodeAt(i);
    let value: string;
    if (quote === DQUOTE || quote === SQUOTE) {
      const close = closingQuote(text, i + 1, quote === DQUOTE ? '"' : "'");
      value = unescapeQuoted(text.slice(i + 1, close));
      i = close + 1;
      // Anything glued to the closing quote up to the next separator is dropped with it.
      while (i < n && text.charCodeAt(i) !== sep) i++;
    } else {
      const valueStart = i;
      while (i < n && text.charCodeAt(i) !== sep) i++;
      let valueEnd = i;
      while (valueEnd > valueStart && isBlank(text.charCodeAt(valueEnd - 1))) valueEnd--;
      value = text.slice(valueStart, valueEnd);
    }
    if (key.length > 0) {
      visitor.pair(key, value);
      pairs++;
    }
  }
  return pairs;
}
