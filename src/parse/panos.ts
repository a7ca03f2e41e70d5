/**
 * Palo Alto Networks PAN-OS syslog in the default CSV format:
 * `[syslog header] FUTURE_USE,Receive Time,Serial,TYPE,Subtype,...`.
 * Columns are mapped by position (panos-layouts.ts); fields may be quoted
 * with `"` and doubled quotes inside. PAN-OS writes local times without a
 * zone, so they are read in the source's time zone.
 */
import type { MamoriEvent } from '../core/event.js';
import { applyDeviceEnvelope, readSyslogEnvelope } from './envelope.js';
import { fieldTable, outcomeOf, setMapped, type FieldTable } from './mapping.js';
import { HEAD_LAYOUT, LAYOUTS } from './panos-layouts.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { parseUint } from './syslog.js';
import { isoFromMs, isValidMs, parseIso } from './time.js';
import { setDomainUser } from './user-domain.js';

const UNMAPPED_PREFIX = 'panos.';
/** The longest documented layout has 123 columns; a line with more keeps the rest in event.original only. */
const MAX_COLUMNS = 256;
const DQUOTE = 34;
const COMMA = 44;

const COLUMNS: FieldTable = fieldTable([
  ['serial', 'observer.serial_number', 'string'],
  ['src', 'source.ip', 'ip'],
  ['dst', 'destination.ip', 'ip'],
  ['natsrc', 'source.nat.ip', 'ip'],
  ['natdst', 'destination.nat.ip', 'ip'],
  ['rule', 'rule.name', 'string'],
  ['rule_uuid', 'rule.uuid', 'string'],
  ['app', 'network.application', 'lower'],
  ['from', 'observer.ingress.zone', 'string'],
  ['to', 'observer.egress.zone', 'string'],
  ['inbound_if', 'observer.ingress.interface.name', 'string'],
  ['outbound_if', 'observer.egress.interface.name', 'string'],
  ['sport', 'source.port', 'port'],
  ['dport', 'destination.port', 'port'],
  ['natsport', 'source.nat.port', 'port'],
  ['natdport', 'destination.nat.port', 'port'],
  ['proto', 'network.transport', 'transport'],
  ['bytes', 'network.bytes', 'uint'],
  ['bytes_sent', 'source.bytes', 'uint'],
  ['bytes_received', 'destination.bytes', 'uint'],
  ['packets', 'network.packets', 'uint'],
  ['pkts_sent', 'source.packets', 'uint'],
  ['pkts_received', 'destination.packets', 'uint'],
  ['session_end_reason', 'event.reason', 'string'],
  ['device_name', 'observer.name', 'string'],
  ['src_host', 'source.domain', 'string'],
  ['dst_host', 'destination.domain', 'string'],
  ['src_mac', 'source.mac', 'mac'],
  ['dst_mac', 'destination.mac', 'mac'],
  ['user_agent', 'user_agent.original', 'string'],
  ['referer', 'http.request.referrer', 'string'],
  ['http_method', 'http.request.method', 'string'],
  ['contenttype', 'http.response.mime_type', 'string'],
  ['filedigest', 'file.hash', 'hash'],
  ['sender', 'email.from.address', 'string'],
  ['subject', 'email.subject', 'string'],
  ['recipient', 'email.to.address', 'string'],
  ['eventid', 'event.action', 'string'],
  ['opaque', 'message', 'string'],
  ['cmd', 'event.action', 'string'],
  ['host', 'source.ip', 'ip'],
  ['result', 'event.outcome', 'outcome'],
]);

/** PAN-OS severities, in ECS event.severity order 1..5. */
const SEVERITIES = new Map([['informational', 1], ['low', 2], ['medium', 3], ['high', 4], ['critical', 5]]);

const DENIED_PREFIXES = ['deny', 'drop', 'reset', 'block', 'sinkhole'];

function verdictOf(action: string | undefined): 'allowed' | 'denied' | undefined {
  if (action === undefined || action.length === 0) return undefined;
  for (const prefix of DENIED_PREFIXES) if (action.startsWith(prefix)) return 'denied';
  return 'allowed';
}

// One reusable buffer: parse is synchronous, and lines arrive at 100k/s.
const fields: string[] = [];
let fieldCount = 0;

