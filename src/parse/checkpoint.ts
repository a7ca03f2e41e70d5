/**
 * Check Point logs as Log Exporter writes them: the syslog format
 * (`<PRI>1 TIME HOST CheckPoint PID - [key:"value"; key:"value"; ...]`) and
 * the generic format (`key=value|key=value`, or blank-separated), with or
 * without a syslog header. CEF and LEEF exports go to the cef and leef
 * parsers.
 */
import type { MamoriEvent } from '../core/event.js';
import { applyDeviceEnvelope, readSyslogEnvelope } from './envelope.js';
import { readKv, type KvOptions } from './kv.js';
import { fieldTable, setMapped, type FieldTable } from './mapping.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { parseUint } from './syslog.js';
import { isoFromMs } from './time.js';

const VENDOR_PREFIX = 'checkpoint.';
/** The `[` that opens the list is never further than this from the start of the line. */
const LIST_SEARCH_LIMIT = 512;
const SEMICOLON = 59;
const COLON = 58;
const PIPE = 124;

const FIELDS: FieldTable = fieldTable([
  ['src', 'source.ip', 'ip'],
  ['dst', 'destination.ip', 'ip'],
  ['s_port', 'source.port', 'port'],
  ['service', 'destination.port', 'port'],
  ['proto', 'network.transport', 'transport'],
  ['xlatesrc', 'source.nat.ip', 'ip'],
  ['xlatedst', 'destination.nat.ip', 'ip'],
  ['xlatesport', 'source.nat.port', 'port'],
  ['xlatedport', 'destination.nat.port', 'port'],
  ['ifdir', 'network.direction', 'direction'],
  ['inzone', 'observer.ingress.zone', 'string'],
  ['outzone', 'observer.egress.zone', 'string'],
  ['origin', 'observer.ip', 'ip'],
  ['originsn', 'observer.name', 'string'],
  ['rule_uid', 'rule.uuid', 'string'],
  ['layer_name', 'rule.ruleset', 'string'],
  ['rule', 'rule.id', 'string'],
  ['resource', 'url.full', 'string'],
  ['time', '@timestamp', 'time'],
  ['appi_name', 'network.application', 'lower'],
  ['file_name', 'file.name', 'string'],
  ['file_size', 'file.size', 'uint'],
  [['file_md5', 'file_sha1', 'file_sha256'], 'file.hash', 'hash'],
  ['sni', 'tls.client.server_name', 'string'],
  ['message_info', 'message', 'string'],
]);

interface Blade {
  dataset: string;
  kind: 'event' | 'alert';
  category: readonly string[];
  /** event.type values every log of the blade has; the action adds allowed / denied. */
  type: readonly string[];
}

const FIREWALL: Blade = { dataset: 'checkpoint.firewall', kind: 'event', category: ['network'], type: ['connection'] };
const IPS: Blade = { dataset: 'checkpoint.ips', kind: 'alert', category: ['intrusion_detection', 'network'], type: [] };
const ANTI_VIRUS: Blade = { dataset: 'checkpoint.anti_virus', kind: 'alert', category: ['malware'], type: [] };
const OTHER: Blade = { dataset: 'checkpoint.log', kind: 'event', category: [], type: [] };

/** Blades by their `product` value, lower case. */
const BLADES: ReadonlyMap<string, Blade> = new Map([
  ['vpn-1 & firewall-1', FIREWALL],
  ['firewall', FIREWALL],
  ['firewall-1', FIREWALL],
  ['vpn', { dataset: 'checkpoint.vpn', kind: 'event', category: ['network'], type: ['connection'] }],
  ['ips', IPS],
  ['smartdefense', IPS],
  ['anti-bot', { dataset: 'checkpoint.anti_bot', kind: 'alert', category: ['malware', 'network'], type: [] }],
  ['anti-virus', ANTI_VIRUS],
  ['anti virus', ANTI_VIRUS],
  ['new anti virus', ANTI_VIRUS],
  ['anti-malware', ANTI_VIRUS],
  ['threat emulation', { dataset: 'checkpoint.threat_emulation', kind: 'alert', category: ['malware', 'file'], type: [] }],
  ['url filtering', { dataset: 'checkpoint.url_filtering', kind: 'event', category: ['web', 'network'], type: ['access'] }],
  ['application control', { dataset: 'checkpoint.application_control', kind: 'event', category: ['network'], type: ['connection'] }],
  ['identity awareness', { dataset: 'checkpoint.identity_awareness', kind: 'event', category: ['authentication'], type: ['info'] }],
]);

