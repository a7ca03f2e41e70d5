import type { EcsValue, MamoriEvent } from '../core/event.js';
import { DROPPED_FIELDS, flattenInto, type FlattenState } from './flatten.js';
import { transportName } from './mapping.js';
import { isIp } from './net.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { readJsonObject } from './json-line.js';
import { allOf, mapRecord, setterTable, stringsOf, to, type SetterTable, type ValueSetter } from './record-mapping.js';
import { isoFromMs, isValidMs, parseIso } from './time.js';

const PREFIX = 'suricata.eve.';
const VERSION_NOISE = /[\sv]/g;
const VERSION_NUMBER = /^\d\.\d$/;
const COLONS = /:/g;
const HEX = /^[0-9a-fA-F]+$/;

interface TypeSpec {
  kind: 'event' | 'alert' | 'metric';
  category: readonly string[];
  type: readonly string[];
}

/** event.kind/category/type per event_type; others are network protocol records. */
const TYPES: ReadonlyMap<string, TypeSpec> = new Map<string, TypeSpec>([
  ['alert', { kind: 'alert', category: ['network', 'intrusion_detection'], type: ['info'] }],
  ['flow', { kind: 'event', category: ['network'], type: ['connection', 'end'] }],
  ['netflow', { kind: 'event', category: ['network'], type: ['connection'] }],
  ['http', { kind: 'event', category: ['network', 'web'], type: ['protocol', 'access'] }],
  ['fileinfo', { kind: 'event', category: ['file', 'network'], type: ['info'] }],
  ['smtp', { kind: 'event', category: ['email', 'network'], type: ['info', 'protocol'] }],
  ['anomaly', { kind: 'event', category: ['network'], type: ['info'] }],
  ['drop', { kind: 'event', category: ['network'], type: ['connection', 'denied'] }],
  ['stats', { kind: 'metric', category: ['network'], type: ['info'] }],
]);
const PROTOCOL_RECORD: TypeSpec = { kind: 'event', category: ['network'], type: ['protocol'] };

/** `TLS 1.2` / `TLSv1.3` / `SSLv3` → [ECS tls.version, tls.version_protocol]. */
const tlsVersion: ValueSetter = (event, value) => {
  if (typeof value !== 'string') return false;
  const v = value.replace(VERSION_NOISE, '');
  const protocol = v.startsWith('TLS') ? 'tls' : v.startsWith('SSL') ? 'ssl' : v.startsWith('DTLS') ? 'dtls' : undefined;
  if (protocol === undefined) return false;
  let number = v.slice(protocol.length);
  if (number.length === 1) number += '.0';
  if (!VERSION_NUMBER.test(number)) return false;
  event['tls.version'] = number;
  event['tls.version_protocol'] = protocol;
  return true;
};

/** `HTTP/1.1` → `1.1`. */
const httpVersion: ValueSetter = (event, value) => {
  if (typeof value !== 'string' || !value.startsWith('HTTP/') || value.length < 6) return false;
  event['http.version'] = value.slice(5);
  return true;
};

/** Suricata's `aa:bb:...` SHA-1 certificate fingerprint as ECS wants it (upper-case hex). */
const certSha1: ValueSetter = (event, value) => {
  if (typeof value !== 'string') return false;
  const hex = value.replace(COLONS, '');
  if (hex.length !== 40 || !HEX.test(hex)) return false;
  event['tls.server.hash.sha1'] = hex.toUpperCase();
  return true;
};

/** Certificate validity as Suricata prints it: ISO without zone, in UTC whatever the sensor's zone. */
function utcTime(field: string): ValueSetter {
  return (event, value) => {
    if (typeof value !== 'string') return false;
    const ms = parseIso(value, 'UTC');
    if (!isValidMs(ms)) return false;
    event[field] = isoFromMs(ms);
    return true;
  };
}

const transport: ValueSetter = (event, value) => {
  if (typeof value === 'number') value = String(value);
  if (typeof value !== 'string' || value.length === 0) return false;
  event['network.transport'] = transportName(value);
  return true;
};

