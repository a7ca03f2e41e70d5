/**
 * Fortinet FortiGate / FortiOS logs: `key=value` pairs (values quoted when
 * they hold blanks), with or without a syslog header in front. The `type`
 * (traffic, utm, event) and `subtype` decide the dataset, the ECS
 * categories and what counts as the "rule" of the event.
 */
import type { MamoriEvent } from '../core/event.js';
import { applyDeviceEnvelope, readSyslogEnvelope } from './envelope.js';
import { readKv } from './kv.js';
import { fieldTable, outcomeOf, setConverted, setMapped, type FieldMapping, type FieldTable } from './mapping.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { parseUint } from './syslog.js';
import { isoFromMs, isValidMs, parseEpochText, parseIso } from './time.js';
import { setDomainUser } from './user-domain.js';

const UNMAPPED_PREFIX = 'fortinet.firewall.';
/** Real FortiGate lines have under 150 pairs; the rest of a longer line stays in event.original. */
const MAX_PAIRS = 512;

const COMMON_ROWS = [
  [['srcip', 'remip'], 'source.ip', 'ip'],
  [['dstip', 'locip'], 'destination.ip', 'ip'],
  [['srcport', 'remport'], 'source.port', 'port'],
  [['dstport', 'locport'], 'destination.port', 'port'],
  ['proto', 'network.transport', 'transport'],
  ['srcintf', 'observer.ingress.interface.name', 'string'],
  ['dstintf', 'observer.egress.interface.name', 'string'],
  ['sentbyte', 'source.bytes', 'uint'],
  ['rcvdbyte', 'destination.bytes', 'uint'],
  ['sentpkt', 'source.packets', 'uint'],
  ['rcvdpkt', 'destination.packets', 'uint'],
  ['transip', 'source.nat.ip', 'ip'],
  ['transport', 'source.nat.port', 'port'],
  ['tranip', 'destination.nat.ip', 'ip'],
  ['tranport', 'destination.nat.port', 'port'],
  ['srcmac', 'source.mac', 'mac'],
  ['dstmac', 'destination.mac', 'mac'],
  ['srcname', 'source.domain', 'string'],
  ['devname', 'observer.name', 'string'],
  ['devid', 'observer.serial_number', 'string'],
  ['hostname', 'url.domain', 'string'],
  ['msg', 'message', 'string'],
  ['level', 'log.level', 'string'],
  ['logid', 'event.code', 'string'],
  ['app', 'network.application', 'lower'],
  ['qname', 'dns.question.name', 'string'],
  ['qtype', 'dns.question.type', 'string'],
  ['agent', 'user_agent.original', 'string'],
  ['referralurl', 'http.request.referrer', 'string'],
  ['filename', 'file.name', 'string'],
  ['filesize', 'file.size', 'uint'],
  ['analyticscksum', 'file.hash', 'hash'],
  ['direction', 'network.direction', 'direction'],
  ['group', 'user.group.name', 'string'],
  ['dstuser', 'destination.user.name', 'string'],
  ['reason', 'event.reason', 'string'],
  ['srccountry', 'source.geo.country_name', 'string'],
  ['dstcountry', 'destination.geo.country_name', 'string'],
] as const;

/** Traffic and event logs: the firewall policy is the rule. */
const POLICY_RULE: FieldTable = fieldTable([
  ...COMMON_ROWS,
  ['policyid', 'rule.id', 'string'],
  ['policyname', 'rule.name', 'string'],
  ['poluuid', 'rule.uuid', 'string'],
]);

/** UTM logs: the signature, virus or URL category that matched is the rule; the policy stays vendor data. */
const UTM_RULE: FieldTable = fieldTable([
  ...COMMON_ROWS,
  [['attack', 'virus'], 'rule.name', 'string'],
  [['attackid', 'virusid'], 'rule.id', 'string'],
  ['ref', 'rule.reference', 'string'],
  ['catdesc', 'rule.category', 'string'],
]);

/** Traffic actions of sessions the policy let through (closed normally or not). */
const ALLOWED_ACTIONS = new Set(['accept', 'close', 'timeout', 'server-rst', 'client-rst', 'passthrough', 'pass', 'detected', 'monitored', 'allow', 'permit']);
/** Actions of traffic the FortiGate stopped. */
const DENIED_ACTIONS = new Set(['deny', 'blocked', 'block', 'dropped', 'drop', 'reset', 'reject', 'ip-conn', 'analytics']);

/** What the header and the pairs say about the event before it is classified. */
interface Summary {
  type: string;
  subtype: string;
  action: string | undefined;
  status: string | undefined;
  hasConfigPath: boolean;
}

// Pairs are gathered first because `type` (which picks the table) comes after other keys; parse is synchronous, so one buffer serves every call.
const keys: string[] = [];
const values: string[] = [];
let count = 0;
const collector = {
  pair(key: string, value: string): void {
    if (count >= MAX_PAIRS) return;
    keys[count] = key;
    values[count] = value;
    count++;
  },
};

