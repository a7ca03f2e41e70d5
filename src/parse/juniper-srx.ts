/**
 * Juniper SRX security logs: the structured-data format (RFC 5424 with a
 * `[junos@2636.1.1.1.2.x name="value" ...]` element, `set system syslog ...
 * structured-data`) and the standard text format (`RT_FLOW:
 * RT_FLOW_SESSION_CREATE: session created 10.0.0.1/51000->...`).
 * Both are turned into the same named pairs (the structured-data names)
 * and mapped by one table per log family.
 */
import type { MamoriEvent } from '../core/event.js';
import { readSyslogEnvelope, type SyslogEnvelope } from './envelope.js';
import { fieldTable, setMapped, type FieldTable } from './mapping.js';
import { isIp, parsePort } from './net.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { parseUint } from './syslog.js';
import { isoFromMs } from './time.js';

const SD_PREFIX = 'log.syslog.structured_data.';
/** Juniper's enterprise number; the rest of the SD-ID names the platform. */
const JUNOS_SD_ID = 'junos@2636.';
const VENDOR_PREFIX = 'juniper.srx.';
/** Junos writes `N/A` for "no value", which must not reach typed columns (user.name "N/A"). */
const NOT_APPLICABLE = 'N/A';
const MAX_EVENT_ID = 64;

const COMMON_ROWS = [
  ['source-address', 'source.ip', 'ip'],
  ['source-port', 'source.port', 'port'],
  ['destination-address', 'destination.ip', 'ip'],
  ['destination-port', 'destination.port', 'port'],
  ['nat-source-address', 'source.nat.ip', 'ip'],
  ['nat-source-port', 'source.nat.port', 'port'],
  ['nat-destination-address', 'destination.nat.ip', 'ip'],
  ['nat-destination-port', 'destination.nat.port', 'port'],
  ['protocol-id', 'network.transport', 'transport'],
  ['protocol-name', 'network.transport', 'transport'],
  [['application', 'application-name'], 'network.application', 'lower'],
  ['source-zone-name', 'observer.ingress.zone', 'string'],
  ['destination-zone-name', 'observer.egress.zone', 'string'],
  [['packet-incoming-interface', 'source-interface-name', 'interface-name'], 'observer.ingress.interface.name', 'string'],
  ['destination-interface-name', 'observer.egress.interface.name', 'string'],
  ['packets-from-client', 'source.packets', 'uint'],
  ['bytes-from-client', 'source.bytes', 'uint'],
  ['packets-from-server', 'destination.packets', 'uint'],
  ['bytes-from-server', 'destination.bytes', 'uint'],
  ['username', 'user.name', 'string'],
  ['filename', 'file.name', 'string'],
  ['obj', 'url.path', 'string'],
] as const;

type Family = 'flow' | 'idp' | 'utm' | 'screen' | 'system';

/** policy-name is the security policy of a flow, but the IDP policy (a rule set) of an attack. */
const TABLES: Record<Family, FieldTable> = {
  flow: fieldTable([...COMMON_ROWS, ['policy-name', 'rule.name', 'string'], ['reason', 'event.reason', 'string']]),
  idp: fieldTable([
    ...COMMON_ROWS,
    ['attack-name', 'rule.name', 'string'],
    ['rule-name', 'rule.id', 'string'],
    ['policy-name', 'rule.ruleset', 'string'],
  ]),
  utm: fieldTable([...COMMON_ROWS, ['policy-name', 'rule.name', 'string'], ['category', 'rule.category', 'string'], ['reason', 'event.reason', 'string']]),
  screen: fieldTable([...COMMON_ROWS, ['attack-name', 'rule.name', 'string']]),
  system: fieldTable(COMMON_ROWS),
};

interface Shape {
  family: Family;
  kind: 'event' | 'alert';
  category: readonly string[];
  type: readonly string[];
  action: string;
  outcome?: 'success' | 'failure';
}

