import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { getParser } from '../parse/registry.js';
import { branchesFor, logSourceMatcher } from './logsource.js';

// Mamori's Windows log source table against SigmaHQ's own (thor.yml), and against the channels of real events.
const SHARED = path.join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures');
const THOR = path.join(SHARED, 'sigma', 'sigmahq-rules', 'thor.yml');
const EVENTS = path.join(SHARED, 'windows', 'evtx-attack-samples.jsonl.gz');
const required = process.env.MAMORI_CONFORMANCE === 'required';

interface ThorSource {
  category?: string;
  product?: string;
  service?: string;
  conditions?: Record<string, unknown>;
  rewrite?: { service?: string };
  fieldmappings?: Record<string, string>;
}

describe.skipIf(!existsSync(THOR))('Sigma log sources vs SigmaHQ thor.yml', () => {
  const thor = parseYaml(readFileSync(THOR, 'utf8'), { maxAliasCount: 100 }) as { logsources: Record<string, ThorSource> };
  const windows = Object.entries(thor.logsources).filter(([, s]) => s.product === 'windows' || s.category === 'antivirus');

  it('routes every Windows category to the event ids, extra conditions and field names SigmaHQ gives it', () => {
    const problems: string[] = [];
    for (const [name, s] of windows.filter(([, s]) => s.category !== undefined)) {
      const branches = branchesFor({ product: s.product, category: s.category });
      if (!branches) {
        problems.push(`${name}: category ${s.category} not routed`);
        continue;
      }
      const ids = [s.conditions?.EventID].flat().map(String);
      const branch = branches.find((b) => ids.every((id) => b.conditions['event.code']?.includes(id)));
      if (!branch) problems.push(`${name}: no branch with EventID ${ids.join(',')}`);
      const eventType = s.conditions?.EventType;
      if (branch && eventType !== undefined && !branch.conditions['winlog.event_data.EventType']?.includes(String(eventType))) problems.push(`${name}: EventType ${String(eventType)} missing`);
      for (const [from, to] of Object.entries(s.fieldmappings ?? {})) {
        if (branch?.renames?.[from] !== to) problems.push(`${name}: ${from} should read ${to}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('knows a channel for every Windows service SigmaHQ names', () => {
    const services = new Set(windows.map(([, s]) => s.service ?? s.rewrite?.service).filter((s): s is string => s !== undefined));
    const missing = [...services].filter((service) => branchesFor({ product: 'windows', service }) === undefined);
    expect(missing).toEqual([]);
  });
});

describe.skipIf(!existsSync(EVENTS))('Sigma log sources on real Windows events', () => {
  it('routes every event of a known channel to its service', () => {
    const windows = getParser('windows');
    const lines = gunzipSync(readFileSync(EVENTS)).toString('utf8').split('\n').filter(Boolean);
    const byService = (service: string) => logSourceMatcher({ product: 'windows', service })!;
    const matchers = { security: byService('security'), sysmon: byService('sysmon'), system: byService('system'), application: byService('application'), 'bits-client': byService('bits-client'), powershell: byService('powershell') };
    const counts: Record<string, number> = {};
    for (const line of lines) {
      const event = windows.parse(line, { received: Date.now() });
      for (const [service, match] of Object.entries(matchers)) if (match(event)) counts[service] = (counts[service] ?? 0) + 1;
    }
    expect(counts).toEqual({ security: 1577, sysmon: 3241, system: 17, application: 393, 'bits-client': 1548, powershell: 7 });
    // Sysmon process creation events are exactly those with event id 1.
    const processCreation = logSourceMatcher({ product: 'windows', category: 'process_creation' })!;
    const created = lines.map((l) => windows.parse(l, { received: Date.now() })).filter((e) => processCreation(e));
    expect(created.length).toBeGreaterThan(0);
    expect(created.every((e) => (e['event.code'] === '1' && e['winlog.channel'] === 'Microsoft-Windows-Sysmon/Operational') || (e['event.code'] === '4688' && e['winlog.channel'] === 'Security'))).toBe(true);
  });
});

describe.runIf(required && (!existsSync(THOR) || !existsSync(EVENTS)))('Sigma log source fixtures', () => {
  it('are present when conformance is required', () => {
    expect.fail(`missing ${THOR} or ${EVENTS}: conformance is required`);
  });
});
