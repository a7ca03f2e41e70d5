import { MamoriError } from '../../core/errors.js';
import {
  FIELD_NAME,
  MAX_QUERY_DEPTH,
  MAX_QUERY_LENGTH,
  MAX_QUERY_TERMS,
  type PatternPart,
  type QueryNode,
  type QueryValue,
  type RangeBound,
} from './ast.js';
import { queryError, quote } from './query-error.js';

/**
 * Recursive-descent parser for the search language of docs/search.md.
 *
 *   query   := or EOF
 *   or      := and (("OR" | "||") and)*
 *   and     := unary (("AND" | "&&")? unary)*        -- adjacent terms are AND-ed
 *   unary   := ("NOT" | "!" | "-") unary | primary
 *   primary := "(" or ")" | field ":" value | field op bound | phrase | word
 *   value   := "(" or ")" | "*" | range | op bound | phrase | word   -- inside
 *              a field's parentheses every term is a value for that field
 *
 * Scanning is done on demand rather than by a separate lexer because what a
 * character means depends on where it is: after `field:` a value runs to the
 * next space or parenthesis, so `source.ip:2001:db8::1` needs no quoting.
 */
export function parseQuery(text: string): QueryNode {
  if (text.length > MAX_QUERY_LENGTH) {
    throw new MamoriError('MAMORI_E_QUERY', `query is too long: ${text.length} characters, at most ${MAX_QUERY_LENGTH}`, {
      length: text.length,
    });
  }
  return new Parser(text).parse();
}

const enum Ch {
  Tab = 9,
  CarriageReturn = 13,
  Space = 32,
  Bang = 33,
  Quote = 34,
  Ampersand = 38,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Minus = 45,
  Colon = 58,
  Less = 60,
  Equals = 61,
  Greater = 62,
  Question = 63,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
  NoBreakSpace = 0xa0,
  IdeographicSpace = 0x3000,
}

/** Whitespace separates terms; U+3000 is included because Japanese input methods type it. */
function isSpace(c: number): boolean {
  return c === Ch.Space || (c >= Ch.Tab && c <= Ch.CarriageReturn) || c === Ch.NoBreakSpace || c === Ch.IdeographicSpace;
}

/** Characters a backslash escapes in an unquoted value; before any other character it is literal (`C:\Windows`). */
const ESCAPABLE = new Set([...' \t\n\r()[]{}:<>="*?!-&|\\'].map((c) => c.charCodeAt(0)));

type Operator = 'and' | 'or' | 'not';

interface OperatorToken {
  op: Operator;
  length: number;
}

class Parser {
  private pos = 0;
  private depth = 0;
  private terms = 0;

  constructor(private readonly text: string) {}

  parse(): QueryNode {
    this.skipSpace();
    if (this.atEnd()) return { type: 'and', children: [] }; // matches everything
    const node = this.parseOr(null);
    this.skipSpace();
    // parseOr stops only at the end or at a ')' it did not open.
    if (!this.atEnd()) throw queryError("unexpected ')' without a matching '('", this.pos);
    return node;
  }

  /** `field` is set inside `field:( ... )`, where bare values belong to that field. */
  private parseOr(field: string | null): QueryNode {
    const children = [this.parseAnd(field)];
    for (;;) {
      this.skipSpace();
      const token = this.peekOperator();
      if (token?.op !== 'or') break;
      this.pos += token.length;
      children.push(this.parseAnd(field));
    }
    return children.length === 1 ? children[0] : { type: 'or', children };
  }

  private parseAnd(field: string | null): QueryNode {
    const children = [this.parseUnary(field)];
    for (;;) {
      this.skipSpace();
      if (this.atEnd() || this.peek() === Ch.RParen) break;
      const token = this.peekOperator();
      if (token?.op === 'or') break;
      if (token?.op === 'and') this.pos += token.length;
      children.push(this.parseUnary(field));
    }
    return children.length === 1 ? children[0] : { type: 'and', children };
  }

  private parseUnary(field: string | null): QueryNode {
    this.skipSpace();
    const start = this.pos;
    const token = this.peekOperator();
    let length = 0;
    if (token?.op === 'not') length = token.length;
    else if (this.peek() === Ch.Bang) length = 1;
    // `-` negates only when attached to a term, so a lone "-" stays searchable text.
    else if (this.peek() === Ch.Minus && !this.isDelimiter(this.pos + 1)) length = 1;
    if (length === 0) return this.parsePrimary(field);
    this.pos += length;
    this.enter(start);
    const child = this.parseUnary(field);
    this.depth--;
    return { type: 'not', child };
  }

