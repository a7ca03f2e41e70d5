import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleDirectory, loadRuleText } from './index.js';

const RULE = `title: Whoami
id: 929a690e-bef0-4204-a928-ef5e620d6fcc
status: test
level: high
tags:
  - attack.discovery
  - attack.t1033
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\\whoami.exe'
  condition: selection
`;
const reasons = (text: string) => loadRuleText(text, 'x.yml').errors.map((e) => e.reason);

describe('loadRuleText', () => {
  it('loads the metadata of a rule', () => {
    const { rules, errors } = loadRuleText(RULE, 'whoami.yml');
    expect(errors).toEqual([]);
    expect(rules[0]).toMatchObject({ title: 'Whoami', status: 'test', level: 'high', tags: ['attack.discovery', 'attack.t1033'], logsource: { category: 'process_creation', product: 'windows' }, source: 'whoami.yml' });
    expect([...rules[0].searches.keys()]).toEqual(['selection']);
  });

  it.each([
    [RULE.replace('title: Whoami\n', ''), 'missing "title"'],
    [RULE.replace(/id: .*\n/, 'id: not-a-uuid\n'), '"id" is not a UUID: "not-a-uuid"'],
    [RULE.replace('status: test', 'status: done'), 'unknown status "done" (expected one of stable, test, experimental, deprecated, unsupported)'],
    [RULE.replace('level: high', 'level: severe'), 'unknown level "severe" (expected one of informational, low, medium, high, critical)'],
    [RULE.replace('attack.t1033', "'bad tag'"), 'invalid tag "bad tag"'],
    [RULE.replace(/logsource:\n.*\n.*\n/, ''), 'missing "logsource"'],
    [RULE.replace('  condition: selection\n', ''), 'missing "detection.condition"'],
    [RULE.replace('selection:', 'sel:'), 'condition references unknown search "selection"'],
    [RULE.replace("Image|endswith: '\\whoami.exe'", 'Image|foo: x'), 'unknown modifier "foo" in selection.Image|foo'],
    ['title: [unclosed\n', expect.stringMatching(/^invalid YAML: /)],
    ['- a\n- b\n', 'document is not a mapping'],
    ['', 'no rule in file'],
    [RULE + 'title: twice\n', expect.stringMatching(/^invalid YAML: Map keys must be unique/)],
  ])('rejects with an exact reason (%#)', (text, reason) => {
    expect(reasons(text)).toEqual([reason]);
  });

  it('recognises correlation and filter documents without loading them, and keeps the other documents', () => {
    const correlation = 'title: c\ncorrelation:\n  type: event_count\n  rules: [x]\n  timespan: 5m\n';
    const filter = 'title: f\nlogsource:\n  product: windows\nfilter:\n  rules: [x]\n  selection:\n    User: admin\n  condition: not selection\n';
    const { rules, errors } = loadRuleText(`${RULE}---\n${correlation}---\n${filter}`, 'multi.yml');
    expect(rules).toHaveLength(1);
    expect(errors.map((e) => [e.source, e.reason])).toEqual([
      ['multi.yml#1', 'correlation rules are not supported yet'],
      ['multi.yml#2', 'filter rules are not supported yet'],
    ]);
  });

  it('merges action: global / repeat / reset collections', () => {
    const text = `action: global
title: Base
logsource:
  product: windows
detection:
  condition: selection
---
logsource:
  service: security
detection:
  selection:
    EventID: 1
---
action: repeat
detection:
  selection:
    EventID: 2
---
action: reset
---
title: Alone
logsource:
  product: linux
detection:
  selection:
    A: b
  condition: selection
`;
    const { rules, errors } = loadRuleText(text, 'collection.yml');
    expect(errors).toEqual([]);
    expect(rules.map((r) => [r.title, r.logsource, r.searches.get('selection')!.alternatives[0][0].values])).toEqual([
      ['Base', { product: 'windows', service: 'security' }, [1]],
      ['Base', { product: 'windows', service: 'security' }, [2]],
      ['Alone', { product: 'linux' }, ['b']],
    ]);
  });

  it('rejects unknown collection actions', () => {
    expect(reasons('action: merge\ntitle: x\n')).toEqual(['unknown collection action "merge"']);
  });
});

describe('hostile input', () => {
  it('refuses a YAML alias bomb quickly', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const started = performance.now();
    expect(reasons(`${lines.join('\n')}\ntitle: bomb\n`)).toEqual(['YAML uses too many aliases (limit 100)']);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses oversized rules', () => {
    expect(reasons(RULE + `description: '${'x'.repeat(1024 * 1024)}'\n`)).toEqual(['rule text longer than 1048576 characters']);
  });

  it('refuses deeply nested YAML without crashing', () => {
    const [reason] = reasons(`title: deep\nlogsource: {}\ndetection: ${'['.repeat(20_000)}`);
    expect(reason).toMatch(/^(invalid YAML|YAML nested too deeply)/);
  });

  it('loads a large but legitimate value list', () => {
    const values = Array.from({ length: 5000 }, (_, i) => `    - 'v${i}'`).join('\n');
    const { rules, errors } = loadRuleText(RULE.replace("Image|endswith: '\\whoami.exe'", `Image|endswith:\n${values}`), 'big.yml');
    expect(errors).toEqual([]);
    expect(rules[0].searches.get('selection')!.alternatives[0][0].values).toHaveLength(5000);
  });

  it('treats injection-looking strings as plain data', () => {
    const { rules, errors } = loadRuleText(RULE.replace("'\\whoami.exe'", `'"); process.exit(1); //\${x}'`), 'inj.yml');
    expect(errors).toEqual([]);
    expect(rules[0].searches.get('selection')!.alternatives[0][0].values).toEqual(['"); process.exit(1); //${x}']);
  });
});

describe('loadRuleDirectory', () => {
  it('walks recursively, compiles, and reports each failing file with its reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-sigma-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.yml'), RULE);
    writeFileSync(join(dir, 'sub', 'b.yaml'), RULE.replace('endswith', 'foo'));
    writeFileSync(join(dir, 'sub', 'c.yml'), RULE.replace("Image|endswith: '\\whoami.exe'", "Image|expand: '%Admins%'"));
    writeFileSync(join(dir, 'notes.txt'), 'not a rule');
    const progress: number[] = [];
    const result = await loadRuleDirectory(dir, (_o, done) => progress.push(done));
    expect(result.files).toBe(3);
    expect(progress).toEqual([1, 2, 3]);
    expect(result.rules.map((r) => r.rule.source)).toEqual([join(dir, 'a.yml')]);
    expect(result.errors).toEqual([
      { file: join(dir, 'sub', 'b.yaml'), reason: 'unknown modifier "foo" in selection.Image|foo' },
      { file: join(dir, 'sub', 'c.yml'), reason: 'placeholder %Admins% has no values in selection.Image|expand' },
    ]);
  });
});
