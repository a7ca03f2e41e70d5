import type { MamoriEvent } from '../core/event.js';
import {
  FieldReader,
  durationNs,
  parseClfTime,
  present,
  readClf,
  setClfFields,
  setRequestLine,
  setStatus,
  setUrl,
  stripSyslog,
  wallClockMs,
} from './access-log.js';
import { DROPPED_FIELDS, flattenInto, type FlattenState } from './flatten.js';
import { fieldTable, setMapped, type FieldTable } from './mapping.js';
import { isIp } from './net.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { readJsonObject } from './json-line.js';
import { parseUint } from './syslog.js';
import { digits2, isoFromMs, isValidMs, localToUtc, parseEpochText, parseIso } from './time.js';

const ACCESS_PREFIX = 'nginx.access.';
const ERROR_PREFIX = 'nginx.error.';
const BODY_BYTES = ['http.response.body.bytes'];
const NS_PER_S = 1e9;

function nginxEvent(dataset: string, type: string): MamoriEvent {
  return {
    '@timestamp': undefined,
    'event.kind': 'event',
    'event.module': 'nginx',
    'event.dataset': dataset,
    'event.category': ['web'],
    'event.type': [type],
  };
}

/**
 * `$http_x_forwarded_for`: kept as written, and its first address (the
 * client as the first proxy saw it) as `network.forwarded_ip`.
 */
function setForwardedFor(event: MamoriEvent, value: string): void {
  if (!present(value)) return;
  event[ACCESS_PREFIX + 'x_forwarded_for'] = value;
  const comma = value.indexOf(',');
  const first = (comma < 0 ? value : value.slice(0, comma)).trim();
  if (isIp(first)) event['network.forwarded_ip'] = first;
}

/**
 * `combined`, `main` (combined + `"$http_x_forwarded_for"`), and either
 * followed by `$request_time` (seconds with ms). Anything else appended stays in `nginx.access.extra`.
 */
function parseAccess(event: MamoriEvent, body: string, ctx: ParseContext): MamoriEvent {
  const reader = new FieldReader(body);
  const clf = readClf(reader, ctx);
  event['@timestamp'] = isoFromMs(clf.ms);
  setClfFields(event, clf, ACCESS_PREFIX, BODY_BYTES);
  if (clf.userAgent !== undefined && reader.peek() === 34) setForwardedFor(event, reader.next() as string);
  const rest = reader.rest();
  const duration = rest.indexOf('.') > 0 ? durationNs(rest, NS_PER_S) : undefined;
  if (duration !== undefined) event['event.duration'] = duration;
  else if (rest.length > 0) event[ACCESS_PREFIX + 'extra'] = rest;
  return event;
}

/** JSON keys (nginx variable names, and the short names people give them) with a plain ECS home. */
const JSON_FIELDS: FieldTable = fieldTable([
  [['remote_addr', 'client_ip', 'clientip', 'client', 'ip', 'realip_remote_addr'], 'source.ip', 'ip'],
  [['remote_port', 'client_port'], 'source.port', 'port'],
  [['remote_user', 'user'], 'user.name', 'string'],
  [['request_method', 'method'], 'http.request.method', 'string'],
  [['uri', 'path'], 'url.path', 'string'],
  [['args', 'query_string', 'query'], 'url.query', 'string'],
  [['scheme'], 'url.scheme', 'lower'],
  [['host', 'http_host', 'server_name', 'vhost'], 'url.domain', 'string'],
  [['body_bytes_sent', 'body_bytes', 'size'], 'http.response.body.bytes', 'uint'],
  [['bytes_sent'], 'http.response.bytes', 'uint'],
  [['request_length'], 'http.request.bytes', 'uint'],
  [['http_referer', 'http_referrer', 'referer', 'referrer'], 'http.request.referrer', 'string'],
  [['http_user_agent', 'user_agent', 'useragent', 'agent'], 'user_agent.original', 'string'],
  [['server_addr'], 'destination.ip', 'ip'],
  [['server_port'], 'destination.port', 'port'],
  [['request_id'], 'http.request.id', 'string'],
  [['hostname'], 'host.name', 'string'],
]);

/** Time keys, best first: an explicit zone beats the source's zone. */
const TIME_KEYS = ['time_iso8601', 'time_local', 'msec', '@timestamp', 'timestamp', 'time'];

/** `msec` (epoch seconds), ISO 8601 or the CLF time; NaN for anything else. */
function jsonTime(value: string, zone: string | undefined): number {
  const epoch = parseEpochText(value);
  if (!Number.isNaN(epoch)) return epoch;
  const iso = parseIso(value, zone);
  return Number.isNaN(iso) ? parseClfTime(value, zone) : iso;
}

