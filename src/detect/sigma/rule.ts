import type { ModifierChain } from './modifiers.js';

/**
 * The typed model of a Sigma detection rule after loading: metadata checked,
 * every search parsed into field conditions with validated modifier chains,
 * the condition parsed into an AST. Compilation (compile.ts) only turns this
 * model into closures; it never looks at YAML again.
 */

export const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;
export type SigmaStatus = (typeof STATUSES)[number];

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SigmaLevel = (typeof LEVELS)[number];

export interface SigmaLogsource {
  category?: string;
  product?: string;
  service?: string;
  definition?: string;
}

/** A scalar as written in the rule (YAML 1.2 core schema: `0x17` is the number 23). */
export type SigmaScalar = string | number | boolean | null;

/** One `field|mod1|mod2: value(s)` entry of a search; `field` is null for keyword searches. */
export interface FieldCondition {
  field: string | null;
  chain: ModifierChain;
  values: SigmaScalar[];
  /** `selection.Image|endswith`: where the condition sits, for error messages. */
  path: string;
}

/** A search identifier's definition: OR over alternatives, each an AND of field conditions. */
export interface Search {
  name: string;
  alternatives: FieldCondition[][];
}

export type ConditionNode =
  | { kind: 'and'; items: ConditionNode[] }
  | { kind: 'or'; items: ConditionNode[] }
  | { kind: 'not'; item: ConditionNode }
  | { kind: 'search'; name: string }
  /** `1 of sel*`, `all of them`: names already resolved against the detection. */
  | { kind: 'of'; quantifier: number | 'all'; names: string[] };

export interface SigmaRule {
  title: string;
  id?: string;
  name?: string;
  status?: SigmaStatus;
  level?: SigmaLevel;
  description?: string;
  tags: string[];
  logsource: SigmaLogsource;
  searches: Map<string, Search>;
  /** Several conditions (a YAML list) are OR-ed, as the specification says. */
  condition: ConditionNode;
  falsepositives: string[];
  fields: string[];
  /** File path (or caller label) and 0-based document index inside a multi-document file. */
  source: string;
  document: number;
}