function valueOf(key: string): string | undefined {
  for (let i = 0; i < count; i++) if (keys[i] === key) return values[i];
  return undefined;
}

/** `eventtime` (epoch s, ms, µs or ns) when valid, else `date` + `time` with `tz` or the source zone. */
function timestampOf(ctx: ParseContext): number {
  const eventtime = valueOf('eventtime');
  if (eventtime !== undefined) {
    const ms = parseEpochText(eventtime);
    if (isValidMs(ms)) return ms;
  }
  const date = valueOf('date');
  const time = valueOf('time');
  if (date === undefined || time === undefined) return NaN;
  const local = `${date}T${time}`;
  const tz = valueOf('tz');
  if (tz !== undefined) {
    const zoned = parseIso(local + tz, ctx.timezone);
    if (isValidMs(zoned)) return zoned;
  }
  return parseIso(local, ctx.timezone);
}

/** Keys read into @timestamp and event.action (their text stays in event.original). */
const CONSUMED_KEYS = new Set(['date', 'time', 'tz', 'eventtime', 'action']);
/** Keys `specialPair` handles itself. */
const SPECIAL_KEYS = new Set(['user', 'duration', 'service', 'url']);

/**
 * How one key is handled, decided once per key and table rather than per
 * pair: a FortiGate line has 30-60 pairs, so one map lookup per pair is
 * most of what mapping costs.
 */
type KeyRoute =
  | { kind: 'vendor'; field: string }
  | { kind: 'table'; mapping: FieldMapping; field: string }
  | { kind: 'special' }
  | { kind: 'consumed' };

/**
 * Routes per table. FortiOS uses a few hundred key names, so the caches
 * stay small; one is cleared when hostile input fills it with junk keys.
 */
const ROUTE_CACHE_LIMIT = 4096;
const POLICY_ROUTES = new Map<string, KeyRoute>();
const UTM_ROUTES = new Map<string, KeyRoute>();

function routeOf(table: FieldTable, routes: Map<string, KeyRoute>, key: string): KeyRoute {
  let route = routes.get(key);
  if (route === undefined) {
    const mapping = table.get(key);
    route = CONSUMED_KEYS.has(key)
      ? { kind: 'consumed' }
      : SPECIAL_KEYS.has(key)
        ? { kind: 'special' }
        : mapping !== undefined
          ? { kind: 'table', mapping, field: UNMAPPED_PREFIX + key }
          : { kind: 'vendor', field: UNMAPPED_PREFIX + key };
    if (routes.size >= ROUTE_CACHE_LIMIT) routes.clear();
    routes.set(key, route);
  }
  return route;
}

function mapPair(event: MamoriEvent, table: FieldTable, routes: Map<string, KeyRoute>, key: string, value: string, ctx: ParseContext): void {
  const route = routeOf(table, routes, key);
  switch (route.kind) {
    case 'vendor':
      if (value.length > 0) event[route.field] = value;
      return;
    case 'table':
      // A value that does not fit its ECS field stays under the vendor prefix.
      if (value.length > 0 && !setConverted(event, route.mapping, value, ctx)) event[route.field] = value;
      return;
    case 'special':
      specialPair(event, table, key, value, ctx);
      return;
  }
}

function specialPair(event: MamoriEvent, table: FieldTable, key: string, value: string, ctx: ParseContext): void {
  switch (key) {
    case 'user':
      if (value.length > 0 && value !== 'N/A') setDomainUser(event, 'user.', value);
      return;
    case 'duration': {
      const seconds = parseUint(value, 1e9);
      if (seconds !== undefined) event['event.duration'] = seconds * 1e9;
      else setMapped(event, table, UNMAPPED_PREFIX, key, value, ctx);
      return;
    }
    case 'service':
      // `HTTPS`, `DNS` name a protocol; `tcp/8080` or custom service names do not.
      if (value.length > 0 && value.indexOf('/') < 0 && value.indexOf(' ') < 0) event['network.protocol'] = value.toLowerCase();
      setMapped(event, table, UNMAPPED_PREFIX, key, value, ctx);
      return;
    case 'url':
      setUrl(event, value);
      return;
  }
}

/** FortiOS logs an absolute URL or, with `hostname`, only the path and query. */
function setUrl(event: MamoriEvent, url: string): void {
  if (url.length === 0) return;
  event['url.original'] = url;
  if (url.indexOf('://') > 0) {
    event['url.full'] = url;
  } else if (url.charCodeAt(0) === 47) {
    const q = url.indexOf('?');
    event['url.path'] = q < 0 ? url : url.slice(0, q);
    if (q >= 0 && q < url.length - 1) event['url.query'] = url.slice(q + 1);
  }
}