/** One member of a JSON access line, by its key. */
function setJsonField(event: MamoriEvent, key: string, value: string, ctx: ParseContext): void {
  switch (key) {
    case 'request':
      setRequestLine(event, value, ACCESS_PREFIX);
      return;
    case 'request_uri':
      setUrl(event, value, false);
      return;
    case 'status': {
      const status = parseUint(value, 999);
      if (status !== undefined) setStatus(event, status);
      else event[ACCESS_PREFIX + key] = value;
      return;
    }
    case 'server_protocol':
    case 'protocol':
      event['http.version'] = value.startsWith('HTTP/') ? value.slice(5) : value;
      return;
    case 'request_time': {
      const duration = durationNs(value, NS_PER_S);
      if (duration !== undefined) event['event.duration'] = duration;
      else event[ACCESS_PREFIX + key] = value;
      return;
    }
    case 'http_x_forwarded_for':
    case 'x_forwarded_for':
    case 'xff':
      setForwardedFor(event, value);
      return;
  }
  setMapped(event, JSON_FIELDS, ACCESS_PREFIX, key, value, ctx);
}

/**
 * `log_format ... escape=json '{"remote_addr":"$remote_addr",...}'` with
 * whatever key names the configuration chose; known names map to ECS, the
 * rest stays under `nginx.access.<key>` (nested objects flattened, bounded
 * like the json parser). Missing variables are "" or "-" and are dropped.
 */
function parseJson(event: MamoriEvent, body: string, ctx: ParseContext): MamoriEvent {
  const doc = readJsonObject(body);
  const flat: MamoriEvent = {};
  const state: FlattenState = { fields: 0, dropped: 0 };
  flattenInto(flat, doc as Record<string, unknown>, '', state);
  let timeKey: string | undefined;
  for (const key of TIME_KEYS) {
    const value = flat[key];
    const ms = typeof value === 'string' || typeof value === 'number' ? jsonTime(String(value), ctx.timezone) : NaN;
    if (isValidMs(ms)) {
      event['@timestamp'] = isoFromMs(ms);
      timeKey = key;
      break;
    }
  }
  for (const key in flat) {
    if (key === timeKey) continue;
    const value = flat[key];
    if (typeof value === 'string') {
      if (value !== '-') setJsonField(event, key, value, ctx);
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      setJsonField(event, key, String(value), ctx);
    } else if (value !== null && value !== undefined) {
      event[ACCESS_PREFIX + key] = value;
    }
  }
  if (state.dropped > 0) event[DROPPED_FIELDS] = state.dropped;
  if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
  return event;
}

/** `yyyy/mm/dd hh:mm:ss ` — how every error log line starts; local time. */
function errorTime(line: string, zone: string | undefined): number {
  if (line.charCodeAt(4) !== 47 || line.charCodeAt(7) !== 47 || line.charCodeAt(10) !== 32) return NaN;
  if (line.charCodeAt(13) !== 58 || line.charCodeAt(16) !== 58 || line.charCodeAt(19) !== 32) return NaN;
  const yearHi = digits2(line, 0);
  const yearLo = digits2(line, 2);
  if (yearHi < 0 || yearLo < 0) return NaN;
  const local = wallClockMs(yearHi * 100 + yearLo, digits2(line, 5) - 1, digits2(line, 8), digits2(line, 11), digits2(line, 14), digits2(line, 17), 0);
  if (Number.isNaN(local)) return NaN;
  const ms = localToUtc(local, zone);
  return isValidMs(ms) ? ms : NaN;
}

const CLIENT_KEY = ', client: ';

/**
 * Where the `, client: ..., server: ...` context nginx appends starts: the
 * first `, client: ` outside double quotes, so a path quoted in the
 * message (`open() "/a, client: 1.2.3.4" failed`) cannot pose as the client. -1 when absent.
 */
function contextStart(s: string, from: number): number {
  let at = s.indexOf(CLIENT_KEY, from);
  let quotes = 0;
  let counted = from;
  while (at >= 0) {
    for (; counted < at; counted++) if (s.charCodeAt(counted) === 34) quotes++;
    if ((quotes & 1) === 0) return at;
    at = s.indexOf(CLIENT_KEY, at + CLIENT_KEY.length);
  }
  return -1;
}

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || c === 95;
}

/**
 * Reads `, key: value` pairs from `at`; a value is bare (up to the next
 * `, key: `) or quoted (up to a `"` followed by `, ` or the end).
 */