const FLOW_CREATE: Shape = { family: 'flow', kind: 'event', category: ['network'], type: ['connection', 'start', 'allowed'], action: 'session-create', outcome: 'success' };
const FLOW_CLOSE: Shape = { family: 'flow', kind: 'event', category: ['network'], type: ['connection', 'end'], action: 'session-close' };
const FLOW_DENY: Shape = { family: 'flow', kind: 'event', category: ['network'], type: ['connection', 'denied'], action: 'session-deny', outcome: 'failure' };
const LOGIN: Shape = { family: 'system', kind: 'event', category: ['authentication', 'session'], type: ['start'], action: 'logged-in', outcome: 'success' };
const LOGIN_FAILED: Shape = { family: 'system', kind: 'event', category: ['authentication'], type: ['start'], action: 'login-failed', outcome: 'failure' };

const SHAPES: ReadonlyMap<string, Shape> = new Map([
  ['RT_FLOW_SESSION_CREATE', FLOW_CREATE],
  ['RT_FLOW_SESSION_CLOSE', FLOW_CLOSE],
  ['RT_FLOW_SESSION_DENY', FLOW_DENY],
  ['APPTRACK_SESSION_CREATE', FLOW_CREATE],
  ['APPTRACK_SESSION_CLOSE', FLOW_CLOSE],
  ['IDP_ATTACK_LOG_EVENT', { family: 'idp', kind: 'alert', category: ['intrusion_detection', 'network'], type: ['info'], action: 'attack-detected' }],
  ['IDP_APPDDOS_APP_ATTACK_EVENT', { family: 'idp', kind: 'alert', category: ['intrusion_detection', 'network'], type: ['info'], action: 'attack-detected' }],
  ['WEBFILTER_URL_BLOCKED', { family: 'utm', kind: 'event', category: ['web', 'network'], type: ['access', 'denied'], action: 'url-blocked', outcome: 'failure' }],
  ['WEBFILTER_URL_PERMITTED', { family: 'utm', kind: 'event', category: ['web', 'network'], type: ['access', 'allowed'], action: 'url-permitted', outcome: 'success' }],
  ['AV_VIRUS_DETECTED_MT', { family: 'utm', kind: 'alert', category: ['malware'], type: ['info'], action: 'virus-detected' }],
  ['AV_VIRUS_DETECTED', { family: 'utm', kind: 'alert', category: ['malware'], type: ['info'], action: 'virus-detected' }],
  ['UI_LOGIN_EVENT', LOGIN],
  ['UI_AUTH_EVENT', { family: 'system', kind: 'event', category: ['authentication'], type: ['info'], action: 'authenticated', outcome: 'success' }],
  ['UI_LOGOUT_EVENT', { family: 'system', kind: 'event', category: ['authentication', 'session'], type: ['end'], action: 'logged-out', outcome: 'success' }],
  ['SSHD_LOGIN_FAILED', LOGIN_FAILED],
  ['LOGIN_FAILED', LOGIN_FAILED],
  ['UI_LOGIN_FAILED', LOGIN_FAILED],
]);

const SCREEN: Shape = { family: 'screen', kind: 'alert', category: ['intrusion_detection', 'network'], type: ['info'], action: 'screen-alarm' };
const FLOW_OTHER: Shape = { family: 'flow', kind: 'event', category: ['network'], type: ['connection'], action: 'flow' };
const UTM_OTHER: Shape = { family: 'utm', kind: 'event', category: ['network'], type: ['info'], action: 'utm' };
const IDP_OTHER: Shape = { family: 'idp', kind: 'event', category: ['intrusion_detection'], type: ['info'], action: 'idp' };
const OTHER: Shape = { family: 'system', kind: 'event', category: [], type: ['info'], action: 'system' };

/** UTM message ids by their feature prefix (antispam, content filtering, ...). */
const UTM_PREFIXES = ['WEBFILTER_', 'AV_', 'ANTISPAM_', 'CONTENT_FILTERING_'];

