/**
 * Sigma string values: wildcards (`*`, `?`), their escaping, and the
 * compilation of a pattern into the cheapest string test that implements it.
 *
 * Escaping follows the specification: a backslash escapes `*`, `?` and a
 * backslash; a backslash before anything else is a plain backslash. So
 * `C:\Windows` and `C:\\Windows` are both `C:\Windows`, `\*` is a literal
 * star and `\\*` is a backslash followed by a wildcard.
 */

export const STAR: unique symbol = Symbol('*');
export const QMARK: unique symbol = Symbol('?');

/** A `%name%` placeholder; only recognised for values with the `expand` modifier. */
export interface Placeholder {
  placeholder: string;
}

export type Segment = string | typeof STAR | typeof QMARK | Placeholder;
export type Pattern = Segment[];

export function parsePattern(text: string, placeholders = false): Pattern {
  const out: Pattern = [];
  let literal = '';
  const flush = () => {
    if (literal) out.push(literal);
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '*' || next === '?' || next === '\\' || (placeholders && next === '%')) {
        literal += next;
        i++;
      } else {
        literal += c;
      }
    } else if (c === '*' || c === '?') {
      flush();
      // Consecutive stars mean the same as one; collapsing keeps the fast paths reachable.
      if (c === '?') out.push(QMARK);
      else if (out[out.length - 1] !== STAR) out.push(STAR);
    } else if (placeholders && c === '%') {
      const end = text.indexOf('%', i + 1);
      if (end > i + 1 && /^[A-Za-z0-9_.-]+$/.test(text.slice(i + 1, end))) {
        flush();
        out.push({ placeholder: text.slice(i + 1, end) });
        i = end;
      } else {
        literal += c;
      }
    } else {
      literal += c;
    }
  }
  flush();
  return out;
}

/** Adds unescaped `*` around the pattern (contains/startswith/endswith); never doubles one. */
export function wrapPattern(p: Pattern, before: boolean, after: boolean): Pattern {
  const out = p.slice();
  if (before && out[0] !== STAR) out.unshift(STAR);
  if (after && out[out.length - 1] !== STAR) out.push(STAR);
  return out;
}

export function isPlain(p: Pattern): boolean {
  return p.every((s) => typeof s === 'string');
}

export function hasPlaceholder(p: Pattern): boolean {
  return p.some((s) => typeof s === 'object');
}

/** The literal text of a pattern without wildcards (callers check isPlain first). */
export function plainText(p: Pattern): string {
  return p.join('');
}

/** A test on an already case-folded (or not, when cased) string. */
export type StringTest = (value: string) => boolean;

/**
 * Compiles a pattern (no placeholders left) to the cheapest equivalent test:
 * equality, startsWith, endsWith, includes, or one anchored regex built here,
 * once, for patterns with `?` or inner `*`. `fold` lowercases the needle; the
 * caller lowercases the haystack once per evaluation.
 */
export function compilePattern(p: Pattern, fold: boolean): StringTest {
  const lit = (s: string) => (fold ? s.toLowerCase() : s);
  const n = p.length;
  if (n === 0) return (v) => v === '';
  if (n === 1 && p[0] === STAR) return () => true;
  if (isPlain(p)) {
    const needle = lit(plainText(p));
    return (v) => v === needle;
  }
  const first = p[0];
  const last = p[n - 1];
  if (n === 2 && typeof last === 'string' && first === STAR) {
    const needle = lit(last);
    return (v) => v.endsWith(needle);
  }
  if (n === 2 && typeof first === 'string' && last === STAR) {
    const needle = lit(first);
    return (v) => v.startsWith(needle);
  }
  if (n === 3 && first === STAR && last === STAR && typeof p[1] === 'string') {
    const needle = lit(p[1]);
    return (v) => v.includes(needle);
  }
  if (!p.includes(QMARK)) return starGlob(p as (string | typeof STAR)[], lit);
  let source = '^';
  for (const s of p) {
    if (s === STAR) source += '[\\s\\S]*';
    else if (s === QMARK) source += '[\\s\\S]';
    else if (typeof s === 'string') source += escapeRegex(lit(s));
    else throw new Error(`unexpanded placeholder %${s.placeholder}%`);
  }
  const re = new RegExp(source + '$');
  return (v) => re.test(v);
}

/**
 * `*`-only patterns: anchored head and tail, then the inner literals found
 * leftmost in order. Leftmost-first is exact for star-only globs, runs in
 * linear time and cannot backtrack the way `a.*b.*c` regexes can.
 */
function starGlob(p: (string | typeof STAR)[], lit: (s: string) => string): StringTest {
  const head = typeof p[0] === 'string' ? lit(p[0]) : '';
  const tail = typeof p[p.length - 1] === 'string' && p.length > 1 ? lit(p[p.length - 1] as string) : '';
  const inner = p.slice(head ? 1 : 0, tail ? -1 : undefined).filter((s): s is string => typeof s === 'string').map(lit);
  const minLength = head.length + tail.length;
  return (v) => {
    if (v.length < minLength || !v.startsWith(head) || !v.endsWith(tail)) return false;
    let at = head.length;
    const end = v.length - tail.length;
    for (const part of inner) {
      const i = v.indexOf(part, at);
      if (i < 0 || i + part.length > end) return false;
      at = i + part.length;
    }
    return true;
  };
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
