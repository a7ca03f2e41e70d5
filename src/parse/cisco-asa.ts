/**
 * Cisco ASA and Firepower Threat Defense syslog: `[header] %ASA-6-302013: body`.
 * The header is whatever the device and relays put in front (RFC 3164 with
 * or without PRI, the ASA `logging timestamp` form with a year, an RFC 5424
 * time, a device id, a ` : ` before the tag); the tag gives the product,
 * severity and message id, and the body is read per message id.
 */
import type { MamoriEvent } from '../core/event.js';
import { readFtdEvent } from './cisco-asa-ftd.js';
import * as m from './cisco-asa-messages.js';
import { applyDeviceEnvelope, readSyslogEnvelope } from './envelope.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { isoFromMs } from './time.js';

/** A header in front of the tag is never longer than this; a tag further in is message text. */
const TAG_SEARCH_LIMIT = 1024;
/** Cisco's severity levels 0..7, named as ECS `log.level` values. */
const LEVELS = ['emergency', 'alert', 'critical', 'error', 'warning', 'notification', 'informational', 'debug'];
const UTC_CONTEXT_ZONE = 'UTC';
/** Zone words FTD and some ASA releases print after the header time. */
const UTC_WORDS = [' UTC', ' GMT'];

interface Tag {
  product: 'ASA' | 'FTD';
  severity: number;
  id: string;
  /** Index of the message body. */
  body: number;
}