function readContext(event: MamoriEvent, s: string, at: number): void {
  const n = s.length;
  while (at < n && s.charCodeAt(at) === 44 && s.charCodeAt(at + 1) === 32) {
    let k = at + 2;
    while (k < n && isKeyChar(s.charCodeAt(k))) k++;
    if (k === at + 2 || s.charCodeAt(k) !== 58 || s.charCodeAt(k + 1) !== 32) return;
    const key = s.slice(at + 2, k);
    let start = k + 2;
    let end: number;
    let next: number;
    if (s.charCodeAt(start) === 34) {
      start++;
      end = start;
      for (;;) {
        end = s.indexOf('"', end);
        if (end < 0 || end === n - 1 || (s.charCodeAt(end + 1) === 44 && s.charCodeAt(end + 2) === 32)) break;
        end++;
      }
      if (end < 0) end = n;
      next = end + 1;
    } else {
      end = s.indexOf(', ', start);
      if (end < 0) end = n;
      next = end;
    }
    setContextField(event, key, s.slice(start, end));
    at = next;
  }
}

function setContextField(event: MamoriEvent, key: string, value: string): void {
  if (value.length === 0) return;
  switch (key) {
    case 'client':
      if (isIp(value)) event['source.ip'] = value;
      else event[ERROR_PREFIX + key] = value;
      return;
    case 'request':
      setRequestLine(event, value, ERROR_PREFIX);
      return;
    case 'host':
      event['url.domain'] = value;
      return;
    case 'referrer':
      event['http.request.referrer'] = value;
      return;
  }
  event[ERROR_PREFIX + key] = value;
}

/**
 * `2024/05/01 10:00:00 [error] 123#123: *45 message, client: 10.0.0.1,
 * server: example.com, request: "GET /x HTTP/1.1", host: "example.com"`;
 * the `*connection` and the context are absent from process-level messages.
 */
function parseError(event: MamoriEvent, body: string, ctx: ParseContext): MamoriEvent {
  const ms = errorTime(body, ctx.timezone);
  if (Number.isNaN(ms)) throw new ParseError(`invalid nginx error log time "${body.slice(0, 19)}"`);
  event['@timestamp'] = isoFromMs(ms);
  const close = body.indexOf('] ', 21);
  if (body.charCodeAt(20) !== 91 || close < 0) throw new ParseError('not an nginx error log line: no [level] after the time');
  event['log.level'] = body.slice(21, close);
  let pos = close + 2;
  const hash = body.indexOf('#', pos);
  const colon = hash < 0 ? -1 : body.indexOf(': ', hash);
  const pid = hash < 0 ? undefined : parseUint(body.slice(pos, hash), Number.MAX_SAFE_INTEGER);
  const tid = colon < 0 ? undefined : parseUint(body.slice(hash + 1, colon), Number.MAX_SAFE_INTEGER);
  if (pid !== undefined && tid !== undefined) {
    event['process.pid'] = pid;
    event['process.thread.id'] = tid;
    pos = colon + 2;
  }
  if (body.charCodeAt(pos) === 42) {
    const space = body.indexOf(' ', pos);
    const connection = parseUint(body.slice(pos + 1, space < 0 ? body.length : space), Number.MAX_SAFE_INTEGER);
    if (connection !== undefined) {
      event[ERROR_PREFIX + 'connection_id'] = connection;
      pos = space < 0 ? body.length : space + 1;
    }
  }
  const message = body.slice(pos);
  if (message.length > 0) event.message = message;
  const context = contextStart(message, 0);
  if (context >= 0) readContext(event, message, context);
  return event;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `dddd/dd/dd dd:dd:dd [`: the error log's own start. */
function startsErrorLine(line: string): boolean {
  return isDigit(line.charCodeAt(0)) && line.charCodeAt(4) === 47 && line.charCodeAt(7) === 47 && line.charCodeAt(13) === 58 && line.charCodeAt(20) === 91;
}

export const nginx: Parser = {
  name: 'nginx',
  description: 'nginx access logs (combined, main with X-Forwarded-For, JSON with escape=json) and error logs',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const event = nginxEvent('nginx.access', 'access');
    const body = stripSyslog(event, line, ctx, 'host');
    const first = body.charCodeAt(0);
    if (first === 123) return parseJson(event, body, ctx);
    if (isDigit(first) && body.charCodeAt(4) === 47) {
      event['event.dataset'] = 'nginx.error';
      event['event.type'] = ['error'];
      return parseError(event, body, ctx);
    }
    return parseAccess(event, body, ctx);
  },
  sniff(line: string): boolean {
    return startsErrorLine(line) || (line.charCodeAt(0) === 123 && line.indexOf('"remote_addr"') > 0);
  },
};