function shapeOf(eventId: string): Shape {
  const known = SHAPES.get(eventId);
  if (known) return known;
  if (eventId.startsWith('RT_SCREEN_')) return SCREEN;
  if (eventId.startsWith('IDP_')) return IDP_OTHER;
  for (const prefix of UTM_PREFIXES) if (eventId.startsWith(prefix)) return UTM_OTHER;
  if (eventId.startsWith('RT_FLOW_') || eventId.startsWith('APPTRACK_')) return FLOW_OTHER;
  return OTHER;
}

/** IDP threat-severity words on the ECS 0–10 scale. */
const SEVERITY = new Map([['info', 1], ['warning', 3], ['minor', 5], ['major', 7], ['critical', 9]]);
/** `action` values of IDP, screens and antivirus that mean the traffic was stopped. */
const BLOCKING_ACTIONS = new Set(['drop', 'drop-packet', 'drop-connection', 'close', 'close-client', 'close-server', 'close-client-and-server', 'blocked', 'block', 'reject']);

/** Sets `name`'s value: a few names need more than a table lookup, the rest go through the family table. */
function mapPair(event: MamoriEvent, table: FieldTable, name: string, value: string, ctx: ParseContext): void {
  if (value === NOT_APPLICABLE) return;
  switch (name) {
    case 'application':
    case 'application-name':
      // UNKNOWN is "not identified", not an application called unknown.
      if (value === 'UNKNOWN') {
        event[VENDOR_PREFIX + name] = value;
        return;
      }
      break;
    case 'nat-source-address':
    case 'nat-destination-address':
    case 'nat-source-port':
    case 'nat-destination-port':
      // IDP writes 0.0.0.0 / 0 when there was no translation.
      if (value === '0.0.0.0' || value === '0') {
        event[VENDOR_PREFIX + name] = value;
        return;
      }
      break;
    case 'elapsed-time': {
      const seconds = parseUint(value, Number.MAX_SAFE_INTEGER / 1e9);
      if (seconds !== undefined) event['event.duration'] = seconds * 1e9;
      else event[VENDOR_PREFIX + name] = value;
      return;
    }
    case 'threat-severity': {
      const severity = SEVERITY.get(value.toLowerCase());
      if (severity !== undefined) event['event.severity'] = severity;
      event[VENDOR_PREFIX + name] = value;
      return;
    }
    case 'url':
      // Web filtering logs the host here and the path in `obj`; some builds log a whole URL.
      event[value.includes('://') ? 'url.full' : 'url.domain'] = value;
      return;
    case 'ssh-connection':
      readSshConnection(event, value);
      return;
  }
  setMapped(event, table, VENDOR_PREFIX, name, value, ctx);
}

/** `ssh-connection="10.0.0.9 52211 10.0.0.1 22"`: client address and port, then the device's. */
function readSshConnection(event: MamoriEvent, value: string): void {
  const parts = value.split(' ', 5);
  const port = (s: string | undefined) => (s === undefined ? undefined : parsePort(s));
  const sourcePort = port(parts[1]);
  const destinationPort = port(parts[3]);
  if (parts.length !== 4 || !isIp(parts[0]) || !isIp(parts[2]) || sourcePort === undefined || destinationPort === undefined) {
    event[VENDOR_PREFIX + 'ssh-connection'] = value;
    return;
  }
  event['source.ip'] = parts[0];
  event['source.port'] = sourcePort;
  event['destination.ip'] = parts[2];
  event['destination.port'] = destinationPort;
}

// ---------------------------------------------------------------------------
// Text format: the documented positional layouts, written as Junos documents
// them. `a/b->c/d` is a flow, `x(y)` a value with a parenthesised second
// value, `name?` an optional `0x..` connection tag, `name+` a NAT rule type
// (`N/A` or two words such as `source rule`), `name#` a number. The names are
// the structured-data names, so both formats share one mapping.

