import type { ConditionNode, FieldCondition, Search, SigmaRule } from './rule.js';
import { parsePattern } from './wildcard.js';

/**
 * Cheap necessary conditions of a rule, for the rule index: a set of
 * (field, substring) atoms such that the rule can only match an event where
 * at least one atom holds, i.e. the lower-cased field value contains the
 * substring. Undefined when no such set is known (the rule is then always
 * evaluated). Only plain string comparisons give atoms: regexes, CIDRs,
 * numbers, encodings, `neq` and keyword searches do not.
 */
export interface Atom {
  field: string;
  /** Lower-cased; never empty. */
  needle: string;
  /**
   * The field must equal the needle (lower-cased), rather than contain it.
   * Numbers are written as `String(n)`; the index also looks a numeric
   * field text up by its number, as the compiled rule compares it.
   */
  exact?: boolean;
}

/** Needles shorter than this select too little to be worth indexing. */
const MIN_NEEDLE = 3;
const INDEXABLE_TRANSFORMS = new Set(['contains', 'startswith', 'endswith']);

/** The longest wildcard-free run of a Sigma string value, lower-cased. */
function literalOf(value: string): string {
  let best = '';
  for (const segment of parsePattern(value)) if (typeof segment === 'string' && segment.length > best.length) best = segment;
  return best.toLowerCase();
}

/** Plain equality on numbers or wildcard-free strings (`EventID: 4625`, `Channel: Security`): exact atoms. */
function exactAtoms(c: FieldCondition): Atom[] | undefined {
  if (c.chain.transforms.length > 0 || c.chain.all) return undefined;
  const atoms: Atom[] = [];
  for (const v of c.values) {
    if (typeof v === 'number' && Number.isFinite(v)) atoms.push({ field: c.field!, needle: String(v), exact: true });
    else if (typeof v === 'string' && v.length > 0 && !/[*?]/.test(v)) atoms.push({ field: c.field!, needle: v.toLowerCase(), exact: true });
    else return undefined;
  }
  return atoms.length > 0 ? atoms : undefined;
}

/** Atoms of one field condition (OR over its values, or the best value for `all`), or undefined. */
function conditionAtoms(c: FieldCondition): Atom[] | undefined {
  const { chain } = c;
  if (c.field === null || chain.neq || chain.type !== 'string') return undefined;
  const exact = exactAtoms(c);
  if (exact !== undefined) return exact;
  if (chain.transforms.some((t) => !INDEXABLE_TRANSFORMS.has(t))) return undefined;
  if (c.values.length === 0 || c.values.some((v) => typeof v !== 'string')) return undefined;
  const needles = (c.values as string[]).map(literalOf);
  if (chain.all) {
    const best = needles.reduce((a, b) => (b.length > a.length ? b : a), '');
    return best.length >= MIN_NEEDLE ? [{ field: c.field, needle: best }] : undefined;
  }
  if (needles.some((n) => n.length < MIN_NEEDLE)) return undefined;
  return needles.map((needle) => ({ field: c.field!, needle }));
}

/** The more selective of two atom sets: fewer atoms, then longer needles. */
function better(a: Atom[] | undefined, b: Atom[] | undefined): Atom[] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.length !== b.length) return a.length < b.length ? a : b;
  const shortest = (x: Atom[]) => Math.min(...x.map((t) => t.needle.length));
  return shortest(a) >= shortest(b) ? a : b;
}

/** OR of atom sets: any unknown member makes the union unknown. */
function union(sets: (Atom[] | undefined)[]): Atom[] | undefined {
  const out: Atom[] = [];
  for (const s of sets) {
    if (s === undefined) return undefined;
    out.push(...s);
  }
  return out.length > 0 ? out : undefined;
}

function searchAtoms(search: Search): Atom[] | undefined {
  // Each alternative is an AND: its most selective condition is necessary for it.
  return union(search.alternatives.map((alt) => alt.reduce<Atom[] | undefined>((best, c) => better(best, conditionAtoms(c)), undefined)));
}

function nodeAtoms(node: ConditionNode, searches: Map<string, Search>): Atom[] | undefined {
  switch (node.kind) {
    case 'search': {
      const search = searches.get(node.name);
      return search === undefined ? undefined : searchAtoms(search);
    }
    case 'not':
      return undefined;
    case 'and':
      return node.items.reduce<Atom[] | undefined>((best, item) => better(best, nodeAtoms(item, searches)), undefined);
    case 'or':
      return union(node.items.map((item) => nodeAtoms(item, searches)));
    case 'of': {
      const sets = node.names.map((name) => nodeAtoms({ kind: 'search', name }, searches));
      // `all of`: every named search must hold, so the best one is necessary; `1 of` (or N of): any may.
      return node.quantifier === 'all' ? sets.reduce((best, s) => better(best, s), undefined) : union(sets);
    }
  }
}

/** The rule's necessary atoms, or undefined when it must always be evaluated. */
export function necessaryAtoms(rule: SigmaRule): Atom[] | undefined {
  return nodeAtoms(rule.condition, rule.searches);
}