/** The address in `"Name" <a@b>` or `<a@b>`, else the trimmed text. */
function mailAddress(text: string): string {
  const open = text.lastIndexOf('<');
  const close = text.lastIndexOf('>');
  return (open >= 0 && close > open ? text.slice(open + 1, close) : text).trim();
}

function addresses(field: string, single: boolean): ValueSetter {
  return (event, value) => {
    const list = stringsOf(value)?.map(mailAddress).filter((a) => a.length > 0);
    if (list === undefined || list.length === 0) return false;
    event[field] = single ? list[0] : list;
    return true;
  };
}

const alertAction: ValueSetter = (event, value) => {
  if (value !== 'allowed' && value !== 'blocked') return false;
  event['event.action'] = value;
  event['event.type'] = [value === 'allowed' ? 'allowed' : 'denied'];
  return true;
};

/** `dns.type` as ECS wants it: v1/v2 `query`/`answer`, v3 `request`/`response`. */
const dnsType: ValueSetter = (event, value) => {
  const type = value === 'query' || value === 'request' ? 'query' : value === 'answer' || value === 'response' ? 'answer' : undefined;
  if (type === undefined) return false;
  event['dns.type'] = type;
  return true;
};

const first = (setter: ValueSetter): ValueSetter => (event, value, ctx) => Array.isArray(value) && value.length > 0 && setter(event, value[0] as EcsValue, ctx);

/** Keys of the flattened EVE record that have an ECS home. */
const FIELDS: SetterTable = setterTable([
  ['timestamp', to.time('@timestamp')],
  ['event_type', to.drop()],
  ['src_ip', to.ip('source.ip')],
  ['src_port', to.port('source.port')],
  ['dest_ip', to.ip('destination.ip')],
  ['dest_port', to.port('destination.port')],
  ['proto', transport],
  ['app_proto', to.lower('network.protocol')],
  ['community_id', to.string('network.community_id')],
  ['in_iface', to.string('observer.ingress.interface.name')],
  ['vlan', first(to.keyword('network.vlan.id'))],
  ['host', to.string('observer.hostname')],
  // alert
  ['alert.action', alertAction],
  ['alert.signature_id', to.keyword('rule.id')],
  ['alert.signature', allOf(to.string('rule.name'), to.string('message'))],
  ['alert.category', to.string('rule.category')],
  ['alert.severity', to.uint('event.severity')],
  ['alert.rev', to.keyword('rule.version')],
  // flow / netflow
  [['flow.bytes_toserver', 'netflow.bytes'], to.uint('source.bytes')],
  ['flow.bytes_toclient', to.uint('destination.bytes')],
  [['flow.pkts_toserver', 'netflow.pkts'], to.uint('source.packets')],
  ['flow.pkts_toclient', to.uint('destination.packets')],
  [['flow.start', 'netflow.start'], to.time('event.start')],
  [['flow.end', 'netflow.end'], to.time('event.end')],
  // http
  ['http.hostname', to.string('url.domain')],
  ['http.url', to.string('url.original')],
  ['http.http_method', to.string('http.request.method')],
  ['http.status', to.uint('http.response.status_code')],
  ['http.http_user_agent', to.string('user_agent.original')],
  ['http.http_refer', to.string('http.request.referrer')],
  ['http.length', to.uint('http.response.body.bytes')],
  ['http.protocol', httpVersion],
  ['http.http_content_type', to.string('http.response.mime_type')],
  // dns (v1/v2 top level, v3 `queries`)
  ['dns.type', dnsType],
  ['dns.id', to.keyword('dns.id')],
  ['dns.rrname', to.string('dns.question.name')],
  ['dns.rrtype', to.string('dns.question.type')],
  ['dns.rcode', to.string('dns.response_code')],
  ['dns.answers', to.drop()],
  // tls
  ['tls.sni', to.string('tls.client.server_name')],
  ['tls.version', tlsVersion],
  ['tls.subject', to.string('tls.server.subject')],
  ['tls.issuerdn', to.string('tls.server.issuer')],
  ['tls.fingerprint', certSha1],
  ['tls.notbefore', utcTime('tls.server.not_before')],
  ['tls.notafter', utcTime('tls.server.not_after')],
  ['tls.ja3.hash', to.string('tls.client.ja3')],
  ['tls.ja3s.hash', to.string('tls.server.ja3s')],
  // fileinfo
  ['fileinfo.filename', to.string('file.path')],
  ['fileinfo.size', to.uint('file.size')],
  ['fileinfo.md5', to.lower('file.hash.md5')],
  ['fileinfo.sha1', to.lower('file.hash.sha1')],
  ['fileinfo.sha256', to.lower('file.hash.sha256')],
  // smtp / email
  ['smtp.mail_from', addresses('email.sender.address', true)],
  ['email.from', addresses('email.from.address', true)],
  ['email.to', addresses('email.to.address', false)],
  ['email.cc', addresses('email.cc.address', false)],
  ['email.subject', to.string('email.subject')],
  // anomaly
  ['anomaly.event', to.string('event.action')],
]);

