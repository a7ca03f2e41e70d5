import type { MamoriEvent } from '../core/event.js';
import { FieldReader, durationNs, present, setProxyDestination, setStatus, stripSyslog } from './access-log.js';
import { fieldTable, setMapped, type FieldTable } from './mapping.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { parseUint } from './syslog.js';
import { setDomainUser } from './user-domain.js';
import { isoFromMs, parseIso } from './time.js';

const PREFIX = 'bluecoat.';
const NS_PER_MS = 1_000_000;
/** No documented layout has more; a longer line is not one of them, and reading stops there. */
const MAX_FIELDS = 64;

const MAIN = [
  'date', 'time', 'time-taken', 'c-ip', 'cs-username', 'cs-auth-group', 'x-exception-id', 'sc-filter-result',
  'cs-categories', 'cs(Referer)', 'sc-status', 's-action', 'cs-method', 'rs(Content-Type)', 'cs-uri-scheme',
  'cs-host', 'cs-uri-port', 'cs-uri-path', 'cs-uri-query', 'cs-uri-extension', 'cs(User-Agent)', 's-ip',
  'sc-bytes', 'cs-bytes', 'x-virus-id',
];
const APPLICATION = ['x-bluecoat-application-name', 'x-bluecoat-application-operation'];
/** SGOS 6.7 and later add the upstream server ("supplier") after the auth group, and more at the end. */
const MAIN_SGOS7 = [
  ...MAIN.slice(0, 6), 's-supplier-name', 's-supplier-ip', 's-supplier-country', 's-supplier-failures', ...MAIN.slice(6),
  ...APPLICATION, 'x-bluecoat-application-groups', 'cs-threat-risk', 'x-bluecoat-transaction-uuid',
  'x-icap-reqmod-header(X-ICAP-Metadata)', 'x-icap-respmod-header(X-ICAP-Metadata)',
];

