/**
 * Readers for the three JSON shapes of a Windows event: evtx-dump
 * (`{"Event": {"System": ..., "EventData": ...}}`, the XML turned into JSON
 * with `#attributes` / `#text`), Winlogbeat (`{"winlog": {...}}`) and NXLog
 * im_msvistalog with to_json (flat, event data members at the top level).
 * Each reads a decoded document at fixed paths only, so a deep or huge
 * document costs no more than its size.
 */
import type { MamoriEvent } from '../core/event.js';
import { flattenInto } from './flatten.js';
import { ParseError } from './parser.js';
import { parseIso } from './time.js';
import {
  DataWriter,
  eventIdText,
  keywordsFromDecimal,
  keywordsFromHex,
  levelFromCode,
  levelFromName,
  text,
  uint,
  UNNAMED_DATA,
  type WinHeader,
} from './windows-record.js';

type Obj = Record<string, unknown>;

/** UserData is flattened this many levels below its wrapper element; deeper parts are kept as JSON text. */
const MAX_USER_DATA_DEPTH = 8;

function obj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

function attributes(value: unknown): Obj | undefined {
  return obj(obj(value)?.['#attributes']);
}

/** An ISO 8601 time as epoch ms (no offset → `zone`), NaN otherwise. */
function timeOf(value: unknown, zone: string | undefined): number {
  return typeof value === 'string' ? parseIso(value, zone) : NaN;
}

/** `{http://namespace}Name` → `Name`, as evtx-dump spells namespaced UserData elements. */
function withoutNamespace(name: string): string {
  if (name.charCodeAt(0) !== 123) return name;
  const close = name.indexOf('}');
  return close < 0 ? name : name.slice(close + 1);
}

/**
 * UserData holds one wrapper element (`LogFileCleared`, `EventXML`) whose
 * children are the data; they become `winlog.user_data.<child>` and the
 * wrapper's name `winlog.user_data.xml_name`, as Winlogbeat writes them.
 */
function readUserData(userData: Obj, data: DataWriter): void {
  for (const wrapperKey in userData) {
    if (wrapperKey === '#attributes') continue;
    const wrapper = obj(userData[wrapperKey]);
    data.userData('xml_name', withoutNamespace(wrapperKey));
    if (wrapper) userDataMembers(wrapper, '', data, 1);
    else data.userData(withoutNamespace(wrapperKey), userData[wrapperKey]);
  }
}

function userDataMembers(members: Obj, prefix: string, data: DataWriter, depth: number): void {
  for (const key in members) {
    if (key === '#attributes') continue;
    const value = members[key];
    const name = prefix + withoutNamespace(key);
    const nested = obj(value);
    if (nested && !('#text' in nested) && depth < MAX_USER_DATA_DEPTH) userDataMembers(nested, name + '.', data, depth + 1);
    else data.userData(name, value);
  }
}

/** evtx-dump JSON: `{"Event": {"System": {...}, "EventData": {...} | null, "UserData": {...}}}`. */
export function readEvtxDump(doc: Obj, data: DataWriter): WinHeader {
  const root = obj(doc.Event) ?? doc;
  const system = obj(root.System);
  if (!system) throw new ParseError('not a Windows event: no Event.System');
  const provider = attributes(system.Provider);
  const execution = attributes(system.Execution);
  const correlation = attributes(system.Correlation);
  const eventId = obj(system.EventID)?.['#text'] ?? system.EventID;
  const header: WinHeader = {
    eventId: eventIdText(eventId),
    provider: text(provider?.Name),
    providerGuid: text(provider?.Guid),
    channel: text(system.Channel),
    computer: text(system.Computer),
    recordId: text(system.EventRecordID),
    userId: text(attributes(system.Security)?.UserID),
    activityId: text(correlation?.ActivityID),
    relatedActivityId: text(correlation?.RelatedActivityID),
    task: text(system.Task),
    opcode: text(system.Opcode),
    version: uint(system.Version),
    pid: uint(execution?.ProcessID),
    tid: uint(execution?.ThreadID),
    level: levelFromCode(system.Level),
    keywords: keywordsFromHex(system.Keywords),
    time: timeOf(attributes(system.TimeCreated)?.SystemTime, 'UTC'),
  };
  const eventData = obj(root.EventData);
  if (eventData) {
    for (const key in eventData) {
      if (key !== '#attributes') data.eventData(key === '#text' ? UNNAMED_DATA : key, eventData[key]);
    }
  }
  const userData = obj(root.UserData);
  if (userData) readUserData(userData, data);
  return header;
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.length > 0 ? [value] : undefined;
  if (!Array.isArray(value)) return undefined;
  const out = value.filter((v): v is string => typeof v === 'string' && v.length > 0);
  return out.length > 0 ? out : undefined;
}

