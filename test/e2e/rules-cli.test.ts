import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../support/server.js';

// The `mamori rules` commands as a user runs them: exit codes, stdout contract, stderr summary.
const dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rulesDir = path.join(dir, 'rules');
mkdirSync(rulesDir);
writeFileSync(
  path.join(rulesDir, 'whoami.yml'),
  `title: Whoami execution
id: 5f7bd1a1-0000-4000-8000-000000000001
status: test
logsource: { product: windows, category: process_creation }
detection:
  selection:
    Image|endswith: '\\whoami.exe'
  condition: selection
level: medium
tags: [attack.discovery, attack.t1033]
`,
);
writeFileSync(
  path.join(rulesDir, 'failed-logon.yml'),
  `title: Failed logon with an unknown user
id: 5f7bd1a1-0000-4000-8000-000000000002
logsource: { product: windows, service: security }
detection:
  selection:
    EventID: 4625
    SubStatus: '0xc0000064'
  condition: selection
level: low
`,
);

/** Windows events in the evtx-dump JSON shape, as the windows parser reads them. */
function evtx(channel: string, id: number, data: Record<string, string>): string {
  return JSON.stringify({
    Event: {
      System: { Provider: { '#attributes': { Name: 'p' } }, EventID: id, Channel: channel, Computer: 'ws01', EventRecordID: '1', TimeCreated: { '#attributes': { SystemTime: '2024-05-01T10:00:00.000Z' } } },
      EventData: data,
    },
  });
}

describe('mamori rules', () => {
  it('test: writes one JSON line per (rule, event) match with the event\'s line number, and a summary on stderr', async () => {
    const events = [
      evtx('Microsoft-Windows-Sysmon/Operational', 1, { Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami /all' }),
      evtx('Microsoft-Windows-Sysmon/Operational', 1, { Image: 'C:\\Windows\\System32\\cmd.exe' }),
      evtx('Security', 4625, { TargetUserName: 'nobody', SubStatus: '0xc0000064' }),
      evtx('Security', 4688, { NewProcessName: 'C:\\Windows\\System32\\whoami.exe' }),
      'not json at all',
    ];
    const file = path.join(dir, 'events.jsonl.gz');
    writeFileSync(file, gzipSync(events.join('\n') + '\n'));
    const r = await cli(['rules', 'test', '--rules', rulesDir, '--events', file, '--format', 'windows', '--jsonl'], {});
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { rule_id: '5f7bd1a1-0000-4000-8000-000000000001', title: 'Whoami execution', level: 'medium', event_index: 0 },
      { rule_id: '5f7bd1a1-0000-4000-8000-000000000002', title: 'Failed logon with an unknown user', level: 'low', event_index: 2 },
      { rule_id: '5f7bd1a1-0000-4000-8000-000000000001', title: 'Whoami execution', level: 'medium', event_index: 3 },
    ]);
    expect(r.stderr).toMatch(/^5 events, 3 matches; 2 rules in 2 log sources loaded from 2 files/);
    expect(r.stderr).toContain('1 line the windows parser could not read');
  });

  it('validate: says per file why a rule does not load, and exits 1', async () => {
    writeFileSync(path.join(rulesDir, 'broken.yml'), 'title: Broken\nlogsource: { product: windows }\ndetection:\n  sel: { Image|nosuchmod: x }\n  condition: sel\n');
    const r = await cli(['rules', 'validate', rulesDir], {});
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/broken\.yml: .*unknown modifier "nosuchmod"/);
    expect(r.stdout).toMatch(/whoami\.yml: ok/);
    expect(r.stdout).toMatch(/3 files: 2 loaded, 1 not loaded/);
  });

  it('test: refuses an unknown parser with the known names', async () => {
    const r = await cli(['rules', 'test', '--rules', rulesDir, '--events', path.join(dir, 'events.jsonl.gz'), '--format', 'nope'], {});
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown parser "nope"/);
  });
});
