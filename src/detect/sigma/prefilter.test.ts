import { describe, expect, it } from 'vitest';
import { loadRuleText } from './index.js';
import { necessaryAtoms } from './prefilter.js';

function atoms(detection: string) {
  const { rules, errors } = loadRuleText(`title: t\nlogsource: { product: windows, category: process_creation }\ndetection:\n${detection}`, 't.yml');
  expect(errors).toEqual([]);
  const found = necessaryAtoms(rules[0]);
  return found?.map((a) => `${a.field}:${a.needle}`).sort();
}

describe('necessary atoms of a rule', () => {
  it('takes the most selective condition of an AND and every value of an OR, lower-cased, without wildcards', () => {
    expect(atoms(`  sel:\n    Image|endswith: ['\\\\Mimikatz.exe', '\\\\mimidrv.sys']\n    CommandLine|contains: sekurlsa\n  condition: sel`)).toEqual(['CommandLine:sekurlsa']);
    expect(atoms(`  sel:\n    CommandLine: '*Invoke-*Mimikatz*'\n  condition: sel`)).toEqual(['CommandLine:mimikatz']);
    expect(atoms(`  a: { Image|endswith: '\\\\psexec.exe' }\n  b: { OriginalFileName: psexec.c }\n  condition: a or b`)).toEqual(['Image:\\psexec.exe', 'OriginalFileName:psexec.c']);
  });

  it('keeps necessity through and/not/of forms', () => {
    expect(atoms(`  sel: { Image|endswith: '\\\\rundll32.exe' }\n  filter: { CommandLine|contains: shell32 }\n  condition: sel and not filter`)).toEqual(['Image:\\rundll32.exe']);
    expect(atoms(`  sel_a: { CommandLine|contains: aaa1 }\n  sel_b: { CommandLine|contains: bbb2 }\n  condition: 1 of sel_*`)).toEqual(['CommandLine:aaa1', 'CommandLine:bbb2']);
    expect(atoms(`  sel_a: { CommandLine|contains: aaa1 }\n  sel_b: { CommandLine|contains: bb }\n  condition: all of sel_*`)).toEqual(['CommandLine:aaa1']);
    expect(atoms(`  sel: { CommandLine|contains|all: [ab, longest-one] }\n  condition: sel`)).toEqual(['CommandLine:longest-one']);
  });

  it('gives exact atoms for plain equality on numbers and wildcard-free strings', () => {
    const rule = (detection: string) => loadRuleText(`title: t\nlogsource: { product: windows, service: security }\ndetection:\n${detection}`, 't.yml').rules[0];
    expect(necessaryAtoms(rule(`  sel: { EventID: [4624, 4625] }\n  condition: sel`))).toEqual([
      { field: 'EventID', needle: '4624', exact: true },
      { field: 'EventID', needle: '4625', exact: true },
    ]);
    // Of two necessary conditions, the one with fewer alternatives is kept.
    expect(necessaryAtoms(rule(`  sel: { EventID: [4624, 4625], LogonType: '10' }\n  condition: sel`))).toEqual([{ field: 'LogonType', needle: '10', exact: true }]);
    expect(atoms(`  sel: { Channel: 'Microsoft-Windows-Sysmon/Operational' }\n  condition: sel`)).toEqual(['Channel:microsoft-windows-sysmon/operational']);
    expect(atoms(`  sel: { Channel: 'Micro*' }\n  condition: sel`)).toEqual(['Channel:micro']);
  });

  it('gives no atoms where a substring is not necessary: not, regex, encodings, neq, keywords, short or empty values', () => {
    expect(atoms(`  sel: { Image|endswith: '\\\\cmd.exe' }\n  condition: not sel`)).toBeUndefined();
    expect(atoms(`  sel: { CommandLine|re: 'mimi.*katz' }\n  condition: sel`)).toBeUndefined();
    expect(atoms(`  sel: { CommandLine|base64offset|contains: 'http://' }\n  condition: sel`)).toBeUndefined();
    expect(atoms(`  sel: { CommandLine|windash|contains: ' -enc ' }\n  condition: sel`)).toBeUndefined();
    expect(atoms(`  sel: { User|neq: SYSTEM }\n  condition: sel`)).toBeUndefined();
    expect(atoms(`  keywords: [mimikatz]\n  condition: keywords`)).toBeUndefined();
    expect(atoms(`  sel: { CommandLine|contains: ['mimikatz', 'ab'] }\n  condition: sel`)).toBeUndefined();
    expect(atoms(`  a: { CommandLine|contains: mimikatz }\n  b: { CommandLine|re: x }\n  condition: a or b`)).toBeUndefined();
  });
});
