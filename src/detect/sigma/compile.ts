import type { EcsScalar, EcsValue, MamoriEvent } from '../../core/event.js';
import { compileCidr } from './cidr.js';
import { foldDashes } from './encoding.js';
import { SigmaLoadError } from './errors.js';
import type { FieldResolver } from './field-resolver.js';
import { compileSigmaRegex } from './regex.js';
import type { TimePart } from './modifiers.js';
import type { ConditionNode, FieldCondition, Search, SigmaRule, SigmaScalar } from './rule.js';
import { compileStringValue, foldsCase, type Placeholders } from './values.js';

/**
 * Compiles a loaded rule into one predicate made of closures. All parsing,
 * lowercasing of needles, regex and CIDR construction happens here, once;
 * an evaluation only resolves fields, lowercases each event value once per
 * field condition, and runs indexOf-class string tests.
 */

export type SigmaPredicate = (event: MamoriEvent, fields: FieldResolver) => boolean;

export interface CompileOptions {
  /** Values for `%name%` placeholders of the `expand` modifier. */
  placeholders?: Placeholders;
}

export interface CompiledRule {
  rule: SigmaRule;
  match: SigmaPredicate;
}

/** Fields searched by keyword (field-less) searches, in order; any match counts. */
export const KEYWORD_FIELDS = ['message', 'event.original'] as const;

export function compileRule(rule: SigmaRule, options: CompileOptions = {}): CompiledRule {
  const placeholders = options.placeholders ?? {};
  const searches = new Map<string, SigmaPredicate>();
  for (const [name, search] of rule.searches) searches.set(name, compileSearch(search, placeholders));
  return { rule, match: compileCondition(rule.condition, searches) };
}

function compileCondition(node: ConditionNode, searches: Map<string, SigmaPredicate>): SigmaPredicate {
  switch (node.kind) {
    case 'search':
      return searches.get(node.name)!;
    case 'not': {
      const inner = compileCondition(node.item, searches);
      return (e, f) => !inner(e, f);
    }
    case 'and':
      return every(node.items.map((n) => compileCondition(n, searches)));
    case 'or':
      return some(node.items.map((n) => compileCondition(n, searches)));
    case 'of': {
      const items = node.names.map((n) => searches.get(n)!);
      if (node.quantifier === 'all') return every(items);
      if (node.quantifier === 1) return some(items);
      const needed = node.quantifier;
      return (e, f) => {
        let hits = 0;
        for (const p of items) if (p(e, f) && ++hits >= needed) return true;
        return false;
      };
    }
  }
}

function every(items: SigmaPredicate[]): SigmaPredicate {
  if (items.length === 1) return items[0];
  if (items.length === 2) {
    const [a, b] = items;
    return (e, f) => a(e, f) && b(e, f);
  }
  return (e, f) => {
    for (let i = 0; i < items.length; i++) if (!items[i](e, f)) return false;
    return true;
  };
}

function some(items: SigmaPredicate[]): SigmaPredicate {
  if (items.length === 1) return items[0];
  if (items.length === 2) {
    const [a, b] = items;
    return (e, f) => a(e, f) || b(e, f);
  }
  return (e, f) => {
    for (let i = 0; i < items.length; i++) if (items[i](e, f)) return true;
    return false;
  };
}

function compileSearch(search: Search, placeholders: Placeholders): SigmaPredicate {
  return some(search.alternatives.map((conds) => every(conds.map((c) => compileFieldCondition(c, placeholders)))));
}