/** Winlogbeat: `{"@timestamp", "winlog": {...}, "event": {...}, "log": {"level"}, "message", "agent": {...}}`. */
export function readWinlogbeat(doc: Obj, event: MamoriEvent, data: DataWriter): WinHeader {
  const winlog = obj(doc.winlog) as Obj;
  const process = obj(winlog.process);
  const user = obj(winlog.user);
  const ecsEvent = obj(doc.event);
  const header: WinHeader = {
    eventId: eventIdText(winlog.event_id ?? ecsEvent?.code),
    provider: text(winlog.provider_name ?? ecsEvent?.provider),
    providerGuid: text(winlog.provider_guid),
    channel: text(winlog.channel),
    computer: text(winlog.computer_name),
    recordId: text(winlog.record_id),
    userId: text(user?.identifier),
    activityId: text(winlog.activity_id),
    relatedActivityId: text(winlog.related_activity_id),
    task: text(winlog.task),
    opcode: text(winlog.opcode),
    version: uint(winlog.version),
    pid: uint(process?.pid),
    tid: uint(obj(process?.thread)?.id),
    level: levelFromName(obj(doc.log)?.level),
    keywords: stringList(winlog.keywords),
    time: timeOf(doc['@timestamp'], 'UTC'),
    message: text(doc.message),
  };
  if (user) {
    for (const key of ['name', 'domain', 'type']) {
      const value = text(user[key]);
      if (value !== undefined) event['winlog.user.' + key] = value;
    }
  }
  const eventData = obj(winlog.event_data);
  if (eventData) for (const key in eventData) data.eventData(key, eventData[key]);
  const userData = obj(winlog.user_data);
  if (userData) userDataMembers(userData, '', data, 1);
  // The forwarding agent is worth keeping; the rest of Winlogbeat's own fields is derived again here.
  const agent = obj(doc.agent);
  if (agent) flattenInto(event, agent, 'agent.', { fields: 0, dropped: 0 });
  return header;
}

/**
 * NXLog's own fields; every other top-level member is an event data item.
 * An event data item named like one of these (7045's AccountName) is
 * overwritten by NXLog itself before it reaches us.
 */
const NXLOG_FIELDS = new Set([
  'EventTime', 'EventReceivedTime', 'Hostname', 'Keywords', 'SeverityValue', 'Severity', 'EventID', 'SourceName',
  'ProviderGuid', 'Version', 'Task', 'OpcodeValue', 'Opcode', 'Category', 'RecordNumber', 'ActivityID', 'RelatedActivityID',
  'ProcessID', 'ThreadID', 'Channel', 'Domain', 'AccountName', 'UserID', 'AccountType', 'Message', 'SourceModuleName',
  'SourceModuleType', 'ERROR_EVT_UNRESOLVED',
]);
/** NXLog fields kept as they are under `nxlog.` (no winlog or ECS home). */
const NXLOG_KEPT = ['EventReceivedTime', 'SourceModuleName', 'SourceModuleType'];
/**
 * NXLog's EventType values. Sysmon registry events have an event data item
 * of that name (SetValue, CreateKey, ...), which NXLog lets win; any other
 * value is that item.
 */
const NXLOG_EVENT_TYPES = new Set(['AUDIT_SUCCESS', 'AUDIT_FAILURE', 'CRITICAL', 'ERROR', 'WARNING', 'INFO', 'VERBOSE']);
/** NXLog SeverityValue: 1 DEBUG, 2 INFO, 3 WARNING, 4 ERROR, 5 CRITICAL. */
const NXLOG_LEVELS = [undefined, 'verbose', 'information', 'warning', 'error', 'critical'];
const NXLOG_USER: ReadonlyArray<readonly [string, string]> = [['AccountName', 'winlog.user.name'], ['Domain', 'winlog.user.domain'], ['AccountType', 'winlog.user.type']];

function nxlogKeywords(doc: Obj): string[] | undefined {
  if (doc.Keywords !== undefined) return keywordsFromDecimal(doc.Keywords) ?? keywordsFromHex(doc.Keywords);
  // Without a mask the audit result is still in EventType.
  return doc.EventType === 'AUDIT_SUCCESS' ? ['Audit Success'] : doc.EventType === 'AUDIT_FAILURE' ? ['Audit Failure'] : undefined;
}

/** NXLog im_msvistalog + to_json: flat, with the event data members at the top level. */
export function readNxlog(doc: Obj, event: MamoriEvent, data: DataWriter, zone: string | undefined): WinHeader {
  const severity = uint(doc.SeverityValue);
  const header: WinHeader = {
    eventId: eventIdText(doc.EventID),
    provider: text(doc.SourceName),
    providerGuid: text(doc.ProviderGuid),
    channel: text(doc.Channel),
    computer: text(doc.Hostname),
    recordId: text(doc.RecordNumber),
    userId: text(doc.UserID),
    activityId: text(doc.ActivityID),
    relatedActivityId: text(doc.RelatedActivityID),
    task: text(doc.Category) ?? text(doc.Task),
    opcode: text(doc.Opcode) ?? text(doc.OpcodeValue),
    version: uint(doc.Version),
    pid: uint(doc.ProcessID),
    tid: uint(doc.ThreadID),
    level: (severity !== undefined ? NXLOG_LEVELS[severity] : undefined) ?? levelFromName(doc.Severity),
    keywords: nxlogKeywords(doc),
    // NXLog writes local time without an offset unless configured otherwise.
    time: timeOf(doc.EventTime, zone),
    message: text(doc.Message),
  };
  for (const [key, field] of NXLOG_USER) {
    const value = text(doc[key]);
    if (value !== undefined) event[field] = value;
  }
  for (const key of NXLOG_KEPT) {
    const value = text(doc[key]);
    if (value !== undefined) event['nxlog.' + key] = value;
  }
  const eventType = doc.EventType;
  if (typeof eventType === 'string' && NXLOG_EVENT_TYPES.has(eventType)) event['nxlog.EventType'] = eventType;
  for (const key in doc) {
    if (!NXLOG_FIELDS.has(key) && !(key === 'EventType' && event['nxlog.EventType'] !== undefined)) data.eventData(key, doc[key]);
  }
  return header;
}

/** Which JSON shape a document is, or undefined when it is none of them. */
export function jsonShape(doc: Obj): 'evtx' | 'winlogbeat' | 'nxlog' | undefined {
  if (obj(doc.Event) || obj(doc.System)) return 'evtx';
  if (obj(doc.winlog)) return 'winlogbeat';
  if ('EventID' in doc && ('SourceName' in doc || 'Channel' in doc || 'EventTime' in doc)) return 'nxlog';
  return undefined;
}