/** Splits `text` at commas outside double quotes into `fields`; `""` inside quotes is one quote. */
function splitCsv(text: string): void {
  fieldCount = 0;
  const n = text.length;
  let i = 0;
  while (fieldCount < MAX_COLUMNS) {
    let value: string;
    if (text.charCodeAt(i) === DQUOTE) {
      value = '';
      let start = i + 1;
      let j = start;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          // An unterminated quote takes the rest of the line.
          value += text.slice(start);
          i = n;
          break;
        }
        if (text.charCodeAt(q + 1) === DQUOTE) {
          value += text.slice(start, q + 1);
          start = j = q + 2;
          continue;
        }
        value += text.slice(start, q);
        i = q + 1;
        // Text between the closing quote and the next comma is not valid CSV; it is dropped.
        const comma = text.indexOf(',', i);
        i = comma < 0 ? n : comma;
        break;
      }
    } else {
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      value = text.slice(i, end);
      i = end;
    }
    fields[fieldCount++] = value;
    if (i >= n || text.charCodeAt(i) !== COMMA) break;
    i++;
  }
}

/** The last time read: receive, generated and start times of a line, and of consecutive lines, are mostly the same second. */
let lastTimeText = '';
let lastTimeZone: string | undefined;
let lastTimeMs = NaN;

/** `YYYY/MM/DD hh:mm:ss` in `zone` as epoch ms; NaN when it is not one. */
function panosTime(value: string, zone: string | undefined): number {
  if (value === lastTimeText && zone === lastTimeZone) return lastTimeMs;
  if (value.length !== 19 || value.charCodeAt(4) !== 47 || value.charCodeAt(7) !== 47) return NaN;
  lastTimeMs = parseIso(`${value.slice(0, 4)}-${value.slice(5, 7)}-${value.slice(8)}`, zone);
  lastTimeText = value;
  lastTimeZone = zone;
  return lastTimeMs;
}

function setTime(event: MamoriEvent, field: string, value: string, ctx: ParseContext): boolean {
  const ms = panosTime(value, ctx.timezone);
  if (!isValidMs(ms)) return false;
  event[field] = isoFromMs(ms);
  return true;
}

/** `name(id)` or `(id)` as THREAT logs write the threat; sets rule.id and panos.threat.name. */
function setThreat(event: MamoriEvent, value: string): void {
  const open = value.lastIndexOf('(');
  if (open >= 0 && value.endsWith(')')) {
    const id = value.slice(open + 1, -1);
    if (id.length > 0) event['rule.id'] = id;
    const name = value.slice(0, open).trim();
    if (name.length > 0) event['panos.threat.name'] = name;
  } else {
    event['panos.threat.name'] = value;
  }
}

/** The THREAT misc column: a URL (`host/path`, no scheme) for url subtypes, else a file name or a path. */
function setMisc(event: MamoriEvent, subtype: string, value: string): void {
  const isFile = subtype === 'virus' || subtype === 'wildfire' || subtype === 'wildfire-virus' || subtype === 'file' || subtype === 'data';
  if (isFile || (subtype !== 'url' && value.indexOf('/') < 0)) {
    event['file.name'] = value;
    return;
  }
  event['url.original'] = value;
  if (subtype !== 'url') return;
  let start = value.indexOf('://');
  start = start < 0 ? 0 : start + 3;
  let end = start;
  while (end < value.length) {
    const c = value.charCodeAt(end);
    if (c === 47 || c === 58 || c === 63) break;
    end++;
  }
  if (end > start) event['url.domain'] = value.slice(start, end);
  const slash = value.indexOf('/', end);
  if (slash >= 0) {
    const q = value.indexOf('?', slash);
    event['url.path'] = q < 0 ? value.slice(slash) : value.slice(slash, q);
    if (q >= 0 && q < value.length - 1) event['url.query'] = value.slice(q + 1);
  }
}

