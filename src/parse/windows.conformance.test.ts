import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { MamoriEvent } from '../core/event.js';
import { normalise } from './normalise.js';
import { windows } from './windows.js';

/** 8,255 real events from attack simulations, evtx-dump JSON (shared fixtures, never copied here). */
const FIXTURE = join(import.meta.dirname, '../../../shared/fixtures/windows/evtx-attack-samples.jsonl.gz');
const required = process.env.MAMORI_CONFORMANCE === 'required';
const present = existsSync(FIXTURE);
const received = Date.UTC(2024, 4, 1);

type Obj = Record<string, any>;

function fixtureLines(): string[] {
  return gunzipSync(readFileSync(FIXTURE)).toString('utf8').split('\n').filter((l) => l.length > 0);
}

/** SystemTime (100 ns) truncated to ms, as ISO. */
function msTime(systemTime: string): string {
  return new Date(systemTime.slice(0, 23) + 'Z').toISOString();
}

function dataText(v: unknown): unknown {
  if (v === null) return '';
  if (Array.isArray(v)) return v.map((x) => (x === null ? '' : String(x)));
  return String(v);
}

// ---- The same event written in the three other shapes, as those tools write them. ----

const LEVEL_NAMES: Record<string, string> = { '0': 'information', '1': 'critical', '2': 'error', '3': 'warning', '4': 'information', '5': 'verbose' };
const NXLOG_SEVERITY: Record<string, [number, string]> = { '0': [2, 'INFO'], '1': [5, 'CRITICAL'], '2': [4, 'ERROR'], '3': [3, 'WARNING'], '4': [2, 'INFO'], '5': [1, 'VERBOSE'] };

/** Winlogbeat renders keywords by name; only the audit and classic bits occur in the sample. */
function keywordNames(hex: string): string[] | undefined {
  const byte = Number((BigInt(hex) >> 48n) & 0xffn);
  const names = [];
  if (byte & 0x10) names.push('Audit Failure');
  if (byte & 0x20) names.push('Audit Success');
  if (byte & 0x80) names.push('Classic');
  return names.length > 0 ? names : undefined;
}

function attrs(v: unknown): Obj {
  return (v as Obj | null)?.['#attributes'] ?? {};
}

function toWinlogbeat(e: Obj): string {
  const s = e.System;
  const ed: Obj = {};
  for (const [k, v] of Object.entries(e.EventData ?? {})) ed[k] = dataText(v);
  return JSON.stringify({
    '@timestamp': msTime(attrs(s.TimeCreated).SystemTime),
    agent: { type: 'winlogbeat', version: '8.13.0', name: 'collector01' },
    event: { code: String(s.EventID), kind: 'event', provider: attrs(s.Provider).Name, created: '2024-05-01T00:00:00.000Z' },
    host: { name: 'collector01' },
    log: { level: LEVEL_NAMES[s.Level] },
    winlog: {
      api: 'wineventlog',
      channel: s.Channel ?? undefined,
      computer_name: s.Computer,
      event_id: String(s.EventID),
      provider_name: attrs(s.Provider).Name,
      provider_guid: attrs(s.Provider).Guid,
      record_id: s.EventRecordID,
      activity_id: attrs(s.Correlation).ActivityID,
      process: s.Execution ? { pid: Number(attrs(s.Execution).ProcessID), thread: { id: Number(attrs(s.Execution).ThreadID) } } : undefined,
      user: s.Security ? { identifier: attrs(s.Security).UserID } : undefined,
      keywords: keywordNames(s.Keywords),
      task: s.Task,
      opcode: s.Opcode,
      version: s.Version === undefined ? undefined : Number(s.Version),
      event_data: ed,
    },
  });
}