/** DNS questions and answers: v1 carries one answer per line (rdata/ttl), v2/v3 arrays of objects. */
function finishDns(event: MamoriEvent, record: MamoriEvent): void {
  const queries = record['dns.queries'];
  if (event['dns.question.name'] === undefined && Array.isArray(queries) && queries.length > 0) {
    const q = queries[0] as { [k: string]: EcsValue };
    if (typeof q.rrname === 'string' && q.rrname.length > 0) event['dns.question.name'] = q.rrname;
    if (typeof q.rrtype === 'string') event['dns.question.type'] = q.rrtype;
  }
  const answers: EcsValue[] = [];
  const resolved = new Set<string>();
  const add = (a: { [k: string]: EcsValue }): void => {
    const out: { [k: string]: EcsValue } = {};
    if (typeof a.rrname === 'string') out.name = a.rrname;
    if (typeof a.rrtype === 'string') out.type = a.rrtype;
    if (typeof a.ttl === 'number') out.ttl = a.ttl;
    if (typeof a.rdata === 'string') {
      out.data = a.rdata;
      if (isIp(a.rdata)) resolved.add(a.rdata);
    }
    answers.push(out);
  };
  const list = record['dns.answers'];
  if (Array.isArray(list)) {
    for (const a of list) if (typeof a === 'object' && a !== null && !Array.isArray(a)) add(a);
  } else if (record['dns.rdata'] !== undefined) {
    add({ rrname: record['dns.rrname'] ?? null, rrtype: record['dns.rrtype'] ?? null, ttl: record['dns.ttl'] ?? null, rdata: record['dns.rdata'] });
  }
  if (answers.length > 0) event['dns.answers'] = answers;
  if (resolved.size > 0) event['dns.resolved_ip'] = [...resolved];
  const flags = DNS_FLAGS.filter(([key]) => record[key] === true).map(([, flag]) => flag);
  if (flags.length > 0) event['dns.header_flags'] = flags;
  const rcode = event['dns.response_code'];
  if (rcode !== undefined) event['event.outcome'] = rcode === 'NOERROR' ? 'success' : 'failure';
}
const DNS_FLAGS = [['dns.aa', 'AA'], ['dns.tc', 'TC'], ['dns.rd', 'RD'], ['dns.ra', 'RA']] as const;

/**
 * The server port of an HTTP transaction: Suricata's `http_port` when it
 * logged one, else the lower port of the flow (fileinfo and to_client
 * records have the server as source, and servers rarely use ephemeral ports).
 */
function serverPort(event: MamoriEvent, record: MamoriEvent): number | undefined {
  const logged = record['http.http_port'];
  if (typeof logged === 'number') return logged;
  const a = event['source.port'];
  const b = event['destination.port'];
  if (typeof a !== 'number') return typeof b === 'number' ? b : undefined;
  return typeof b === 'number' && b < a ? b : a;
}