  private parsePrimary(field: string | null): QueryNode {
    this.skipSpace();
    if (this.atEnd()) throw queryError('expected a search term at the end of the query', this.pos);
    const c = this.peek();
    if (c === Ch.RParen) throw queryError("expected a search term before ')'", this.pos);
    const token = this.peekOperator();
    if (token) {
      throw queryError(`expected a search term before ${quote(this.text.slice(this.pos, this.pos + token.length))}`, this.pos);
    }
    if (field !== null) return this.parseFieldValue(field);
    if (c === Ch.LParen) return this.parseGroup(null);
    if (c === Ch.Quote) return this.leaf({ type: 'text', value: this.readQuoted() });
    return this.parseWordOrField();
  }

  private parseGroup(field: string | null): QueryNode {
    const start = this.pos;
    this.pos++;
    this.enter(start);
    this.skipSpace();
    if (this.peek() === Ch.RParen) throw queryError('empty parentheses', start);
    const node = this.parseOr(field);
    this.skipSpace();
    if (this.peek() !== Ch.RParen) throw queryError(`missing ')' to close the '(' at column ${start + 1}`, this.pos);
    this.pos++;
    this.depth--;
    return node;
  }

  /** A bare word is free text unless an unescaped `:`, `<` or `>` makes its start a field name. */
  private parseWordOrField(): QueryNode {
    const start = this.pos;
    let i = start;
    while (i < this.text.length && !this.isDelimiter(i)) {
      const c = this.text.charCodeAt(i);
      if (c === Ch.Colon || c === Ch.Less || c === Ch.Greater) {
        const name = this.text.slice(start, i);
        if (!FIELD_NAME.test(name)) {
          throw queryError(
            `invalid field name ${quote(name)}: field names are letters, digits and _ . @ - (quote the text to search for it)`,
            start,
          );
        }
        this.pos = i;
        if (c === Ch.Colon) {
          this.pos++;
          return this.parseFieldValue(name);
        }
        return this.parseComparison(name);
      }
      i += c === Ch.Backslash ? 2 : 1;
    }
    return this.leaf({ type: 'text', value: this.readUnquoted(false) });
  }

  private parseFieldValue(field: string): QueryNode {
    const start = this.pos;
    if (this.isDelimiter(start) && this.peek() !== Ch.LParen) {
      throw queryError(`expected a value after ${quote(field + ':')}`, start);
    }
    switch (this.peek()) {
      case Ch.LParen:
        return this.parseGroup(field);
      case Ch.LBracket:
      case Ch.LBrace:
        return this.parseRange(field);
      case Ch.Less:
      case Ch.Greater:
        return this.parseComparison(field);
      case Ch.Quote:
        return this.leaf({ type: 'term', field, value: this.readQuoted() });
      case Ch.Star:
        if (this.isDelimiter(start + 1)) {
          this.pos++;
          return this.leaf({ type: 'exists', field, offset: start });
        }
    }
    return this.leaf({ type: 'term', field, value: this.readUnquoted(false) });
  }

  /** `>5`, `>=5`, `<5`, `<=5` after `field:` or directly after the field name. */
  private parseComparison(field: string): QueryNode {
    const start = this.pos;
    const greater = this.peek() === Ch.Greater;
    this.pos++;
    const inclusive = this.peek() === Ch.Equals;
    if (inclusive) this.pos++;
    const bound = this.readBound(false);
    if (bound === null) throw queryError(`a comparison needs a value, not *`, start);
    const b: RangeBound = { ...bound, inclusive };
    return this.leaf({ type: 'range', field, lower: greater ? b : null, upper: greater ? null : b, offset: start });
  }

  /** `[a TO b]`, `{a TO b}` or a mix; `*` is an open end. */
  private parseRange(field: string): QueryNode {
    const start = this.pos;
    const lowerInclusive = this.peek() === Ch.LBracket;
    this.pos++;
    this.skipSpace();
    const lower = this.readBound(true);
    const beforeTo = this.pos;
    this.skipSpace();
    const to = this.text.slice(this.pos, this.pos + 2);
    if (this.pos === beforeTo || to.toUpperCase() !== 'TO' || !isSpace(this.text.charCodeAt(this.pos + 2))) {
      throw queryError(`expected ' TO ' in the range opened at column ${start + 1}`, this.pos);
    }
    this.pos += 2;
    this.skipSpace();
    const upper = this.readBound(true);
    this.skipSpace();
    const close = this.peek();
    if (close !== Ch.RBracket && close !== Ch.RBrace) {
      throw queryError(`expected ']' or '}' to close the range opened at column ${start + 1}`, this.pos);
    }
    this.pos++;
    return this.leaf({
      type: 'range',
      field,
      lower: lower && { ...lower, inclusive: lowerInclusive },
      upper: upper && { ...upper, inclusive: close === Ch.RBracket },
      offset: start,
    });
  }