function toNxlog(e: Obj): string {
  const s = e.System;
  const [severityValue, severity] = NXLOG_SEVERITY[s.Level];
  const core: Obj = {
    EventTime: attrs(s.TimeCreated).SystemTime.slice(0, 26) + 'Z',
    Hostname: s.Computer,
    Keywords: BigInt.asIntN(64, BigInt(s.Keywords)).toString(),
    SeverityValue: severityValue,
    Severity: severity,
    EventID: s.EventID,
    SourceName: attrs(s.Provider).Name,
    ProviderGuid: attrs(s.Provider).Guid,
    Version: s.Version === undefined ? undefined : Number(s.Version),
    Task: Number(s.Task),
    OpcodeValue: s.Opcode === undefined ? undefined : Number(s.Opcode),
    RecordNumber: Number(s.EventRecordID),
    ActivityID: attrs(s.Correlation).ActivityID,
    ProcessID: s.Execution ? Number(attrs(s.Execution).ProcessID) : undefined,
    ThreadID: s.Execution ? Number(attrs(s.Execution).ThreadID) : undefined,
    Channel: s.Channel ?? undefined,
    UserID: s.Security ? attrs(s.Security).UserID : undefined,
    EventReceivedTime: '2024-05-01 00:00:01',
    SourceModuleName: 'eventlog',
    SourceModuleType: 'im_msvistalog',
  };
  // NXLog's EventType gives way to an event data item of that name (Sysmon registry events).
  const keywords = keywordNames(s.Keywords) ?? [];
  const eventType = keywords.includes('Audit Failure') ? 'AUDIT_FAILURE' : keywords.includes('Audit Success') ? 'AUDIT_SUCCESS' : severity;
  const data: Obj = { EventType: eventType };
  for (const [k, v] of Object.entries(e.EventData ?? {})) data[k] = dataText(v);
  return JSON.stringify({ ...data, ...core });
}

function esc(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xmlAttrs(pairs: Obj): string {
  return Object.entries(pairs)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => ` ${k}="${esc(String(v))}"`)
    .join('');
}

function toXml(e: Obj): string {
  const s = e.System;
  const el = (name: string, v: unknown): string => (v === undefined || v === null ? '' : `<${name}>${esc(String(v))}</${name}>`);
  const data: string[] = [];
  for (const [k, v] of Object.entries(e.EventData ?? {})) {
    if (k === 'Data') for (const item of [v].flat()) data.push(item === null ? '<Data/>' : `<Data>${esc(String(item))}</Data>`);
    else data.push(v === null ? `<Data Name="${esc(k)}" />` : `<Data Name="${esc(k)}">${esc(String(v))}</Data>`);
  }
  return (
    `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>` +
    `<Provider${xmlAttrs(attrs(s.Provider))} />${el('EventID', s.EventID)}${el('Version', s.Version)}${el('Level', s.Level)}` +
    `${el('Task', s.Task)}${el('Opcode', s.Opcode)}${el('Keywords', s.Keywords)}<TimeCreated${xmlAttrs(attrs(s.TimeCreated))}/>` +
    `${el('EventRecordID', s.EventRecordID)}<Correlation${xmlAttrs(attrs(s.Correlation))}/><Execution${xmlAttrs(attrs(s.Execution))}/>` +
    `${el('Channel', s.Channel)}${el('Computer', s.Computer)}<Security${xmlAttrs(attrs(s.Security))}/></System>` +
    `<EventData>${data.join('')}</EventData></Event>`
  );
}

/** Fields one shape carries and another cannot: the forwarder's own, and a rendered message. */
function comparable(event: MamoriEvent): MamoriEvent {
  const out: MamoriEvent = {};
  for (const [k, v] of Object.entries(event)) {
    if (k.startsWith('agent.') || k.startsWith('nxlog.') || k === 'message') continue;
    out[k] = v;
  }
  return out;
}

/**
 * About 50 events with EventData, one per (channel, EventID) pair with the
 * mapped ids first. Left out: UserData (NXLog flattens it into the event
 * data), unnamed `<Data>` (Winlogbeat renames those paramN) and data names
 * NXLog uses for its own fields (it overwrites them).
 */
function sample(events: Obj[]): Obj[] {
  const NXLOG_OWN = new Set(['AccountName', 'Domain', 'AccountType', 'Category', 'Severity', 'Message', 'ProcessID', 'ThreadID', 'UserID', 'Version', 'Task', 'Opcode', 'Channel', 'Hostname', 'Keywords']);
  const MAPPED = new Set(['1', '3', '5', '7', '8', '10', '11', '12', '13', '17', '18', '22', '23', '4103', '4104', '4624', '4625', '4648', '4672', '4688', '4719', '4768', '4776', '5140', '5145', '7036', '7045']);
  const seen = new Set<string>();
  const picked: Obj[] = [];
  const candidates = events.filter((e) => {
    const ed = e.EventData;
    return ed && typeof ed === 'object' && !('Data' in ed) && !Object.keys(ed).some((k) => NXLOG_OWN.has(k));
  });
  for (const pass of [true, false]) {
    for (const e of candidates) {
      const key = `${e.System.Channel}:${e.System.EventID}`;
      if (seen.has(key) || MAPPED.has(String(e.System.EventID)) !== pass || picked.length >= 50) continue;
      seen.add(key);
      picked.push(e);
    }
  }
  return picked;
}