function finishHttp(event: MamoriEvent, record: MamoriEvent): void {
  const uri = event['url.original'];
  if (typeof uri !== 'string') return;
  const q = uri.indexOf('?');
  const path = q < 0 ? uri : uri.slice(0, q);
  if (path.length > 0) event['url.path'] = path;
  if (q >= 0 && q + 1 < uri.length) event['url.query'] = uri.slice(q + 1);
  const host = event['url.domain'];
  if (typeof host === 'string' && uri.charCodeAt(0) === 47) {
    const port = serverPort(event, record);
    const tls = event['network.protocol'] === 'tls' || port === 443;
    const scheme = tls ? 'https' : 'http';
    const shown = typeof port === 'number' && port !== (tls ? 443 : 80) ? `:${port}` : '';
    event['url.full'] = `${scheme}://${host}${shown}${uri}`;
  }
  const status = event['http.response.status_code'];
  if (typeof status === 'number') event['event.outcome'] = status < 400 ? 'success' : 'failure';
}

function finish(eventType: string, event: MamoriEvent, record: MamoriEvent): void {
  // Alerts and http/fileinfo records of the same transaction carry http and dns members too.
  if (record['dns.rrname'] !== undefined || record['dns.queries'] !== undefined || record['dns.answers'] !== undefined) finishDns(event, record);
  if (event['url.original'] !== undefined) finishHttp(event, record);
  const path = event['file.path'];
  if (typeof path === 'string') {
    const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    if (slash + 1 < path.length) event['file.name'] = path.slice(slash + 1);
  }
  const start = event['event.start'];
  const end = event['event.end'];
  if (typeof start === 'string' && typeof end === 'string') {
    const ns = (Date.parse(end) - Date.parse(start)) * 1e6;
    if (ns >= 0) event['event.duration'] = ns;
  }
  if (eventType === 'tls' && event['tls.client.server_name'] !== undefined) event['destination.domain'] = event['tls.client.server_name'];
}

/**
 * `flow_id` is a 64-bit number, beyond JavaScript's exact integers: its
 * digits are copied from the raw line instead of from JSON.parse.
 */
function flowIdText(line: string): string | undefined {
  const at = line.indexOf('"flow_id":');
  if (at < 0) return undefined;
  let i = at + 10;
  while (line.charCodeAt(i) === 32) i++;
  const start = i;
  while (i < line.length && i - start < 20) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i > start ? line.slice(start, i) : undefined;
}

/** event_type values become dataset names: lower-case letters, digits, `_`. */
function isTypeName(s: string): boolean {
  if (s.length === 0 || s.length > 32) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) return false;
  }
  return true;
}

export const suricataEve: Parser = {
  name: 'suricata-eve',
  description: 'Suricata EVE JSON (one event per line): alerts, flows, protocol records, files, stats',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const doc = readJsonObject(line);
    const eventType = (doc as { event_type?: unknown }).event_type;
    if (typeof eventType !== 'string') throw new ParseError('not a Suricata EVE record: no event_type');
    if (!isTypeName(eventType)) throw new ParseError(`invalid event_type "${eventType.slice(0, 40)}"`);

    const record: MamoriEvent = {};
    const state: FlattenState = { fields: 0, dropped: 0 };
    flattenInto(record, doc as Record<string, unknown>, '', state);
    const spec = TYPES.get(eventType) ?? PROTOCOL_RECORD;
    const event: MamoriEvent = {
      '@timestamp': undefined,
      'event.kind': spec.kind,
      'event.module': 'suricata-eve',
      'event.dataset': `suricata-eve.${eventType}`,
      'event.category': [...spec.category],
      'event.type': [...spec.type],
      'observer.vendor': 'OISF',
      'observer.product': 'Suricata',
      'observer.type': 'ids',
    };
    if (state.dropped > 0) event[DROPPED_FIELDS] = state.dropped;
    if (record.flow_id !== undefined) {
      const id = flowIdText(line);
      if (id !== undefined) record.flow_id = id;
    }
    mapRecord(event, record, [FIELDS], PREFIX, ctx);
    finish(eventType, event, record);
    if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
    return event;
  },
  sniff(line: string): boolean {
    return line.charCodeAt(0) === 123 && line.indexOf('"event_type":') > 0;
  },
};