  /** A range or comparison bound; null for an open end (`*`). */
  private readBound(inRange: boolean): Omit<RangeBound, 'inclusive'> | null {
    const offset = this.pos;
    if (this.isDelimiter(offset) || (inRange && this.isRangeEnd(offset))) {
      throw queryError('expected a value', offset);
    }
    const value = this.peek() === Ch.Quote ? this.readQuoted() : this.readUnquoted(inRange);
    if (value.pattern !== null) {
      if (value.text === '*') return null;
      throw queryError(`wildcards are not allowed in a range bound: ${quote(value.text)}`, offset);
    }
    return { text: value.text, offset };
  }

  /** `"..."`: only `\"` and `\\` are escapes, so Windows paths can be pasted as they are. */
  private readQuoted(): QueryValue {
    const start = this.pos;
    let out = '';
    let run = start + 1;
    for (let i = start + 1; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (c === Ch.Quote) {
        this.pos = i + 1;
        return { text: out + this.text.slice(run, i), pattern: null, offset: start };
      }
      if (c === Ch.Backslash) {
        const next = this.text.charCodeAt(i + 1);
        if (next === Ch.Quote || next === Ch.Backslash) {
          out += this.text.slice(run, i);
          run = i + 1;
          i++;
        }
      }
    }
    throw queryError('unterminated quoted string', start);
  }

  /** An unquoted value up to the next space or parenthesis (or `]`/`}` in a range). */
  private readUnquoted(inRange: boolean): QueryValue {
    const start = this.pos;
    let text = '';
    let literal = '';
    let parts: PatternPart[] | null = null;
    let i = start;
    while (i < this.text.length && !this.isDelimiter(i) && !(inRange && this.isRangeEnd(i))) {
      const c = this.text.charCodeAt(i);
      if (c === Ch.Backslash && ESCAPABLE.has(this.text.charCodeAt(i + 1))) {
        const escaped = this.text[i + 1];
        text += escaped;
        literal += escaped;
        i += 2;
        continue;
      }
      if (c === Ch.Star || c === Ch.Question) {
        parts ??= [];
        if (literal !== '') parts.push({ kind: 'literal', text: literal });
        parts.push(c === Ch.Star ? { kind: 'any' } : { kind: 'one' });
        literal = '';
      } else {
        literal += this.text[i];
      }
      text += this.text[i];
      i++;
    }
    if (parts !== null && literal !== '') parts.push({ kind: 'literal', text: literal });
    this.pos = i;
    return { text, pattern: parts, offset: start };
  }

  /** AND / OR / NOT (any case) as whole words, `&&`, `||`. */
  private peekOperator(): OperatorToken | null {
    const c = this.peek();
    if (c === Ch.Ampersand && this.text.charCodeAt(this.pos + 1) === Ch.Ampersand) return { op: 'and', length: 2 };
    if (c === Ch.Pipe && this.text.charCodeAt(this.pos + 1) === Ch.Pipe) return { op: 'or', length: 2 };
    for (const length of [2, 3]) {
      if (!this.isDelimiter(this.pos + length)) continue;
      const word = this.text.slice(this.pos, this.pos + length).toLowerCase();
      if (word === 'or' || word === 'and' || word === 'not') return { op: word, length };
    }
    return null;
  }

  private leaf(node: QueryNode): QueryNode {
    if (++this.terms > MAX_QUERY_TERMS) {
      throw queryError(`too many terms: a query has at most ${MAX_QUERY_TERMS}`, this.pos);
    }
    return node;
  }

  private enter(offset: number): void {
    if (++this.depth > MAX_QUERY_DEPTH) {
      throw queryError(`query nests too deeply: at most ${MAX_QUERY_DEPTH} levels of parentheses and NOT`, offset);
    }
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && isSpace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  /** End of text, whitespace or a parenthesis: where an unquoted word stops. */
  private isDelimiter(i: number): boolean {
    if (i >= this.text.length) return true;
    const c = this.text.charCodeAt(i);
    return isSpace(c) || c === Ch.LParen || c === Ch.RParen;
  }

  private isRangeEnd(i: number): boolean {
    const c = this.text.charCodeAt(i);
    return c === Ch.RBracket || c === Ch.RBrace;
  }
}
