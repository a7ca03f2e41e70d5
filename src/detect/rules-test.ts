import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { normalise } from '../parse/normalise.js';
import { getParser } from '../parse/registry.js';
import { RuleSet, type RuleSetStats } from './rule-set.js';
import { findRuleFiles, loadAndCompileFile, type CompiledRule } from './sigma/index.js';

/** One match, as `mamori rules test --jsonl` writes it: a stable contract. */
export interface RuleMatch {
  rule_id: string | null;
  title: string;
  level: string;
  /** 0-based line of the events file. */
  event_index: number;
}

export interface RulesTestSummary {
  files: number;
  loadErrors: { file: string; reason: string }[];
  ruleSet: RuleSetStats;
  events: number;
  /** Lines the parser could not read (they are evaluated as pipeline_error events, which no rule should match). */
  parseErrors: number;
  matches: number;
  loadMs: number;
  evaluateMs: number;
}

/** Loads every rule file under `paths` (files or folders) into a rule set. */
export async function loadRuleSet(paths: readonly string[]): Promise<{ ruleSet: RuleSet; files: number; loadErrors: RulesTestSummary['loadErrors'] }> {
  const files: string[] = [];
  for (const p of paths) files.push(...((await stat(p)).isDirectory() ? await findRuleFiles(p) : [p]));
  const rules: CompiledRule[] = [];
  const loadErrors: RulesTestSummary['loadErrors'] = [];
  for (const file of files) {
    const outcome = await loadAndCompileFile(file);
    rules.push(...outcome.rules);
    for (const reason of outcome.errors) loadErrors.push({ file, reason });
  }
  return { ruleSet: new RuleSet(rules), files: files.length, loadErrors };
}

/**
 * Evaluates rules over a file of events (one per line, gzip allowed), each
 * line read by `format`'s parser exactly as the pipeline would, and calls
 * `onMatch` per (rule, event) pair in event order.
 */
export async function runRulesTest(rulePaths: readonly string[], eventsFile: string, format: string, onMatch: (match: RuleMatch) => void): Promise<RulesTestSummary> {
  getParser(format); // an unknown format fails before any work, with the known names
  const started = Date.now();
  const { ruleSet, files, loadErrors } = await loadRuleSet(rulePaths);
  const loadMs = Date.now() - started;
  const input = createReadStream(eventsFile);
  const lines = createInterface({ input: eventsFile.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  let events = 0;
  let parseErrors = 0;
  let matches = 0;
  const evaluating = Date.now();
  for await (const line of lines) {
    const index = events++;
    if (line.trim() === '') continue;
    const event = normalise({ id: `test-${index}`, tenant: 'test', source: 'rules-test', format, received: Date.now(), data: line });
    if (event['event.kind'] === 'pipeline_error') parseErrors++;
    for (const compiled of ruleSet.evaluate(event)) {
      matches++;
      onMatch({ rule_id: compiled.rule.id ?? null, title: compiled.rule.title, level: compiled.rule.level ?? 'medium', event_index: index });
    }
  }
  return { files, loadErrors, ruleSet: ruleSet.stats, events, parseErrors, matches, loadMs, evaluateMs: Date.now() - evaluating };
}