function compileFieldCondition(cond: FieldCondition, placeholders: Placeholders): SigmaPredicate {
  if (cond.field === null) {
    // Keyword search: the values are looked for anywhere in the event text.
    const chain = cond.chain.transforms.some((t) => t === 'contains' || t === 'startswith' || t === 'endswith')
      ? cond.chain
      : { ...cond.chain, transforms: [...cond.chain.transforms, 'contains' as const] };
    return some(KEYWORD_FIELDS.map((field) => compileFieldCondition({ ...cond, field, chain }, placeholders)));
  }
  const field = cond.field;
  const { chain, path } = cond;
  const fail = (reason: string): never => {
    throw new SigmaLoadError(`${reason} in ${path}`);
  };

  if (chain.type === 'exists') {
    const want = cond.values[0];
    if (cond.values.length !== 1 || typeof want !== 'boolean') fail('modifier "exists" takes one boolean value');
    return (e, f) => (f.resolve(e, field) !== undefined) === want;
  }
  if (chain.type === 'fieldref') return compileFieldRef(cond, fail);

  const tests = cond.values.map((v) => compileValueTest(v, cond, placeholders, fail)).flat();
  const matchesNull = tests.some((t) => t === NULL_TEST);
  const valueTests = tests.filter((t) => t !== NULL_TEST) as ValueTest[];
  const prepare = textPreparer(cond);
  const matchOne = chain.all ? allOf(valueTests, prepare) : anyOf(valueTests, prepare);

  const positive: SigmaPredicate = (e, f) => {
    const v = f.resolve(e, field);
    if (v === undefined || v === null) return matchesNull;
    if (Array.isArray(v)) return matchArray(v, matchOne, valueTests, prepare, chain.all);
    return matchOne(v);
  };
  if (chain.neq) return (e, f) => !positive(e, f);
  return positive;
}

/** A test of one scalar event value, given its raw form and its prepared text (undefined for objects). */
type ValueTest = (raw: EcsScalar, text: string | undefined) => boolean;
const NULL_TEST = Symbol('null');
type CompiledValue = ValueTest | typeof NULL_TEST;

function compileValueTest(value: SigmaScalar, cond: FieldCondition, placeholders: Placeholders, fail: (r: string) => never): CompiledValue[] {
  const { chain, path } = cond;
  if (value === null) {
    if (chain.type !== 'string' || chain.transforms.length || chain.timePart) fail('modifiers cannot be applied to a null value');
    return [NULL_TEST];
  }
  if (chain.timePart) return [compileTimePartTest(value, chain.timePart, chain.type, fail)];
  switch (chain.type) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? toNumber(value) : undefined;
      if (n === undefined) fail(`modifier "${chain.type}" needs a number, got ${JSON.stringify(value)}`);
      const cmp = chain.type;
      return [
        (raw) => {
          const x = typeof raw === 'number' ? raw : typeof raw === 'string' ? toNumber(raw) : undefined;
          if (x === undefined) return false;
          return cmp === 'gt' ? x > n! : cmp === 'gte' ? x >= n! : cmp === 'lt' ? x < n! : x <= n!;
        },
      ];
    }
    case 're': {
      if (typeof value !== 'string') fail('modifier "re" needs a string value');
      const re = compileSigmaRegex(value as string, chain.reFlags);
      if (typeof re === 'string') fail(re);
      const regex = re as RegExp;
      return [(_raw, text) => text !== undefined && regex.test(text)];
    }
    case 'cidr': {
      if (typeof value !== 'string') fail('modifier "cidr" needs a string value');
      const cidr = compileCidr(value as string);
      if (typeof cidr === 'string') fail(cidr);
      const inNetwork = cidr as (a: string) => boolean;
      return [(raw) => typeof raw === 'string' && inNetwork(raw)];
    }
    default:
      break;
  }
  if (typeof value === 'boolean' && chain.transforms.length === 0) {
    const word = String(value);
    return [(raw, text) => raw === value || text === word];
  }
  if (typeof value === 'number' && chain.transforms.length === 0) {
    const word = String(value);
    return [(raw, text) => (typeof raw === 'number' ? raw === value : typeof raw === 'string' && (text === word || toNumber(raw) === value))];
  }
  return compileStringValue(String(value), chain, path, placeholders).map(
    (test): ValueTest =>
      (_raw, text) =>
        text !== undefined && test(text),
  );
}

/** Event text as the chain's tests expect it: lowercased unless cased, dashes folded for windash. */
function textPreparer(cond: FieldCondition): (raw: EcsScalar) => string | undefined {
  const fold = foldsCase(cond.chain) && cond.chain.type !== 're' && cond.chain.type !== 'cidr';
  const dashes = cond.chain.transforms.includes('windash');
  return (raw) => {
    if (raw === null || typeof raw === 'object') return undefined;
    let text = typeof raw === 'string' ? raw : String(raw);
    if (fold) text = text.toLowerCase();
    if (dashes) text = foldDashes(text);
    return text;
  };
}