const ALLOWING = new Set(['accept', 'allow', 'bypass', 'encrypt', 'decrypt', 'inform']);
const DENYING = new Set(['drop', 'reject', 'block', 'prevent', 'deny']);
const SEVERITY = new Map([['informational', 1], ['low', 3], ['medium', 5], ['high', 7], ['critical', 9]]);

/** What the pair visitor keeps aside until every pair is read (their meaning depends on other pairs). */
interface Pending {
  action?: string;
  product?: string;
  ifname?: string;
  /** Candidates for rule.name, best first: the signature of a threat log, else the policy rule. */
  protection?: string;
  attack?: string;
  ruleName?: string;
  identified: boolean;
  pairs: number;
}

/** `Jane Doe (jdoe)`: the login in parentheses is the name, the rest the full name. */
function setUser(event: MamoriEvent, prefix: string, value: string): void {
  const open = value.lastIndexOf(' (');
  if (open > 0 && value.charCodeAt(value.length - 1) === 41) {
    event[prefix + 'name'] = value.slice(open + 2, -1);
    event[prefix + 'full_name'] = value.slice(0, open);
  } else {
    event[prefix + 'name'] = value;
  }
}

function readPair(event: MamoriEvent, pending: Pending, key: string, raw: string, ctx: ParseContext): void {
  pending.pairs++;
  if (raw.length === 0) return;
  // The syslog format escapes `]` inside values; readKv has undone `\"` and `\\` already.
  const value = raw.includes('\\]') ? raw.replaceAll('\\]', ']') : raw;
  switch (key) {
    case 'action':
      pending.action = value;
      return;
    case 'product':
      pending.product = value;
      pending.identified = true;
      return;
    case 'ifname':
      pending.ifname = value;
      return;
    case 'protection_name':
      pending.protection = value;
      return;
    case 'attack':
      pending.attack = value;
      return;
    case 'rule_name':
      pending.ruleName = value;
      return;
    case 'user':
    case 'src_user_name':
      setUser(event, 'user.', value);
      return;
    case 'dst_user_name':
      setUser(event, 'destination.user.', value);
      return;
    case 'severity': {
      const severity = parseUint(value, 10) ?? SEVERITY.get(value.toLowerCase());
      if (severity !== undefined) event['event.severity'] = severity;
      event[VENDOR_PREFIX + key] = value;
      return;
    }
    case 'xlatesrc':
    case 'xlatedst':
    case 'xlatesport':
    case 'xlatedport':
      // 0.0.0.0 and 0 mean "not translated".
      if (value === '0.0.0.0' || value === '0') {
        event[VENDOR_PREFIX + key] = value;
        return;
      }
      break;
    case 'origin':
    case 'originsn':
    case 'loguid':
      pending.identified = true;
      break;
  }
  setMapped(event, FIELDS, VENDOR_PREFIX, key, value, ctx);
}

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Index of the `[` opening a `[key:"value"; ...]` list, or -1. */
function findList(line: string): number {
  let at = line.indexOf('[');
  while (at >= 0 && at < LIST_SEARCH_LIMIT) {
    const limit = Math.min(line.length, at + 65);
    let k = at + 1;
    while (k < limit && isKeyChar(line.charCodeAt(k))) k++;
    if (k > at + 1 && line.charCodeAt(k) === COLON && line.charCodeAt(k + 1) === 34) return at;
    at = line.indexOf('[', at + 1);
  }
  return -1;
}

