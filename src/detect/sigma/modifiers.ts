import { SigmaLoadError } from './errors.js';

/**
 * The value modifiers of the Sigma specification (modifiers appendix v2.1),
 * parsed from a `field|mod1|mod2` key into one validated chain. Every name is
 * known here; an unknown or misplaced one fails the rule at load time.
 */

/** Modifiers that rewrite values, applied in the order written. */
export type Transform = 'contains' | 'startswith' | 'endswith' | 'base64' | 'base64offset' | 'utf16le' | 'utf16be' | 'utf16' | 'windash' | 'expand';

/** What a value is compared as; at most one per chain. */
export type ValueType = 'string' | 're' | 'cidr' | 'fieldref' | 'exists' | 'gt' | 'gte' | 'lt' | 'lte';

/** Time modifiers: the part of a date value that is compared (as a number). */
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export interface ModifierChain {
  /** Set by a time modifier: the event value is a date, and this part of it (UTC) is what is compared. */
  timePart?: TimePart;
  transforms: Transform[];
  type: ValueType;
  /** Regex flags from the `i`, `m`, `s` sub-modifiers of `re`. */
  reFlags: string;
  all: boolean;
  cased: boolean;
  neq: boolean;
}

const TRANSFORMS: Record<string, Transform> = {
  contains: 'contains',
  startswith: 'startswith',
  endswith: 'endswith',
  base64: 'base64',
  base64offset: 'base64offset',
  utf16le: 'utf16le',
  wide: 'utf16le',
  utf16be: 'utf16be',
  utf16: 'utf16',
  windash: 'windash',
  expand: 'expand',
};
const TYPES = new Set<ValueType>(['re', 'cidr', 'fieldref', 'exists', 'gt', 'gte', 'lt', 'lte']);
const RE_FLAGS: Record<string, string> = { i: 'i', ignorecase: 'i', m: 'm', multiline: 'm', s: 's', dotall: 's' };
const TIME_PARTS = new Set<string>(['minute', 'hour', 'day', 'week', 'month', 'year']);
/** The types a time part may be compared with: equality (plain) and the numeric comparisons. */
const TIME_TYPES = new Set<ValueType>(['string', 'gt', 'gte', 'lt', 'lte']);
/** Transforms that only make sense on string values and may appear with a string or fieldref type. */
const WILDCARD_TRANSFORMS = new Set<Transform>(['contains', 'startswith', 'endswith']);

export function parseModifiers(names: string[], path: string): ModifierChain {
  const chain: ModifierChain = { transforms: [], type: 'string', reFlags: '', all: false, cased: false, neq: false };
  const seen = new Set<string>();
  const fail = (reason: string): never => {
    throw new SigmaLoadError(`${reason} in ${path}`);
  };
  for (const raw of names) {
    const name = raw.toLowerCase();
    if (name === '') fail('empty modifier');
    if (seen.has(name)) fail(`repeated modifier "${raw}"`);
    seen.add(name);
    if (name in TRANSFORMS) chain.transforms.push(TRANSFORMS[name]);
    else if (TYPES.has(name as ValueType)) {
      if (chain.type !== 'string') fail(`modifier "${raw}" cannot be combined with "${chain.type}"`);
      chain.type = name as ValueType;
    } else if (name in RE_FLAGS) {
      if (chain.type !== 're') fail(`modifier "${raw}" is only valid after "re"`);
      if (!chain.reFlags.includes(RE_FLAGS[name])) chain.reFlags += RE_FLAGS[name];
    } else if (name === 'all') chain.all = true;
    else if (name === 'cased') chain.cased = true;
    else if (name === 'neq') chain.neq = true;
    else if (TIME_PARTS.has(name)) {
      if (chain.timePart) fail(`modifier "${raw}" cannot be combined with "${chain.timePart}"`);
      chain.timePart = name as TimePart;
    }
    else fail(`unknown modifier "${raw}"`);
  }
  const t = chain.type;
  if (t !== 'string') {
    const allowed = t === 'fieldref' ? WILDCARD_TRANSFORMS : new Set<Transform>();
    const bad = chain.transforms.find((x) => !allowed.has(x));
    if (bad) fail(`modifier "${bad}" cannot be combined with "${t}"`);
    if (chain.neq && t !== 'fieldref' && t !== 'cidr') fail(`modifier "neq" cannot be combined with "${t}"`);
    if (chain.cased && t !== 'fieldref') fail(`modifier "cased" cannot be combined with "${t}"`);
    if (chain.all && t === 'exists') fail('modifier "all" cannot be combined with "exists"');
  }
  if (chain.timePart) {
    if (!TIME_TYPES.has(chain.type)) fail(`modifier "${chain.timePart}" cannot be combined with "${chain.type}"`);
    if (chain.transforms.length > 0) fail(`modifier "${chain.transforms[0]}" cannot be combined with "${chain.timePart}"`);
    if (chain.cased) fail(`modifier "cased" cannot be combined with "${chain.timePart}"`);
  }
  const wildcardCount = chain.transforms.filter((x) => WILDCARD_TRANSFORMS.has(x)).length;
  if (wildcardCount > 1) fail('only one of "contains", "startswith", "endswith" may be used');
  if (chain.neq && chain.all) fail('modifier "all" cannot be combined with "neq"');
  return chain;
}
