import type { EcsValue, MamoriEvent } from '../core/event.js';
import { AhoCorasick } from './aho-corasick.js';
import { logSourceMatcher, type SourceBranch } from './logsource.js';
import { defaultFieldResolver, type CompiledRule, type FieldResolver } from './sigma/index.js';
import { necessaryAtoms } from './sigma/prefilter.js';

/**
 * Reads Sigma fields through a log source branch's renames (`Image` →
 * `NewProcessName` for Security 4688, `c-uri` → `url.full` for proxies),
 * then as the default resolver does (as written, Windows EventData,
 * Windows header). One per branch, built once.
 */
class BranchResolver implements FieldResolver {
  constructor(private readonly renames: Readonly<Record<string, string>>) {}

  resolve(event: MamoriEvent, sigmaField: string): EcsValue | undefined {
    return defaultFieldResolver.resolve(event, this.renames[sigmaField] ?? sigmaField);
  }
}

/** Per Sigma field: one automaton over the needles of every rule that requires one of them in that field. */
interface FieldIndex {
  field: string;
  automaton: AhoCorasick;
  /** Rules (positions in the group) per needle id. */
  rulesByNeedle: number[][];
}

/**
 * The candidate-rule index of a log source group: a rule is evaluated only
 * when one of its necessary substrings occurs in the event (or when it has
 * none), found for all rules at once with one automaton per field.
 */
interface GroupIndex {
  fields: FieldIndex[];
  /** Per Sigma field: rules (positions) by the exact value they require. */
  exact: { field: string; rulesByValue: Map<string, number[]> }[];
  /** Rules without necessary substrings: always evaluated. */
  always: Uint8Array;
  /** Scratch marks of the current evaluation (evaluate is synchronous). */
  marks: Uint8Array;
}

interface SourceGroup {
  key: string;
  match: (event: MamoriEvent) => SourceBranch | undefined;
  rules: CompiledRule[];
  index?: GroupIndex;
}

function buildIndex(rules: readonly CompiledRule[]): GroupIndex {
  const always = new Uint8Array(rules.length);
  const byField = new Map<string, Map<string, number[]>>();
  const exactByField = new Map<string, Map<string, number[]>>();
  rules.forEach((compiled, position) => {
    const atoms = necessaryAtoms(compiled.rule);
    if (atoms === undefined) {
      always[position] = 1;
      return;
    }
    for (const { field, needle, exact } of atoms) {
      const target = exact ? exactByField : byField;
      let needles = target.get(field);
      if (needles === undefined) target.set(field, (needles = new Map()));
      const owners = needles.get(needle);
      if (owners === undefined) needles.set(needle, [position]);
      else if (owners[owners.length - 1] !== position) owners.push(position);
    }
  });
  const fields = [...byField].map(([field, needles]) => ({ field, automaton: new AhoCorasick([...needles.keys()]), rulesByNeedle: [...needles.values()] }));
  const exact = [...exactByField].map(([field, rulesByValue]) => ({ field, rulesByValue }));
  return { fields, exact, always, marks: new Uint8Array(rules.length) };
}

function markAll(marks: Uint8Array, positions: readonly number[] | undefined): void {
  if (positions !== undefined) for (const p of positions) marks[p] = 1;
}

/** Text forms of a field value as the compiled rules compare them (arrays: each element). */
function texts(value: EcsValue | undefined, out: string[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) for (const v of value) texts(v, out);
  else if (typeof value !== 'object') out.push(String(value).toLowerCase());
}

export interface RuleSetStats {
  rules: number;
  /** Rules whose log source Mamori has no events of: loaded, never evaluated. */
  unroutable: { id: string | undefined; title: string; logsource: string }[];
  sources: number;
}

/**
 * Compiled rules grouped by log source: an event meets only the rules of
 * the sources it belongs to, each read through that source's field names.
 */
export class RuleSet {
  private readonly groups: SourceGroup[] = [];
  private readonly resolvers = new Map<SourceBranch, FieldResolver>();
  readonly stats: RuleSetStats;

  /** `index: false` evaluates every rule of a source on each of its events (the reference the index is tested against). */
  constructor(rules: readonly CompiledRule[], options: { index?: boolean } = {}) {
    const byKey = new Map<string, SourceGroup>();
    const unroutable: RuleSetStats['unroutable'] = [];
    for (const compiled of rules) {
      const { product, category, service } = compiled.rule.logsource;
      const key = `${product ?? ''}/${category ?? ''}/${service ?? ''}`;
      let group = byKey.get(key);
      if (group === undefined) {
        const match = logSourceMatcher({ product, category, service });
        if (match === undefined) {
          unroutable.push({ id: compiled.rule.id, title: compiled.rule.title, logsource: key });
          continue;
        }
        group = { key, match, rules: [] };
        byKey.set(key, group);
        this.groups.push(group);
      }
      group.rules.push(compiled);
    }
    if (options.index !== false) for (const group of this.groups) group.index = buildIndex(group.rules);
    this.stats = { rules: rules.length - unroutable.length, unroutable, sources: this.groups.length };
  }

  /** Every routable rule, in load order within each log source. */
  compiledRules(): CompiledRule[] {
    return this.groups.flatMap((g) => g.rules);
  }

  private resolverFor(branch: SourceBranch): FieldResolver {
    let resolver = this.resolvers.get(branch);
    if (resolver === undefined) {
      resolver = branch.renames ? new BranchResolver(branch.renames) : defaultFieldResolver;
      this.resolvers.set(branch, resolver);
    }
    return resolver;
  }

  /** The rules `event` matches, in load order within each log source. */
  evaluate(event: MamoriEvent): CompiledRule[] {
    const matched: CompiledRule[] = [];
    for (const group of this.groups) {
      const branch = group.match(event);
      if (branch === undefined) continue;
      const fields = this.resolverFor(branch);
      const index = group.index;
      if (index === undefined) {
        for (const compiled of group.rules) if (compiled.match(event, fields)) matched.push(compiled);
        continue;
      }
      const { marks, always } = index;
      for (const f of index.exact) {
        const values: string[] = [];
        texts(fields.resolve(event, f.field), values);
        for (const text of values) {
          markAll(marks, f.rulesByValue.get(text));
          // Compiled rules compare numbers numerically (`0x1F` equals 31): look the number up too.
          const n = text.trim() === '' ? NaN : Number(text);
          if (!Number.isNaN(n) && String(n) !== text) markAll(marks, f.rulesByValue.get(String(n)));
        }
      }
      for (const f of index.fields) {
        const values: string[] = [];
        texts(fields.resolve(event, f.field), values);
        for (const text of values) {
          f.automaton.search(text, (needle) => {
            for (const position of f.rulesByNeedle[needle]) marks[position] = 1;
          });
        }
      }
      for (let i = 0; i < group.rules.length; i++) {
        if (marks[i] === 0 && always[i] === 0) continue;
        marks[i] = 0;
        const compiled = group.rules[i];
        if (compiled.match(event, fields)) matched.push(compiled);
      }
    }
    return matched;
  }
}
