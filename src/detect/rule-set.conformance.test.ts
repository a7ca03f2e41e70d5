import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { normalise } from '../parse/normalise.js';
import { RuleSet } from './rule-set.js';
import { loadRuleSet } from './rules-test.js';

// The candidate-rule index must never change what matches: every loadable SigmaHQ Windows rule over the
// 8,255 real attack events, evaluated with and without the index, gives the same (rule, event) pairs.
const SHARED = path.join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures');
const RULES = path.join(SHARED, 'sigma', 'sigmahq-rules', 'rules', 'windows');
const EVENTS = path.join(SHARED, 'windows', 'evtx-attack-samples.jsonl.gz');
const present = existsSync(RULES) && existsSync(EVENTS);

describe.skipIf(!present)('rule index on SigmaHQ Windows rules and real events', () => {
  it('matches exactly what evaluating every rule of the log source matches', { timeout: 120_000 }, async () => {
    const { ruleSet: indexed } = await loadRuleSet([RULES]);
    const compiled = indexed.compiledRules();
    const reference = new RuleSet(compiled, { index: false });
    const lines = gunzipSync(readFileSync(EVENTS)).toString('utf8').split('\n').filter(Boolean);
    let matches = 0;
    const differences: string[] = [];
    lines.forEach((data, i) => {
      const event = normalise({ id: `e${i}`, tenant: 't', source: 's', format: 'windows', received: 0, data });
      const a = indexed.evaluate(event).map((r) => r.rule.id ?? r.rule.title);
      const b = reference.evaluate(event).map((r) => r.rule.id ?? r.rule.title);
      matches += b.length;
      if (a.join() !== b.join()) differences.push(`event ${i}: indexed [${a.join()}] vs all [${b.join()}]`);
    });
    expect(differences).toEqual([]);
    expect(matches).toBeGreaterThan(1_000);
  });
});

describe.runIf(process.env.MAMORI_CONFORMANCE === 'required' && !present)('rule index fixtures', () => {
  it('are present when conformance is required', () => {
    expect.fail(`missing ${RULES} or ${EVENTS}: conformance is required`);
  });
});