function mapColumn(event: MamoriEvent, type: string, subtype: string, name: string, value: string, ctx: ParseContext): void {
  switch (name) {
    case 'time_generated':
      if (setTime(event, '@timestamp', value, ctx)) return;
      break;
    case 'receive_time':
      if (setTime(event, 'event.created', value, ctx)) return;
      break;
    case 'start':
      if (setTime(event, 'event.start', value, ctx)) return;
      break;
    case 'high_res_timestamp': {
      // ISO 8601 with milliseconds and offset: more precise than time_generated.
      const ms = parseIso(value, ctx.timezone);
      if (isValidMs(ms)) {
        event['@timestamp'] = isoFromMs(ms);
        return;
      }
      break;
    }
    case 'srcuser':
      setDomainUser(event, 'source.user.', value);
      return;
    case 'dstuser':
      setDomainUser(event, 'destination.user.', value);
      return;
    case 'admin':
      setDomainUser(event, 'user.', value);
      return;
    case 'elapsed': {
      const seconds = parseUint(value, 1e9);
      if (seconds === undefined) break;
      event['event.duration'] = seconds * 1e9;
      return;
    }
    case 'severity': {
      const level = value.toLowerCase();
      const severity = SEVERITIES.get(level);
      if (severity === undefined) break;
      event['event.severity'] = severity;
      event['log.level'] = level;
      return;
    }
    case 'threatid':
      setThreat(event, value);
      return;
    case 'misc':
      setMisc(event, subtype, value);
      return;
    case 'category':
      if (type === 'THREAT') {
        event['rule.category'] = value;
        return;
      }
      break;
    case 'action':
      event['event.action'] = value;
      return;
    case 'natsrc':
    case 'natdst':
      // PAN-OS writes 0.0.0.0 / port 0 for sessions without NAT.
      if (value === '0.0.0.0') return;
      break;
    case 'natsport':
    case 'natdport':
      if (value === '0') return;
      break;
    case 'type':
      return;
  }
  setMapped(event, COLUMNS, UNMAPPED_PREFIX, name, value, ctx);
}

/** Names `mapColumn` handles itself rather than through the COLUMNS table. */
const SPECIAL = new Set([
  'time_generated', 'receive_time', 'start', 'high_res_timestamp', 'srcuser', 'dstuser', 'admin', 'elapsed',
  'severity', 'threatid', 'misc', 'category', 'action', 'natsrc', 'natdst', 'natsport', 'natdport', 'type',
]);

/** One CSV column as the hot loop needs it: decided once per layout, not per line. */
interface Column {
  name: string;
  /** `panos.<name>`, for a column with no ECS home. */
  vendorField: string;
  /** Needs `mapColumn` (special handling or a table entry); else the value goes to `vendorField` as is. */
  mapped: boolean;
}

function compile(layout: readonly string[]): Column[] {
  return layout.map((name) => ({ name, vendorField: UNMAPPED_PREFIX + name, mapped: SPECIAL.has(name) || COLUMNS.has(name) }));
}

const COMPILED = new Map([...LAYOUTS].map(([type, layout]) => [type, compile(layout)]));
const HEAD_COLUMNS = compile(HEAD_LAYOUT);
/** Columns past the end of a layout (a newer PAN-OS release), by index; at most MAX_COLUMNS names. */
const extraColumns: Column[] = [];

function extraColumn(i: number): Column {
  let column = extraColumns[i];
  if (column === undefined) {
    const name = `column_${i}`;
    column = { name, vendorField: UNMAPPED_PREFIX + name, mapped: false };
    extraColumns[i] = column;
  }
  return column;
}

function classify(event: MamoriEvent, type: string, subtype: string): void {
  const verdict = type === 'TRAFFIC' || type === 'THREAT' ? verdictOf(event['event.action'] as string | undefined) : undefined;
  const withVerdict = (types: string[]): string[] => (verdict === undefined ? types : [...types, verdict]);
  if (verdict !== undefined) event['event.outcome'] = verdict === 'allowed' ? 'success' : 'failure';
  switch (type) {
    case 'TRAFFIC': {
      const phase = subtype === 'start' ? ['start'] : subtype === 'end' ? ['end'] : [];
      event['event.category'] = ['network'];
      event['event.type'] = withVerdict(['connection', ...phase]);
      return;
    }
    case 'THREAT':
      if (subtype === 'url') {
        event['event.category'] = ['web', 'network'];
        event['event.type'] = withVerdict(['access']);
        return;
      }
      event['event.kind'] = 'alert';
      event['event.category'] =
        subtype === 'virus' || subtype === 'wildfire-virus' || subtype === 'wildfire'
          ? ['malware', 'network']
          : subtype === 'file' || subtype === 'data'
            ? ['file', 'network']
            : ['intrusion_detection', 'network'];
      event['event.type'] = withVerdict(['info']);
      return;
    case 'SYSTEM': {
      const action = (event['event.action'] as string | undefined) ?? '';
      if (action.startsWith('auth-')) {
        event['event.category'] = ['authentication'];
        event['event.type'] = ['info'];
        const outcome = outcomeOf(action.slice(5));
        if (outcome !== undefined) event['event.outcome'] = outcome;
      } else {
        event['event.category'] = ['host'];
        event['event.type'] = ['info'];
      }
      return;
    }
    case 'CONFIG':
      event['event.category'] = ['configuration'];
      event['event.type'] = ['change'];
      return;
  }
}