describe('windows conformance: EVTX-ATTACK-SAMPLES', () => {
  it.runIf(!present && required)('has its fixture file', () => {
    expect.fail(`MAMORI_CONFORMANCE=required but ${FIXTURE} is missing`);
  });

  it.skipIf(!present)('normalises all 8,255 events with their System fields and every EventData member', () => {
    const lines = fixtureLines();
    expect(lines.length).toBe(8255);
    const datasets = new Map<string, number>();
    for (const [n, line] of lines.entries()) {
      const event = normalise({ id: `e${n}`, tenant: 't', source: 's', format: 'windows', received, data: line });
      const e = JSON.parse(line).Event;
      const s = e.System;
      const where = `line ${n + 1}`;
      expect(event['event.kind'], where).toBe('event');
      expect(event['error.message'], where).toBeUndefined();
      expect(event['@timestamp'], where).toBe(msTime(attrs(s.TimeCreated).SystemTime));
      expect(event['host.name'], where).toBe(s.Computer);
      expect(event['event.code'], where).toBe(String(s.EventID));
      expect(event['winlog.event_id'], where).toBe(String(s.EventID));
      expect(event['winlog.channel'], where).toBe(s.Channel ?? undefined);
      expect(event['winlog.record_id'], where).toBe(s.EventRecordID);
      expect(event['event.provider'], where).toBe(attrs(s.Provider).Name);
      for (const [k, v] of Object.entries(e.EventData ?? {})) expect(event[`winlog.event_data.${k}`], `${where} ${k}`).toEqual(dataText(v));
      for (const wrapper of Object.values(e.UserData ?? {}) as Obj[]) {
        for (const [k, v] of Object.entries(wrapper)) expect(event[`winlog.user_data.${k.slice(k.indexOf('}') + 1)}`], `${where} ${k}`).toEqual(dataText(v));
      }
      const dataset = event['event.dataset'] as string;
      datasets.set(dataset, (datasets.get(dataset) ?? 0) + 1);
    }
    expect(Object.fromEntries(datasets)).toEqual({
      'windows.sysmon': 3241,
      'windows.security': 1577,
      'windows.system': 17,
      'windows.application': 393,
      'windows.powershell': 11,
      'windows.other': 3016,
    });
  });

  it.skipIf(!present)('maps the ECS fields of known events in the file', () => {
    const byKey = new Map<string, MamoriEvent>();
    for (const line of fixtureLines()) {
      const s = JSON.parse(line).Event.System;
      const key = `${s.Channel}:${s.EventID}`;
      if (!byKey.has(key)) byKey.set(key, windows.parse(line, { received }));
    }
    const sysmon1 = byKey.get('Microsoft-Windows-Sysmon/Operational:1')!;
    expect(sysmon1['event.category']).toEqual(['process']);
    expect(sysmon1['process.executable']).toBe(sysmon1['winlog.event_data.Image']);
    expect(sysmon1['process.command_line']).toBe(sysmon1['winlog.event_data.CommandLine']);
    expect(sysmon1['process.parent.executable']).toBe(sysmon1['winlog.event_data.ParentImage']);
    const logon = byKey.get('Security:4624')!;
    expect(logon['event.outcome']).toBe('success');
    expect(logon['user.name']).toBe(logon['winlog.event_data.TargetUserName']);
    expect(logon['winlog.logon.type']).toBeTypeOf('string');
    const share = byKey.get('Security:5145')!;
    expect(share['source.ip']).toBe(share['winlog.event_data.IpAddress']);
    expect(share['event.action']).toBe('network-share-object-access-checked');
  });

  it.skipIf(!present)('gives the same fields for a sample converted to Winlogbeat, NXLog and EVTX XML', () => {
    const events = fixtureLines().map((l) => JSON.parse(l).Event as Obj);
    const picked = sample(events);
    expect(picked.length).toBe(50);
    const ctx = { received, timezone: 'Asia/Tokyo' };
    for (const e of picked) {
      const expected = comparable(windows.parse(JSON.stringify({ Event: e }), ctx));
      const where = `${e.System.Channel}:${e.System.EventID}`;
      expect(comparable(windows.parse(toWinlogbeat(e), ctx)), `winlogbeat ${where}`).toEqual(expected);
      expect(comparable(windows.parse(toNxlog(e), ctx)), `nxlog ${where}`).toEqual(expected);
      expect(comparable(windows.parse(toXml(e), ctx)), `xml ${where}`).toEqual(expected);
    }
  });
});