/** `cs(User-Agent)` → `cs_user_agent`: the key a field gets under `bluecoat.`. */
function vendorKey(elff: string): string {
  return elff.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** One field of a layout: its key under `bluecoat.`, and that full field name built once. */
interface Slot {
  key: string;
  vendorField: string;
}

/**
 * The documented access log layouts, by field count (lines come without
 * their `#Fields:` header): `main` (SGOS 5/6), `bcreportermain_v1` (SGOS 6)
 * and `bcreportermain_v1` / `main` of SGOS 6.7 and 7.
 */
const LAYOUTS: ReadonlyMap<number, readonly Slot[]> = new Map(
  [MAIN, [...MAIN, ...APPLICATION], MAIN_SGOS7].map((fields) => [
    fields.length,
    fields.map((name) => ({ key: vendorKey(name), vendorField: PREFIX + vendorKey(name) })),
  ]),
);
const KNOWN_COUNTS = [...LAYOUTS.keys()].join(', ');

/** Fields with a plain ECS home; the rest stay under `bluecoat.<key>`. */
const FIELDS: FieldTable = fieldTable([
  ['c_ip', 'source.ip', 'ip'],
  ['cs_auth_group', 'user.group.name', 'string'],
  ['s_supplier_ip', 'destination.ip', 'ip'],
  ['cs_referer', 'http.request.referrer', 'string'],
  ['s_action', 'event.action', 'string'],
  ['cs_method', 'http.request.method', 'string'],
  ['rs_content_type', 'http.response.mime_type', 'string'],
  ['cs_uri_scheme', 'url.scheme', 'lower'],
  ['cs_host', 'url.domain', 'string'],
  ['cs_uri_port', 'url.port', 'port'],
  ['cs_uri_path', 'url.path', 'string'],
  ['cs_uri_extension', 'url.extension', 'string'],
  ['cs_user_agent', 'user_agent.original', 'string'],
  ['s_ip', 'observer.ip', 'ip'],
]);

function bluecoatEvent(dataset: string): MamoriEvent {
  return {
    '@timestamp': undefined,
    'event.kind': 'event',
    'event.module': 'bluecoat',
    'event.dataset': dataset,
    'observer.vendor': 'Broadcom',
    'observer.product': 'ProxySG',
    'observer.type': 'proxy',
  };
}

function setUint(event: MamoriEvent, value: string, fields: readonly string[], key: string): void {
  const n = parseUint(value, Number.MAX_SAFE_INTEGER);
  if (n === undefined) event[PREFIX + key] = value;
  else for (const field of fields) event[field] = n;
}

/** One field's value; false when the field is not one handled here (it then goes through the table). */
function setSpecial(event: MamoriEvent, key: string, value: string): boolean {
  switch (key) {
    case 'date':
    case 'time':
      return true;
    case 'time_taken': {
      const duration = durationNs(value, NS_PER_MS);
      if (duration !== undefined) event['event.duration'] = duration;
      return true;
    }
    case 'sc_status': {
      const status = parseUint(value, 999);
      if (status !== undefined) setStatus(event, status);
      return true;
    }
    case 'cs_username':
      setDomainUser(event, 'user.', value);
      return true;
    case 'cs_categories': {
      const categories = value.split(';').map((c) => c.trim()).filter((c) => c.length > 0);
      if (categories.length > 0) {
        event[PREFIX + 'categories'] = categories;
        event['rule.category'] = categories;
      }
      return true;
    }
    case 'cs_uri_query':
      // ELFF keeps the `?`; ECS does not.
      if (value.length > 1) event['url.query'] = value.charCodeAt(0) === 63 ? value.slice(1) : value;
      return true;
    case 'sc_bytes':
      setUint(event, value, ['http.response.bytes', 'destination.bytes'], key);
      return true;
    case 'cs_bytes':
      setUint(event, value, ['http.request.bytes', 'source.bytes'], key);
      return true;
  }
  return false;
}

/** `scheme://host[:port]/path?query` from the parts ELFF logs separately; the default port is left out. */
function setFullUrl(event: MamoriEvent, port: string | undefined, query: string | undefined): void {
  const scheme = event['url.scheme'];
  const host = event['url.domain'];
  if (typeof scheme !== 'string' || typeof host !== 'string') return;
  const defaultPort = (scheme === 'http' && port === '80') || (scheme === 'https' && port === '443');
  const path = event['url.path'];
  event['url.full'] =
    `${scheme}://${host}${present(port) && !defaultPort ? ':' + port : ''}${typeof path === 'string' ? path : ''}${present(query) ? query : ''}`;
}

/**
 * `#Software:`, `#Version:`, `#Date:`, `#Fields:`, `#Remark:` lines the
 * appliance writes at the top of each log file: not traffic, but worth
 * keeping (a `#Fields:` line tells which layout the file has).
 */
function parseDirective(event: MamoriEvent, body: string, ctx: ParseContext): MamoriEvent {
  event['event.dataset'] = 'bluecoat.meta';
  event['event.type'] = ['info'];
  const colon = body.indexOf(':');
  const name = (colon < 0 ? body.slice(1) : body.slice(1, colon)).trim();
  const value = colon < 0 ? '' : body.slice(colon + 1).trim();
  event[PREFIX + 'directive'] = name;
  if (value.length > 0) event.message = value;
  if (name === 'Fields') event[PREFIX + 'fields'] = value.split(' ').filter((f) => f.length > 0);
  if (name === 'Date' || name === 'Start-Date') {
    const ms = parseIso(value, 'UTC');
    if (!Number.isNaN(ms)) event['@timestamp'] = isoFromMs(ms);
  }
  if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
  return event;
}

function parseAccess(event: MamoriEvent, body: string, ctx: ParseContext): MamoriEvent {
  const reader = new FieldReader(body);
  const values: string[] = [];
  while (values.length < MAX_FIELDS) {
    const value = reader.next();
    if (value === undefined) break;
    values.push(value);
  }
  const layout = LAYOUTS.get(values.length);
  if (!reader.atEnd() || layout === undefined) {
    throw new ParseError(`not a known ProxySG access log layout: ${reader.atEnd() ? values.length : 'more than ' + MAX_FIELDS} fields (known: ${KNOWN_COUNTS})`);
  }
  // ELFF `date` and `time` are UTC whatever the appliance's zone.
  const ms = parseIso(`${values[0]}T${values[1]}`, 'UTC');
  if (Number.isNaN(ms)) throw new ParseError(`invalid ELFF date and time "${values[0].slice(0, 20)} ${values[1].slice(0, 20)}"`);
  event['@timestamp'] = isoFromMs(ms);
  event['event.category'] = ['web', 'network'];
  let port: string | undefined;
  let query: string | undefined;
  let filter: string | undefined;
  for (let i = 2; i < values.length; i++) {
    const value = values[i];
    if (!present(value)) continue;
    const { key, vendorField } = layout[i];
    if (key === 'cs_uri_port') port = value;
    else if (key === 'cs_uri_query') query = value;
    else if (key === 'sc_filter_result') filter = value;
    if (setSpecial(event, key, value)) continue;
    if (FIELDS.has(key)) setMapped(event, FIELDS, PREFIX, key, value, ctx);
    else event[vendorField] = value;
  }
  setFullUrl(event, port, query);
  setProxyDestination(event);
  if (filter === 'DENIED') {
    event['event.type'] = ['access', 'denied'];
    event['event.outcome'] = 'failure';
  } else {
    event['event.type'] = ['access', 'allowed'];
  }
  return event;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `yyyy-mm-dd hh:mm:ss <time-taken> ` and a filter result: a ProxySG access line. */
function sniffAccess(line: string): boolean {
  if (!isDigit(line.charCodeAt(0)) || line.charCodeAt(4) !== 45 || line.charCodeAt(10) !== 32 || line.charCodeAt(13) !== 58) return false;
  if (line.charCodeAt(19) !== 32 || !isDigit(line.charCodeAt(20))) return false;
  return line.indexOf(' OBSERVED ') > 0 || line.indexOf(' DENIED ') > 0 || line.indexOf(' PROXIED ') > 0;
}

export const bluecoat: Parser = {
  name: 'bluecoat',
  description: 'Broadcom (Blue Coat) ProxySG access logs in the ELFF main / bcreportermain_v1 layouts',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const event = bluecoatEvent('bluecoat.access');
    const body = stripSyslog(event, line, ctx, 'observer');
    if (body.charCodeAt(0) === 35) return parseDirective(event, body, ctx);
    return parseAccess(event, body, ctx);
  },
  sniff(line: string): boolean {
    return sniffAccess(line) || line.startsWith('#Software: SGOS') || (line.startsWith('#Fields: ') && line.includes(' sc-filter-result '));
  },
};