type Slot =
  | { kind: 'plain'; name: string; numeric: boolean }
  | { kind: 'flow'; names: readonly [string, string, string, string] }
  | { kind: 'paren'; names: readonly [string, string]; numeric: boolean }
  | { kind: 'tag'; name: string }
  | { kind: 'rule-type'; name: string };

function compileLayout(layout: string): Slot[] {
  return layout.split(' ').map((token): Slot => {
    const arrow = token.indexOf('->');
    if (arrow > 0) {
      const [a, b] = token.slice(0, arrow).split('/');
      const [c, d] = token.slice(arrow + 2).split('/');
      return { kind: 'flow', names: [a, b, c, d] };
    }
    const numeric = token.endsWith('#');
    const name = numeric ? token.slice(0, -1) : token;
    const open = name.indexOf('(');
    if (open > 0) return { kind: 'paren', names: [name.slice(0, open), name.slice(open + 1, -1)], numeric };
    if (name.endsWith('?')) return { kind: 'tag', name: name.slice(0, -1) };
    if (name.endsWith('+')) return { kind: 'rule-type', name: name.slice(0, -1) };
    return { kind: 'plain', name, numeric };
  });
}

const FLOW = 'source-address/source-port->destination-address/destination-port connection-tag? service-name';
const NAT =
  'nat-source-address/nat-source-port->nat-destination-address/nat-destination-port nat-connection-tag? ' +
  'src-nat-rule-type+ src-nat-rule-name dst-nat-rule-type+ dst-nat-rule-name';
const ZONES = 'policy-name source-zone-name destination-zone-name';

/**
 * Text layouts by message id, after `session created `, `session closed
 * <reason>: ` or `session denied `. The deny reason is left out: it has
 * blanks in it and newer releases add fields after it.
 */
const LAYOUTS: ReadonlyMap<string, { lead: string; slots: Slot[] }> = new Map([
  ['RT_FLOW_SESSION_CREATE', {
    lead: 'session created ',
    slots: compileLayout(`${FLOW} ${NAT} protocol-id# ${ZONES} session-id-32# username(roles) packet-incoming-interface application nested-application encrypted application-category application-sub-category`),
  }],
  ['RT_FLOW_SESSION_CLOSE', {
    lead: 'session closed ',
    slots: compileLayout(
      `${FLOW} ${NAT} protocol-id# ${ZONES} session-id-32# packets-from-client(bytes-from-client)# packets-from-server(bytes-from-server)# elapsed-time# ` +
        'application nested-application username(roles) packet-incoming-interface encrypted application-category application-sub-category',
    ),
  }],
  ['RT_FLOW_SESSION_DENY', {
    lead: 'session denied ',
    slots: compileLayout(`${FLOW} protocol-id(icmp-type)# ${ZONES} application nested-application username(roles) packet-incoming-interface encrypted`),
  }],
]);

function isDigits(s: string): boolean {
  return parseUint(s, Number.MAX_SAFE_INTEGER) !== undefined;
}

/** Cursor over the space-separated tokens of a text message, without splitting the whole line. */
class Tokens {
  constructor(private readonly text: string, private at: number) {}

  next(): string | undefined {
    const text = this.text;
    while (text.charCodeAt(this.at) === 32) this.at++;
    if (this.at >= text.length) return undefined;
    let end = text.indexOf(' ', this.at);
    if (end < 0) end = text.length;
    const token = text.slice(this.at, end);
    this.at = end;
    return token;
  }

  peek(): string | undefined {
    const at = this.at;
    const token = this.next();
    this.at = at;
    return token;
  }
}

/**
 * Reads the positional fields of an RT_FLOW text message. Reading stops at
 * the first token that does not fit its slot: older Junos releases lay the
 * tail out differently, and a field in the wrong column is worse than none.
 */
