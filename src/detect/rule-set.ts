import type { EcsValue, MamoriEvent } from '../core/event.js';
import { logSourceMatcher, type SourceBranch } from './logsource.js';
import { defaultFieldResolver, type CompiledRule, type FieldResolver } from './sigma/index.js';

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

interface SourceGroup {
  key: string;
  match: (event: MamoriEvent) => SourceBranch | undefined;
  rules: CompiledRule[];
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

  constructor(rules: readonly CompiledRule[]) {
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
    this.stats = { rules: rules.length - unroutable.length, unroutable, sources: this.groups.length };
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
      for (const compiled of group.rules) if (compiled.match(event, fields)) matched.push(compiled);
    }
    return matched;
  }
}
