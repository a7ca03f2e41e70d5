import { SigmaLoadError } from './errors.js';
import type { ConditionNode } from './rule.js';

/**
 * The condition language: `and`, `or`, `not`, parentheses, `1 of x*`,
 * `all of x*`, `N of x*`, `them`. Precedence from loosest to tightest:
 * or, and, not, `x of`, parentheses. Parsed once, by recursive descent with
 * a depth limit so hostile nesting fails with a reason instead of a stack
 * overflow.
 */

export const MAX_CONDITION_LENGTH = 16_384;
export const MAX_CONDITION_DEPTH = 64;

type Token = { type: 'word'; text: string; at: number } | { type: '(' | ')'; at: number };

const WORD = /[^\s()]+/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '(' || c === ')') tokens.push({ type: c, at: i++ });
    else if (c === '|') throw new SigmaLoadError('aggregation expressions ("| count() ...") in conditions are not supported; use a correlation rule');
    else {
      WORD.lastIndex = i;
      const m = WORD.exec(text)!;
      tokens.push({ type: 'word', text: m[0], at: i });
      i += m[0].length;
    }
  }
  return tokens;
}

/**
 * Parses one condition string against the rule's search names. `x of`
 * patterns are resolved here so the AST only names existing searches.
 */
export function parseCondition(text: string, searchNames: string[]): ConditionNode {
  if (text.length > MAX_CONDITION_LENGTH) throw new SigmaLoadError(`condition longer than ${MAX_CONDITION_LENGTH} characters`);
  const tokens = tokenize(text);
  let pos = 0;
  const peekWord = (): string | undefined => {
    const t = tokens[pos];
    return t?.type === 'word' ? t.text.toLowerCase() : undefined;
  };
  const describe = (t: Token | undefined) => (t === undefined ? 'end of condition' : t.type === 'word' ? `"${t.text}"` : `"${t.type}"`);

  const parseOr = (depth: number): ConditionNode => {
    const items = [parseAnd(depth)];
    while (peekWord() === 'or') {
      pos++;
      items.push(parseAnd(depth));
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  };
  const parseAnd = (depth: number): ConditionNode => {
    const items = [parseNot(depth)];
    while (peekWord() === 'and') {
      pos++;
      items.push(parseNot(depth));
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  };
  const parseNot = (depth: number): ConditionNode => {
    if (peekWord() === 'not') {
      if (depth >= MAX_CONDITION_DEPTH) throw new SigmaLoadError(`condition nested deeper than ${MAX_CONDITION_DEPTH} levels`);
      pos++;
      return { kind: 'not', item: parseNot(depth + 1) };
    }
    return parsePrimary(depth);
  };
  const parsePrimary = (depth: number): ConditionNode => {
    const t = tokens[pos];
    if (t?.type === '(') {
      if (depth >= MAX_CONDITION_DEPTH) throw new SigmaLoadError(`condition nested deeper than ${MAX_CONDITION_DEPTH} levels`);
      pos++;
      const inner = parseOr(depth + 1);
      if (tokens[pos]?.type !== ')') throw new SigmaLoadError(`condition expects ")" at ${describe(tokens[pos])}`);
      pos++;
      return inner;
    }
    if (t?.type !== 'word') throw new SigmaLoadError(`condition expects a search at ${describe(t)}`);
    const word = t.text.toLowerCase();
    if (word === 'and' || word === 'or' || word === 'not' || word === 'of' || word === 'them') {
      throw new SigmaLoadError(`condition expects a search at ${describe(t)}`);
    }
    const next = tokens[pos + 1];
    if (next?.type === 'word' && next.text.toLowerCase() === 'of') {
      const quantifier = word === 'all' ? 'all' : /^[1-9]\d{0,3}$/.test(word) ? Number(word) : undefined;
      if (quantifier === undefined) throw new SigmaLoadError(`condition expects "all" or a count before "of", got "${t.text}"`);
      const target = tokens[pos + 2];
      if (target?.type !== 'word') throw new SigmaLoadError(`condition expects a search pattern after "${t.text} of"`);
      pos += 3;
      return { kind: 'of', quantifier, names: resolvePattern(target.text, searchNames) };
    }
    pos++;
    if (!searchNames.includes(t.text)) throw new SigmaLoadError(`condition references unknown search "${t.text}"`);
    return { kind: 'search', name: t.text };
  };

  if (tokens.length === 0) throw new SigmaLoadError('condition is empty');
  const node = parseOr(0);
  if (pos < tokens.length) throw new SigmaLoadError(`condition has unexpected ${describe(tokens[pos])}`);
  return node;
}

/** `them` is every search not starting with `_`; otherwise `*` matches any run of characters. */
function resolvePattern(pattern: string, searchNames: string[]): string[] {
  if (pattern.toLowerCase() === 'them') {
    const names = searchNames.filter((n) => !n.startsWith('_'));
    if (names.length === 0) throw new SigmaLoadError('condition "them" matches no search');
    return names;
  }
  if (!pattern.includes('*')) {
    if (!searchNames.includes(pattern)) throw new SigmaLoadError(`condition references unknown search "${pattern}"`);
    return [pattern];
  }
  const parts = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  // Built once per rule at load time from the rule's own pattern; never per event.
  const re = new RegExp(`^${parts.join('.*')}$`);
  const names = searchNames.filter((n) => re.test(n));
  if (names.length === 0) throw new SigmaLoadError(`condition pattern "${pattern}" matches no search`);
  return names;
}
