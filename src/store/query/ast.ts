/**
 * The syntax tree of a search query (docs/search.md). The parser only knows
 * syntax; what a value means (number, time, IP, CIDR) depends on the field's
 * column kind and is decided by the compiler, so the tree keeps values as
 * text together with their offsets for error messages.
 */

/** One piece of a wildcard value: literal text, `*` (any run) or `?` (one character). */
export type PatternPart = { kind: 'literal'; text: string } | { kind: 'any' } | { kind: 'one' };

export interface QueryValue {
  /** The value with escapes resolved; wildcard characters are kept as `*` and `?`. */
  text: string;
  /** Present when the value has unescaped wildcards outside quotes. */
  pattern: readonly PatternPart[] | null;
  /** 0-based offset of the value in the query text. */
  offset: number;
}

export interface RangeBound {
  text: string;
  inclusive: boolean;
  offset: number;
}

export type QueryNode =
  /** All children match; no children matches every event (the empty query). */
  | { type: 'and'; children: QueryNode[] }
  | { type: 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode }
  /** Free text: a case-insensitive substring of `event.original`. */
  | { type: 'text'; value: QueryValue }
  /** `field:value`. */
  | { type: 'term'; field: string; value: QueryValue }
  /** `field:*`. */
  | { type: 'exists'; field: string; offset: number }
  /** `field:[a TO b]`, `field>a`; a null bound is open. */
  | { type: 'range'; field: string; lower: RangeBound | null; upper: RangeBound | null; offset: number };

/** Bounds on the input so that no query can exhaust the stack or the engine. */
export const MAX_QUERY_LENGTH = 10_000;
export const MAX_QUERY_DEPTH = 64;
export const MAX_QUERY_TERMS = 1_000;

/** Valid field names; anything else in front of `:` is an error. */
export const FIELD_NAME = /^[A-Za-z_@][A-Za-z0-9_.@-]*$/;