/** The acting user of a session is its source user. */
function promoteSourceUser(event: MamoriEvent): void {
  if (event['user.name'] !== undefined || event['source.user.name'] === undefined) return;
  event['user.name'] = event['source.user.name'];
  if (event['source.user.domain'] !== undefined) event['user.domain'] = event['source.user.domain'];
}

/**
 * A PRI, a BSD month or an ISO date in front of the CSV. Bare CSV starts
 * with a digit and a comma; asking the envelope reader would cost a thrown
 * ParseError per line.
 */
function hasSyslogHeader(line: string): boolean {
  const c = line.charCodeAt(0);
  return c === 60 || (c >= 65 && c <= 90) || (c >= 48 && c <= 57 && line.charCodeAt(4) === 45);
}

/** Log type names are upper-case words (`TRAFFIC`, `GLOBALPROTECT`). */
function isLogType(s: string): boolean {
  if (s.length < 3 || s.length > 20) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || c === 95 || c === 45)) return false;
  }
  return true;
}

export const panos: Parser = {
  name: 'panos',
  description: 'Palo Alto Networks PAN-OS syslog CSV (TRAFFIC, THREAT, SYSTEM, CONFIG), with or without a syslog header',
  sniff(line: string): boolean {
    // `,<serial>,TRAFFIC,` / `,THREAT,` / `,SYSTEM,` / `,CONFIG,` within the first columns.
    const limit = 200;
    for (const type of [',TRAFFIC,', ',THREAT,', ',SYSTEM,', ',CONFIG,']) {
      const at = line.indexOf(type);
      if (at >= 0 && at < limit) return true;
    }
    return false;
  },
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const event: MamoriEvent = { '@timestamp': undefined, 'event.kind': 'event', 'event.module': 'panos', 'event.dataset': 'panos' };
    let body = line;
    const envelope = hasSyslogHeader(line) ? readSyslogEnvelope(line, ctx) : undefined;
    if (envelope) {
      const host = envelope.header['host.name'];
      // A header without a host name makes the first CSV column look like one.
      if (typeof host === 'string' && host.indexOf(',') >= 0) {
        delete envelope.header['host.name'];
        body = host + ' ' + envelope.body;
      } else {
        body = envelope.body;
      }
      applyDeviceEnvelope(event, envelope);
    }
    splitCsv(body);
    const type = fieldCount > 6 ? fields[3] : '';
    if (!isLogType(type)) throw new ParseError('not a PAN-OS log: no log type in the fourth CSV column');
    const subtype = fields[4];
    const columns = COMPILED.get(type) ?? HEAD_COLUMNS;
    event['event.dataset'] = `panos.${type.toLowerCase()}`;
    event['observer.vendor'] = 'Palo Alto Networks';
    event['observer.product'] = 'PAN-OS';
    event['observer.type'] = 'firewall';
    for (let i = 0; i < fieldCount; i++) {
      const value = fields[i];
      if (value.length === 0) continue;
      const column = i < columns.length ? columns[i] : extraColumn(i);
      if (column.mapped) mapColumn(event, type, subtype, column.name, value, ctx);
      else if (column.name.length > 0) event[column.vendorField] = value;
    }
    classify(event, type, subtype);
    if (type === 'THREAT' && event['panos.threat.name'] !== undefined) event.message = event['panos.threat.name'];
    promoteSourceUser(event);
    if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
    return event;
  },
};