function readTextFlow(text: string, eventId: string, visit: (name: string, value: string) => void): void {
  const layout = LAYOUTS.get(eventId);
  if (!layout || !text.startsWith(layout.lead)) return;
  let start = layout.lead.length;
  if (eventId === 'RT_FLOW_SESSION_CLOSE') {
    const colon = text.indexOf(': ', start);
    if (colon < 0) return;
    visit('reason', text.slice(start, colon));
    start = colon + 2;
  }
  const tokens = new Tokens(text, start);
  for (const slot of layout.slots) {
    if (slot.kind === 'tag') {
      // Releases before the connection tag was added have no `0x..` token here.
      if (tokens.peek()?.startsWith('0x')) visit(slot.name, tokens.next() as string);
      continue;
    }
    let token = tokens.next();
    if (token === undefined) return;
    switch (slot.kind) {
      case 'flow': {
        const arrow = token.indexOf('->');
        const left = token.lastIndexOf('/', arrow);
        const right = token.lastIndexOf('/');
        if (arrow < 0 || left < 0 || right < arrow) return;
        visit(slot.names[0], token.slice(0, left));
        visit(slot.names[1], token.slice(left + 1, arrow));
        visit(slot.names[2], token.slice(arrow + 2, right));
        visit(slot.names[3], token.slice(right + 1));
        break;
      }
      case 'rule-type':
        if (token !== NOT_APPLICABLE) {
          if (tokens.peek() !== 'rule') return;
          token += ' ' + tokens.next();
        }
        visit(slot.name, token);
        break;
      case 'paren': {
        const open = token.indexOf('(');
        const first = open < 0 ? token : token.slice(0, open);
        if (slot.numeric && !isDigits(first)) return;
        visit(slot.names[0], first);
        if (open >= 0 && token.endsWith(')')) visit(slot.names[1], token.slice(open + 1, -1));
        break;
      }
      case 'plain':
        if (slot.numeric && !isDigits(token)) return;
        visit(slot.name, token);
        break;
    }
  }
}

// ---------------------------------------------------------------------------

function isEventIdChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Length of a Junos message id (`RT_FLOW_SESSION_CREATE`) at `i` followed by `:`, or 0. */
function eventIdLength(text: string, i: number): number {
  let k = i;
  let underscore = false;
  const limit = Math.min(text.length, i + MAX_EVENT_ID);
  while (k < limit && isEventIdChar(text.charCodeAt(k))) {
    if (text.charCodeAt(k) === 95) underscore = true;
    k++;
  }
  return underscore && text.charCodeAt(k) === 58 && text.charCodeAt(i) !== 95 ? k - i : 0;
}

function skipSpaces(text: string, i: number): number {
  while (text.charCodeAt(i) === 32) i++;
  return i;
}

interface Located {
  eventId: string | undefined;
  /** The message after the event id (the whole body when there is none). */
  message: string;
}

/**
 * Finds the message id: the RFC 5424 MSGID, else `ID: ` at the start of the
 * body, possibly after a `TAG: ` or `TAG[pid]: ` when the line came with no
 * syslog header that would have consumed the tag.
 */
function locate(envelope: SyslogEnvelope | undefined, body: string): Located {
  const msgid = envelope?.header['log.syslog.msgid'];
  if (typeof msgid === 'string' && eventIdLength(msgid + ':', 0) === msgid.length) return { eventId: msgid, message: body };
  let i = 0;
  let length = eventIdLength(body, 0);
  if (length > 0) {
    // `RT_FLOW: RT_FLOW_SESSION_CREATE:` with no header to consume the tag: the second id is the message id.
    const next = skipSpaces(body, length + 1);
    const second = eventIdLength(body, next);
    if (second > 0) {
      i = next;
      length = second;
    }
  } else if (!envelope) {
    const colon = body.indexOf(': ');
    if (colon > 0 && colon <= MAX_EVENT_ID) {
      i = skipSpaces(body, colon + 2);
      length = eventIdLength(body, i);
    }
  }
  if (length === 0) return { eventId: undefined, message: body };
  return { eventId: body.slice(i, i + length), message: body.slice(skipSpaces(body, i + length + 1)) };
}

