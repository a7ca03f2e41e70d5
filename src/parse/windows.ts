/**
 * Windows event log records in the four shapes forwarders send them in,
 * detected per line: EVTX XML (`<Event>`), evtx-dump JSON (`{"Event": ...}`),
 * Winlogbeat JSON (`{"winlog": ...}`) and NXLog JSON (flat, `EventID`). Each
 * shape reader yields the same System header and event data; this module
 * turns those into `winlog.*` and the common ECS fields, then applies the
 * per-event ECS mapping (windows-ecs.ts).
 */
import type { MamoriEvent } from '../core/event.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { readJsonObject } from './json-line.js';
import { isoFromMs, isValidMs } from './time.js';
import { mapEcs, type WinSource } from './windows-ecs.js';
import { jsonShape, readEvtxDump, readNxlog, readWinlogbeat } from './windows-json.js';
import { DataWriter, type WinHeader } from './windows-record.js';
import { parseXml, readEvtxXml } from './windows-xml.js';


/** `event.dataset` suffix and ECS rule set by channel (lower case). */
const SOURCE_BY_CHANNEL = new Map<string, WinSource>([
  ['security', 'security'],
  ['microsoft-windows-sysmon/operational', 'sysmon'],
  ['microsoft-windows-powershell/operational', 'powershell'],
  ['powershellcore/operational', 'powershell'],
  ['windows powershell', 'powershell'],
  ['system', 'system'],
  ['application', 'application'],
]);
/** For events that carry no channel (ETW sessions, some forwarders). */
const SOURCE_BY_PROVIDER = new Map<string, WinSource>([
  ['microsoft-windows-security-auditing', 'security'],
  ['microsoft-windows-sysmon', 'sysmon'],
  ['microsoft-windows-powershell', 'powershell'],
  ['powershell', 'powershell'],
  ['service control manager', 'system'],
]);

function sourceOf(channel: string | undefined, provider: string | undefined): WinSource {
  if (channel !== undefined) return SOURCE_BY_CHANNEL.get(channel.toLowerCase()) ?? 'other';
  return (provider !== undefined && SOURCE_BY_PROVIDER.get(provider.toLowerCase())) || 'other';
}

function firstNonBlank(line: string): number {
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10 && c !== 0xfeff) break;
    i++;
  }
  return i;
}

function set(event: MamoriEvent, field: string, value: string | number | string[] | undefined): void {
  if (value !== undefined) event[field] = value;
}

/** The System header into `winlog.*` and the ECS fields every Windows event has, then the per-event ECS mapping. */
function applyHeader(event: MamoriEvent, header: WinHeader, data: DataWriter, ctx: ParseContext): void {
  const { eventId } = header;
  if (eventId === undefined) throw new ParseError('not a Windows event: no valid EventID');
  event['@timestamp'] = isoFromMs(isValidMs(header.time) ? header.time : ctx.received);
  const source = sourceOf(header.channel, header.provider);
  event['event.dataset'] = 'windows.' + source;
  event['event.code'] = eventId;
  set(event, 'event.provider', header.provider);
  set(event, 'host.name', header.computer);
  set(event, 'log.level', header.level);
  set(event, 'message', header.message);
  event['winlog.event_id'] = eventId;
  set(event, 'winlog.channel', header.channel);
  set(event, 'winlog.provider_name', header.provider);
  set(event, 'winlog.provider_guid', header.providerGuid);
  set(event, 'winlog.record_id', header.recordId);
  set(event, 'winlog.computer_name', header.computer);
  set(event, 'winlog.process.pid', header.pid);
  set(event, 'winlog.process.thread.id', header.tid);
  set(event, 'winlog.user.identifier', header.userId);
  set(event, 'winlog.activity_id', header.activityId);
  set(event, 'winlog.related_activity_id', header.relatedActivityId);
  set(event, 'winlog.version', header.version);
  set(event, 'winlog.task', header.task);
  set(event, 'winlog.opcode', header.opcode);
  set(event, 'winlog.keywords', header.keywords);
  data.finish();
  mapEcs(event, source, eventId, data.values, header.keywords);
}

function readJson(line: string, event: MamoriEvent, data: DataWriter, ctx: ParseContext): WinHeader {
  const object = readJsonObject(line);
  switch (jsonShape(object)) {
    case 'evtx':
      return readEvtxDump(object, data);
    case 'winlogbeat':
      return readWinlogbeat(object, event, data);
    case 'nxlog':
      return readNxlog(object, event, data, ctx.timezone);
    default:
      throw new ParseError('not a Windows event: no Event.System, winlog or EventID member');
  }
}

export const windows: Parser = {
  name: 'windows',
  description: 'Windows event log records as evtx-dump JSON, Winlogbeat JSON, NXLog JSON or EVTX XML, detected per line',
  /** `<Event ` / `<Event>` (after an XML declaration too), `{"Event": ...`, or the member names Winlogbeat and NXLog always write. */
  sniff(line: string): boolean {
    const i = firstNonBlank(line);
    const c = line.charCodeAt(i);
    if (c === 60) {
      // An XML declaration may come first (wevtutil and many forwarders write one).
      const at = line.startsWith('<?xml', i) ? line.indexOf('<Event', i) : i;
      return at >= 0 && at < i + 100 && line.startsWith('<Event', at) && (line.charCodeAt(at + 6) === 32 || line.charCodeAt(at + 6) === 62);
    }
    if (c !== 123) return false;
    return (
      line.startsWith('"Event"', line.indexOf('"', i)) ||
      (line.includes('"winlog"') && line.includes('"event_id"')) ||
      (line.includes('"EventID"') && line.includes('"SourceName"'))
    );
  },
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const start = firstNonBlank(line);
    const first = line.charCodeAt(start);
    if (first !== 123 && first !== 60) throw new ParseError('not a Windows event: neither a JSON object nor XML');
    const event: MamoriEvent = { '@timestamp': undefined, 'event.kind': 'event', 'event.module': 'windows', 'event.dataset': undefined };
    const data = new DataWriter(event);
    const header = first === 60 ? readEvtxXml(parseXml(line), data) : readJson(start === 0 ? line : line.slice(start), event, data, ctx);
    applyHeader(event, header, data, ctx);
    return event;
  },
};
