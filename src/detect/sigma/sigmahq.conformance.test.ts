import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getParser } from '../../parse/registry.js';
import { defaultFieldResolver, loadAndCompileFile, loadRuleDirectory, type FileOutcome } from './index.js';

/** The public SigmaHQ corpus and its regression events (shared fixtures, never copied here). */
const repoRoot = join(import.meta.dirname, '../../..');
const CORPUS = join(repoRoot, '..', 'shared', 'fixtures', 'sigma', 'sigmahq-rules');
const CASES = join(repoRoot, '..', 'shared', 'fixtures', 'sigma', 'regression-cases.jsonl');
const required = process.env.MAMORI_CONFORMANCE === 'required';
const present = existsSync(CORPUS) && existsSync(CASES);
const NOT_YET = /^(correlation|filter) rules are not supported yet$/;

describe('SigmaHQ corpus conformance', () => {
  it.runIf(!present && required)('has its fixtures', () => {
    expect.fail(`MAMORI_CONFORMANCE=required but ${CORPUS} or ${CASES} is missing`);
  });

  it.skipIf(!present)('loads at least 99% of the detection rules under rules*', async () => {
    const outcomes: FileOutcome[] = [];
    for (const dir of ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-compliance', 'rules-dfir', 'rules-placeholder']) {
      if (existsSync(join(CORPUS, dir))) await loadRuleDirectory(join(CORPUS, dir), (o) => outcomes.push(o));
    }
    const detection = outcomes.filter((o) => !o.errors.some((e) => NOT_YET.test(e)));
    const failed = detection.filter((o) => o.errors.length > 0);
    const listing = failed.map((o) => `${o.file.slice(CORPUS.length + 1)}: ${o.errors.join('; ')}`).join('\n');
    expect(detection.length).toBeGreaterThan(3500);
    expect(failed.length / detection.length, `files that do not load:\n${listing}`).toBeLessThanOrEqual(0.01);
  }, 120_000);

  it.skipIf(!present)('matches the regression events of the SigmaHQ rules', async () => {
    const windows = getParser('windows');
    const lines = readFileSync(CASES, 'utf8').split('\n').filter((l) => l.length > 0);
    const failures: string[] = [];
    for (const line of lines) {
      const c = JSON.parse(line) as { rule_path: string; events: unknown[]; match_count: number | null };
      const outcome = await loadAndCompileFile(join(CORPUS, c.rule_path));
      const rule = outcome.rules[0];
      if (!rule) {
        failures.push(`${c.rule_path}: not loaded (${outcome.errors.join('; ')})`);
        continue;
      }
      const events = c.events.map((e) => windows.parse(JSON.stringify(e), { received: Date.now() }));
      const hits = events.filter((e) => rule.match(e, defaultFieldResolver)).length;
      // SigmaHQ's match_count is a minimum (absent: at least one); samples also hold neighbouring events that must not match.
      const expected = c.match_count ?? 1;
      if (hits < expected) failures.push(`${c.rule_path}: ${hits} of ${events.length} events matched, expected at least ${expected}`);
    }
    expect(lines.length).toBeGreaterThan(100);
    expect(failures, failures.join('\n')).toEqual([]);
  }, 120_000);
});