/**
 * Copies the envelope into `event`: time, `log.syslog.*`, the device as
 * `observer.hostname`, a BSD tag as the app name. The junos structured-data
 * element is not kept as it is (it would double every field): it is
 * returned as pairs to map.
 */
function applyEnvelope(event: MamoriEvent, envelope: SyslogEnvelope): [string, string][] {
  const pairs: [string, string][] = [];
  const header = envelope.header;
  for (const key in header) {
    const value = header[key];
    if (key.startsWith(SD_PREFIX)) {
      if (key.startsWith(JUNOS_SD_ID, SD_PREFIX.length)) {
        const name = key.slice(key.lastIndexOf('.') + 1);
        // A repeated SD-PARAM is an array; Junos never repeats one, so the first value is the value.
        const text = Array.isArray(value) ? value[0] : value;
        if (typeof text === 'string') pairs.push([name, text]);
      } else {
        event[key] = value;
      }
    } else if (key === '@timestamp' || key.startsWith('log.syslog.')) {
      event[key] = value;
    } else if (key === 'host.name') {
      event['observer.hostname'] = value;
    } else if (key === 'process.name' && header['log.syslog.appname'] === undefined) {
      event['log.syslog.appname'] = value;
    } else if (key === 'process.pid' && header['log.syslog.procid'] === undefined) {
      event['log.syslog.procid'] = String(value);
    }
  }
  return pairs;
}

function finish(event: MamoriEvent, shape: Shape): void {
  const vendorAction = event[VENDOR_PREFIX + 'action'];
  const type = [...shape.type];
  const info = type.indexOf('info');
  // IDP, screens and antivirus say in `action` whether they stopped the traffic.
  if (info >= 0 && typeof vendorAction === 'string' && BLOCKING_ACTIONS.has(vendorAction.toLowerCase())) type[info] = 'denied';
  if (type.length > 0) event['event.type'] = type;
  if (shape.outcome) event['event.outcome'] = shape.outcome;
  else if (type.includes('denied')) event['event.outcome'] = 'failure';
}

export const juniperSrx: Parser = {
  name: 'juniper-srx',
  description: 'Juniper SRX security logs (RT_FLOW, RT_IDP, RT_UTM, RT_SCREEN, logins) in structured-data or text format',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const envelope = readSyslogEnvelope(line, ctx);
    const body = envelope ? envelope.body : line;
    const event: MamoriEvent = { '@timestamp': undefined, 'event.kind': 'event', 'event.module': 'juniper-srx' };
    const pairs = envelope ? applyEnvelope(event, envelope) : [];
    const { eventId, message } = locate(envelope, body);
    if (eventId === undefined && pairs.length === 0) throw new ParseError('not a Juniper SRX log: no message id (RT_FLOW_..., IDP_...) and no junos structured data');
    const shape = eventId === undefined ? OTHER : shapeOf(eventId);
    event['event.dataset'] = `juniper-srx.${shape.family}`;
    event['event.kind'] = shape.kind;
    if (shape.category.length > 0) event['event.category'] = [...shape.category];
    event['event.action'] = shape.action;
    if (eventId !== undefined) event['event.code'] = eventId;
    event['observer.vendor'] = 'Juniper';
    event['observer.product'] = 'SRX';
    event['observer.type'] = 'firewall';

    const table = TABLES[shape.family];
    for (const [name, value] of pairs) mapPair(event, table, name, value, ctx);
    if (pairs.length === 0 && eventId !== undefined) readTextFlow(message, eventId, (name, value) => mapPair(event, table, name, value, ctx));
    if (message.length > 0) event.message = message;
    finish(event, shape);
    if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
    return event;
  },
  sniff(line: string): boolean {
    return line.includes('[junos@2636.') || line.includes('RT_FLOW_') || line.includes('RT_IDP') || line.includes('RT_UTM') || line.includes('RT_SCREEN');
  },
};