function anyOf(tests: ValueTest[], prepare: (raw: EcsScalar) => string | undefined): (v: EcsValue) => boolean {
  return (v) => {
    if (typeof v === 'object' && v !== null) return false;
    const text = prepare(v);
    for (let i = 0; i < tests.length; i++) if (tests[i](v, text)) return true;
    return false;
  };
}

function allOf(tests: ValueTest[], prepare: (raw: EcsScalar) => string | undefined): (v: EcsValue) => boolean {
  return (v) => {
    if (typeof v === 'object' && v !== null) return false;
    const text = prepare(v);
    for (let i = 0; i < tests.length; i++) if (!tests[i](v, text)) return false;
    return true;
  };
}

/** Array fields (`related.ip`, `event.category`) match when any element does; with `all`, each value may match a different element. */
function matchArray(values: EcsValue[], matchOne: (v: EcsValue) => boolean, tests: ValueTest[], prepare: (raw: EcsScalar) => string | undefined, all: boolean): boolean {
  if (!all) {
    for (const v of values) if (matchOne(v)) return true;
    return false;
  }
  const scalars = values.filter((v): v is EcsScalar => v === null || typeof v !== 'object');
  const texts = scalars.map(prepare);
  return tests.every((t) => scalars.some((s, i) => t(s, texts[i])));
}

function compileFieldRef(cond: FieldCondition, fail: (r: string) => never): SigmaPredicate {
  const field = cond.field!;
  const { chain } = cond;
  const others = cond.values.map((v) => {
    if (typeof v !== 'string' || v === '') fail('modifier "fieldref" needs a field name');
    return v as string;
  });
  const fold = !chain.cased;
  const how = chain.transforms[0];
  const compare = (a: string, b: string) => (how === 'contains' ? a.includes(b) : how === 'startswith' ? a.startsWith(b) : how === 'endswith' ? a.endsWith(b) : a === b);
  const text = (v: EcsValue | undefined): string | undefined => {
    if (v === undefined || v === null || typeof v === 'object') return undefined;
    const s = typeof v === 'string' ? v : String(v);
    return fold ? s.toLowerCase() : s;
  };
  const one = (e: MamoriEvent, f: FieldResolver, other: string): boolean => {
    const a = text(f.resolve(e, field));
    const b = text(f.resolve(e, other));
    return a !== undefined && b !== undefined && compare(a, b);
  };
  const positive: SigmaPredicate = chain.all
    ? (e, f) => others.every((o) => one(e, f, o))
    : (e, f) => others.some((o) => one(e, f, o));
  return chain.neq ? (e, f) => !positive(e, f) : positive;
}

/**
 * A time modifier's test: the event value read as a date (ISO 8601 text, or
 * epoch seconds/milliseconds), the part taken in UTC (the specification
 * does no zone conversion; Mamori's times are UTC), compared as a number.
 */
function compileTimePartTest(value: SigmaScalar, part: TimePart, type: string, fail: (r: string) => never): ValueTest {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? toNumber(value) : undefined;
  if (n === undefined) fail(`modifier "${part}" needs a number, got ${JSON.stringify(value)}`);
  const want = n!;
  return (raw) => {
    const ms = typeof raw === 'number' ? (raw < 1e11 ? raw * 1000 : raw) : typeof raw === 'string' ? Date.parse(raw) : NaN;
    if (!Number.isFinite(ms)) return false;
    const x = timePart(new Date(ms), part);
    return type === 'gt' ? x > want : type === 'gte' ? x >= want : type === 'lt' ? x < want : type === 'lte' ? x <= want : x === want;
  };
}

function timePart(d: Date, part: TimePart): number {
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
    case 'week': {
      // ISO 8601 week number: the week with the year's first Thursday is week 1.
      const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const day = t.getUTCDay() || 7;
      t.setUTCDate(t.getUTCDate() + 4 - day);
      return Math.ceil(((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
    }
  }
}

/** Numeric reading of event text: decimal or 0x-hex, never the empty string. */
function toNumber(s: string): number | undefined {
  if (s.length === 0 || s.length > 64) return undefined;
  const n = Number(s);
  return Number.isNaN(n) || s.trim() === '' ? undefined : n;
}