/** The generic format separates pairs with `|` unless the first value ends at a blank. */
function genericOptions(body: string): KvOptions {
  const eq = body.indexOf('=');
  if (eq < 0) return {};
  const pipe = body.indexOf('|', eq);
  if (pipe < 0) return {};
  const blank = body.indexOf(' ', eq);
  return blank < 0 || pipe < blank ? { pairSeparator: PIPE } : {};
}

function typeOf(action: string | undefined): 'allowed' | 'denied' | undefined {
  if (action === undefined) return undefined;
  const a = action.toLowerCase();
  return ALLOWING.has(a) ? 'allowed' : DENYING.has(a) ? 'denied' : undefined;
}

function finish(event: MamoriEvent, pending: Pending): void {
  const blade = (pending.product && BLADES.get(pending.product.toLowerCase())) || OTHER;
  event['event.dataset'] = blade.dataset;
  event['event.kind'] = blade.kind;
  if (blade.category.length > 0) event['event.category'] = [...blade.category];
  const type = [...blade.type];
  const verdict = typeOf(pending.action);
  if (verdict) type.push(verdict);
  if (type.length > 0) event['event.type'] = type;
  if (verdict) event['event.outcome'] = verdict === 'allowed' ? 'success' : 'failure';
  if (pending.action !== undefined) event['event.action'] = pending.action.toLowerCase();
  if (pending.product !== undefined) event['observer.product'] = pending.product;

  if (pending.ifname !== undefined) {
    const direction = event['network.direction'];
    const field = direction === 'inbound' ? 'observer.ingress.interface.name' : direction === 'outbound' ? 'observer.egress.interface.name' : VENDOR_PREFIX + 'ifname';
    event[field] = pending.ifname;
  }
  const ruleName = pending.protection ?? pending.attack ?? pending.ruleName;
  if (ruleName !== undefined) event['rule.name'] = ruleName;
  if (pending.attack !== undefined && pending.attack !== ruleName) event[VENDOR_PREFIX + 'attack'] = pending.attack;
  if (pending.ruleName !== undefined && pending.ruleName !== ruleName) event[VENDOR_PREFIX + 'rule_name'] = pending.ruleName;
}

export const checkpoint: Parser = {
  name: 'checkpoint',
  description: 'Check Point Log Exporter logs: syslog [key:"value"; ...] and generic key=value formats',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const event: MamoriEvent = {
      '@timestamp': undefined,
      'event.kind': 'event',
      'event.module': 'checkpoint',
      'event.dataset': undefined,
      'observer.vendor': 'Check Point',
      'observer.type': 'firewall',
    };
    const pending: Pending = { identified: false, pairs: 0 };
    const visitor = { pair: (key: string, value: string) => readPair(event, pending, key, value, ctx) };
    const open = findList(line);
    if (open >= 0) {
      // The list is not valid RFC 5424 STRUCTURED-DATA, so the header is read alone, with a nil SD.
      const envelope = open > 0 ? readSyslogEnvelope(line.slice(0, open) + '-', ctx) : undefined;
      if (envelope) applyDeviceEnvelope(event, envelope);
      let close = line.lastIndexOf(']');
      // A cut line has no closing bracket; the last one found may be an escaped one inside a value.
      if (close <= open || line.charCodeAt(close - 1) === 92) close = line.length;
      readKv(line.slice(open + 1, close), 0, visitor, { pairSeparator: SEMICOLON, valueSeparator: COLON });
    } else {
      const envelope = readSyslogEnvelope(line, ctx);
      if (envelope) applyDeviceEnvelope(event, envelope);
      const body = envelope ? envelope.body : line;
      readKv(body, 0, visitor, genericOptions(body));
    }
    if (pending.pairs === 0) throw new ParseError('not a Check Point log: no [key:"value"; ...] list and no key=value pairs');
    if (!pending.identified) throw new ParseError('not a Check Point log: no origin, originsn, loguid or product field');
    finish(event, pending);
    if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
    return event;
  },
  sniff(line: string): boolean {
    return line.includes(' CheckPoint ') || line.includes('loguid:"') || line.includes('loguid=');
  },
};