function verdictOf(action: string | undefined): 'allowed' | 'denied' | undefined {
  if (action === undefined) return undefined;
  if (DENIED_ACTIONS.has(action)) return 'denied';
  return ALLOWED_ACTIONS.has(action) ? 'allowed' : undefined;
}

function setClass(event: MamoriEvent, category: string[], type: string[], outcome: 'success' | 'failure' | 'unknown' | undefined): void {
  event['event.category'] = category;
  event['event.type'] = type;
  if (outcome !== undefined) event['event.outcome'] = outcome;
}

/** Sets event.kind / category / type / outcome from type, subtype, action and status. */
function classify(event: MamoriEvent, s: Summary): void {
  const verdict = verdictOf(s.action);
  const verdictOutcome = verdict === 'allowed' ? 'success' : verdict === 'denied' ? 'failure' : undefined;
  const withVerdict = (types: string[]): string[] => (verdict === undefined ? types : [...types, verdict]);
  if (s.type === 'traffic') {
    const phase = verdict === 'denied' ? [] : s.action === 'accept' || s.action === 'start' ? ['start'] : s.action === undefined ? [] : ['end'];
    setClass(event, ['network'], withVerdict(['connection', ...phase]), verdictOutcome);
    return;
  }
  if (s.type === 'utm') {
    switch (s.subtype) {
      case 'virus':
        event['event.kind'] = 'alert';
        setClass(event, ['malware', 'file', 'network'], withVerdict(['info']), verdictOutcome);
        return;
      case 'ips':
      case 'anomaly':
        event['event.kind'] = 'alert';
        setClass(event, ['intrusion_detection', 'network'], withVerdict(['info']), verdictOutcome);
        return;
      case 'webfilter':
        setClass(event, ['web', 'network'], withVerdict(['access']), verdictOutcome);
        return;
      case 'dns':
        setClass(event, ['network'], withVerdict(['protocol']), verdictOutcome);
        return;
      default:
        setClass(event, ['network'], withVerdict(['info']), verdictOutcome);
        return;
    }
  }
  // Event logs: the outcome is in `status` (success / failed) when they have one.
  const outcome = s.status !== undefined ? outcomeOf(s.status) : s.action !== undefined && s.action.indexOf('fail') >= 0 ? 'failure' : undefined;
  const action = s.action ?? '';
  if (action === 'login' || action === 'logout' || action.startsWith('ssl-login') || action === 'auth-logon' || s.subtype === 'user') {
    setClass(event, ['authentication'], [action === 'logout' ? 'end' : action.indexOf('log') >= 0 ? 'start' : 'info'], outcome);
  } else if (s.subtype === 'vpn') {
    const type = action === 'tunnel-up' ? 'start' : action === 'tunnel-down' ? 'end' : 'info';
    setClass(event, ['network', 'session'], [type], outcome);
  } else if (s.hasConfigPath) {
    setClass(event, ['configuration'], ['change'], outcome);
  } else {
    setClass(event, ['host'], ['info'], outcome);
  }
}

export const fortigate: Parser = {
  name: 'fortigate',
  description: 'Fortinet FortiGate (FortiOS) key=value logs: traffic, utm and event types, with or without a syslog header',
  sniff(line: string): boolean {
    return line.indexOf('logid=') >= 0 && (line.indexOf('devid=') >= 0 || line.indexOf('devname=') >= 0);
  },
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const event: MamoriEvent = { '@timestamp': undefined, 'event.kind': 'event', 'event.module': 'fortigate', 'event.dataset': 'fortigate' };
    const envelope = readSyslogEnvelope(line, ctx);
    let body = line;
    if (envelope) {
      applyDeviceEnvelope(event, envelope);
      body = envelope.body;
    }
    count = 0;
    readKv(body, 0, collector);
    const type = valueOf('type');
    const subtype = valueOf('subtype');
    if (valueOf('logid') === undefined && type === undefined) throw new ParseError('not a FortiGate log: no logid/type/subtype');

    const ms = timestampOf(ctx);
    if (isValidMs(ms)) event['@timestamp'] = isoFromMs(ms);
    event['event.dataset'] = type === undefined ? 'fortigate' : `fortigate.${type}`;
    event['observer.vendor'] = 'Fortinet';
    event['observer.product'] = 'FortiGate';
    event['observer.type'] = 'firewall';
    const utm = type === 'utm';
    const table = utm ? UTM_RULE : POLICY_RULE;
    const routes = utm ? UTM_ROUTES : POLICY_ROUTES;
    for (let i = 0; i < count; i++) mapPair(event, table, routes, keys[i], values[i], ctx);
    const action = valueOf('action')?.toLowerCase();
    if (action !== undefined && action.length > 0) event['event.action'] = action;
    else if (subtype !== undefined) event['event.action'] = subtype;
    classify(event, { type: type ?? '', subtype: subtype ?? '', action: action || undefined, status: valueOf('status'), hasConfigPath: valueOf('cfgpath') !== undefined });
    if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
    return event;
  },
};