/** Index of the `%` of a `%ASA-` / `%FTD-` tag within the header search limit, or -1. */
function findTag(line: string): number {
  for (let at = line.indexOf('%'); at >= 0 && at < TAG_SEARCH_LIMIT; at = line.indexOf('%', at + 1)) {
    const a = line.charCodeAt(at + 1);
    if (line.charCodeAt(at + 4) !== 45) continue;
    if ((a === 65 && line.startsWith('SA', at + 2)) || (a === 70 && line.startsWith('TD', at + 2))) return at;
  }
  return -1;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Reads `%ASA-[facility-]S-NNNNNN:` at `at` (some FTD releases write `%FTD-session-6-...`). */
function readTag(line: string, at: number): Tag {
  let i = at + 5;
  if (!isDigit(line.charCodeAt(i))) {
    const dash = line.indexOf('-', i);
    if (dash < 0 || dash - i > 16) throw new ParseError('malformed %ASA-/%FTD- tag: no severity');
    i = dash + 1;
  }
  const severity = line.charCodeAt(i) - 48;
  if (severity < 0 || severity > 7 || line.charCodeAt(i + 1) !== 45) throw new ParseError('malformed %ASA-/%FTD- tag: no severity');
  const idStart = i + 2;
  let idEnd = idStart;
  while (idEnd < idStart + 8 && isDigit(line.charCodeAt(idEnd))) idEnd++;
  if (idEnd - idStart < 4 || line.charCodeAt(idEnd) !== 58) throw new ParseError('malformed %ASA-/%FTD- tag: no message id');
  let body = idEnd + 1;
  while (line.charCodeAt(body) === 32) body++;
  return { product: line.charCodeAt(at + 1) === 65 ? 'ASA' : 'FTD', severity, id: line.slice(idStart, idEnd), body };
}

/**
 * Reads the header in front of the tag. Its trailing ` : ` / `: ` is
 * dropped so that the device id is read as the host, not as a tag; a
 * `UTC`/`GMT` word after the time (FTD) is dropped and the time read as UTC.
 */
function applyHeader(event: MamoriEvent, header: string, ctx: ParseContext): void {
  let end = header.length;
  while (end > 0 && (header.charCodeAt(end - 1) === 32 || header.charCodeAt(end - 1) === 58)) end--;
  let text = header.slice(0, end);
  let headerCtx = ctx;
  for (const zone of UTC_WORDS) {
    const z = text.indexOf(zone);
    if (z > 0 && (z + 4 === text.length || text.charCodeAt(z + 4) === 32)) {
      text = text.slice(0, z) + text.slice(z + 4);
      headerCtx = { received: ctx.received, timezone: UTC_CONTEXT_ZONE };
      break;
    }
  }
  // Unreadable relay headers do not make the Cisco message unreadable.
  const envelope = readSyslogEnvelope(text, headerCtx) ?? readSyslogEnvelope(header, headerCtx);
  if (envelope) applyDeviceEnvelope(event, envelope);
}

function classify(event: MamoriEvent, category: string[], type: string[], action: string, outcome?: 'success' | 'failure'): void {
  event['event.category'] = category;
  event['event.type'] = type;
  event['event.action'] = action;
  if (outcome !== undefined) event['event.outcome'] = outcome;
}

const denied = (event: MamoriEvent, action: string): void => classify(event, ['network'], ['connection', 'denied'], action, 'failure');

/** Fills the fields of the message bodies Mamori knows; other ids keep only `message`. */
function readBody(event: MamoriEvent, id: string, body: string, ctx: ParseContext): void {
  switch (id) {
    case '106001':
    case '106006':
    case '106007':
    case '106015':
      m.readFromTo(event, body);
      denied(event, 'firewall-rule');
      break;
    case '106014':
    case '106023':
      m.readSrcDst(event, body);
      denied(event, 'firewall-rule');
      break;
    case '106100': {
      const verdict = m.readAccessList(event, body);
      if (verdict === 'denied') denied(event, 'firewall-rule');
      else if (verdict === 'allowed') classify(event, ['network'], ['connection', 'allowed'], 'firewall-rule', 'success');
      else classify(event, ['network'], ['connection'], 'firewall-rule');
      break;
    }
    case '710003':
      m.readAclDenied(event, body);
      denied(event, 'firewall-rule');
      break;
    case '419002':
      m.readDuplicateSyn(event, body);
      denied(event, 'duplicate-syn');
      break;
    case '500004':
      m.readFromTo(event, body);
      denied(event, 'invalid-transport-field');
      break;
    case '313001':
    case '313004':
      m.readIcmpDenied(event, body);
      denied(event, id === '313001' ? 'firewall-rule' : 'no-matching-session');
      break;
    case '313005':
      m.readIcmpNoConnection(event, body);
      denied(event, 'no-matching-connection');
      break;
    case '302013':
    case '302015':
      m.readBuilt(event, body);
      classify(event, ['network'], ['connection', 'start', 'allowed'], 'connection-built', 'success');
      break;
    case '302020':
    case '302021':
      m.readIcmpConnection(event, body);
      if (id === '302020') classify(event, ['network'], ['connection', 'start', 'allowed'], 'connection-built', 'success');
      else classify(event, ['network'], ['connection', 'end'], 'connection-teardown', 'success');
      break;
    case '302014':
    case '302016':
      m.readTeardown(event, body);
      classify(event, ['network'], ['connection', 'end'], 'connection-teardown', 'success');
      break;
    case '305011':
      m.readTranslation(event, body);
      classify(event, ['network'], ['connection', 'start'], 'translation-built', 'success');
      break;
    case '305012':
      m.readTranslation(event, body);
      classify(event, ['network'], ['connection', 'end'], 'translation-teardown', 'success');
      break;
    case '733100':
      m.readThreatRate(event, body);
      event['event.kind'] = 'alert';
      classify(event, ['intrusion_detection', 'network'], ['info'], 'threat-rate-exceeded');
      break;
    case '113004':
    case '113005':
    case '113008':
    case '113015': {
      const status = m.readAaa(event, body);
      const ok = id === '113004' || (id === '113008' && status === 'ACCEPT');
      classify(event, ['authentication'], ['info'], id === '113008' ? 'aaa-transaction' : 'aaa-authentication', ok ? 'success' : 'failure');
      break;
    }
    case '113019':
      m.readVpnDisconnect(event, body);
      classify(event, ['authentication', 'session'], ['end'], 'vpn-session-disconnected', 'success');
      break;
    case '611101':
    case '611102':
      m.readMgmtAuth(event, body);
      classify(event, ['authentication'], ['info'], 'user-authentication', id === '611101' ? 'success' : 'failure');
      break;
    case '605004':
    case '605005':
      m.readLogin(event, body);
      classify(event, ['authentication'], ['start'], 'login', id === '605005' ? 'success' : 'failure');
      break;
    case '111008':
    case '111010':
      m.readCommand(event, body);
      classify(event, ['configuration'], ['info'], 'command-executed', 'success');
      break;
    case '716001':
      m.readAngleFields(event, body);
      classify(event, ['authentication', 'session'], ['start'], 'webvpn-session-started', 'success');
      break;
    case '716002':
      m.readAngleFields(event, body);
      m.readVpnReason(event, body, 'terminated: ');
      classify(event, ['authentication', 'session'], ['end'], 'webvpn-session-terminated', 'success');
      break;
    case '722037':
      m.readAngleFields(event, body);
      m.readVpnReason(event, body, 'closing connection: ');
      classify(event, ['network', 'session'], ['end'], 'vpn-connection-closing');
      break;
    case '722051':
      m.readAngleFields(event, body);
      classify(event, ['network', 'session'], ['info'], 'vpn-address-assigned', 'success');
      break;
    case '430001':
    case '430002':
    case '430003':
    case '430004':
    case '430005':
      readSecurityEvent(event, id, body, ctx);
      break;
  }
}

/** Words FTD writes in AccessControlRuleAction for traffic it let through. */
const FTD_ALLOW = new Set(['allow', 'trust', 'monitor', 'fastpath']);

function readSecurityEvent(event: MamoriEvent, id: string, body: string, ctx: ParseContext): void {
  const intrusion = id === '430001';
  const ruleAction = readFtdEvent(event, body, intrusion, ctx);
  const verdict: string[] = [];
  let outcome: 'success' | 'failure' | undefined;
  if (ruleAction !== undefined) {
    const allowed = FTD_ALLOW.has(ruleAction);
    verdict.push(allowed ? 'allowed' : 'denied');
    outcome = allowed ? 'success' : 'failure';
  }
  switch (id) {
    case '430001':
      event['event.kind'] = 'alert';
      classify(event, ['intrusion_detection', 'network'], ['info', ...verdict], 'intrusion-event', outcome);
      break;
    case '430002':
      classify(event, ['network'], ['connection', 'start', ...verdict], 'connection-started', outcome);
      break;
    case '430003':
      classify(event, ['network'], ['connection', 'end', ...verdict], 'connection-finished', outcome);
      break;
    case '430004':
      classify(event, ['file', 'network'], ['info', ...verdict], 'file-event', outcome);
      break;
    default:
      event['event.kind'] = 'alert';
      classify(event, ['malware', 'file', 'network'], ['info', ...verdict], 'malware-event', outcome);
  }
}

/** Endpoint users (identity firewall) also name the acting user when no other user is given. */
function promoteSourceUser(event: MamoriEvent): void {
  if (event['user.name'] !== undefined || event['source.user.name'] === undefined) return;
  event['user.name'] = event['source.user.name'];
  if (event['source.user.domain'] !== undefined) event['user.domain'] = event['source.user.domain'];
}

export const ciscoAsa: Parser = {
  name: 'cisco-asa',
  description: 'Cisco ASA and Firepower Threat Defense syslog (%ASA-/%FTD- messages), with or without a syslog header',
  sniff(line: string): boolean {
    return findTag(line) >= 0;
  },
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const at = findTag(line);
    if (at < 0) throw new ParseError('not a Cisco ASA/FTD message: no %ASA- or %FTD- tag');
    const tag = readTag(line, at);
    const event: MamoriEvent = {
      '@timestamp': undefined,
      'event.kind': 'event',
      'event.module': 'cisco-asa',
      'event.dataset': tag.product === 'ASA' ? 'cisco-asa.asa' : 'cisco-asa.ftd',
      'event.code': tag.id,
      'event.severity': tag.severity,
      'log.level': LEVELS[tag.severity],
      'observer.vendor': 'Cisco',
      'observer.product': tag.product,
      'observer.type': 'firewall',
    };
    if (at > 0) applyHeader(event, line.slice(0, at), ctx);
    let end = line.length;
    while (end > tag.body && line.charCodeAt(end - 1) <= 32) end--;
    const body = line.slice(tag.body, end);
    event.message = body;
    readBody(event, tag.id, body, ctx);
    promoteSourceUser(event);
    if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
    return event;
  },
};
