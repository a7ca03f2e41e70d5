import type { EcsValue, MamoriEvent } from '../../core/event.js';

/**
 * The event table's typed columns. Column names are the ECS field names
 * themselves (back-quoted in SQL), so a field in a query, a Sigma rule or
 * an API filter maps to a column without a translation table. Every other
 * field of an event is kept in the `attr_keys` / `attr_values` arrays
 * (parallel arrays rather than a Map so that old ClickHouse servers read
 * the same schema). docs/schema.md documents each field.
 */
export type ColumnKind = 'string' | 'number' | 'ip' | 'time' | 'array';

export interface Column {
  field: string;
  kind: ColumnKind;
  /** ClickHouse type. */
  type: string;
  description: string;
}

// No LowCardinality: its dictionaries cost about a quarter of the insert CPU
// (docs/adr/0003-insert-path.md), and LZ4 compresses repeated values anyway.
const str = (field: string, description: string): Column => ({ field, kind: 'string', type: 'String', description });
const num = (field: string, type: string, description: string): Column => ({
  field,
  kind: 'number',
  type: `Nullable(${type})`,
  description,
});
const ip = (field: string, description: string): Column => ({ field, kind: 'ip', type: 'Nullable(IPv6)', description });
const arr = (field: string, description: string): Column => ({
  field,
  kind: 'array',
  type: 'Array(String)',
  description,
});

// Only one array column may exist under a prefix: ClickHouse treats array
// columns sharing a dotted prefix (`event.category`, `event.type`) as one
// Nested structure and rejects rows whose arrays differ in length. So
// `event.type` lives in the attributes.
export const COLUMNS: readonly Column[] = [
  { field: '@timestamp', kind: 'time', type: "DateTime64(3, 'UTC')", description: 'When the event happened (from the log line; the receive time when the line has none).' },
  { field: 'event.ingested', kind: 'time', type: "DateTime64(3, 'UTC')", description: 'When Mamori received the data.' },
  str('tenant.id', 'The customer organisation the event belongs to.'),
  str('event.id', 'Unique event id assigned at collection; storage is idempotent by it.'),
  str('mamori.source', 'The source (input) that received the event.'),
  str('event.kind', 'ECS event.kind: event, alert, metric, state, pipeline_error.'),
  arr('event.category', 'ECS event.category values (network, authentication, process, web, ...).'),
  str('event.action', 'The action captured by the event, as the source names it.'),
  str('event.outcome', 'success, failure or unknown.'),
  str('event.module', 'The parser (module) that produced the event.'),
  str('event.dataset', 'The dataset within the module (for example zeek.conn).'),
  str('event.provider', 'The source of the event inside the device (syslog program, Windows provider).'),
  str('event.code', 'Identification code of the event (Windows EventID, vendor message id).'),
  num('event.severity', 'Int64', 'Numeric severity as the source gives it.'),
  str('message', 'The human-readable message of the event.'),
  str('event.original', 'The raw line exactly as received.'),
  str('error.message', 'Why the line could not be parsed (pipeline_error events).'),
  ip('source.ip', 'Source address (IPv4 or IPv6).'),
  num('source.port', 'UInt16', 'Source port.'),
  ip('destination.ip', 'Destination address (IPv4 or IPv6).'),
  num('destination.port', 'UInt16', 'Destination port.'),
  num('source.bytes', 'UInt64', 'Bytes sent from the source to the destination.'),
  num('destination.bytes', 'UInt64', 'Bytes sent from the destination to the source.'),
  str('network.transport', 'tcp, udp, icmp, ...'),
  str('network.protocol', 'Application protocol (http, dns, ssh, ...).'),
  str('network.direction', 'inbound, outbound, internal, external.'),
  num('network.bytes', 'UInt64', 'Total bytes in both directions.'),
  num('network.packets', 'UInt64', 'Total packets in both directions.'),
  str('user.name', 'The user name.'),
  str('user.domain', 'The user domain.'),
  str('host.name', 'The host the event is about (for syslog: the sending host name).'),
  str('process.name', 'Process name.'),
  num('process.pid', 'Int64', 'Process id.'),
  str('process.executable', 'Full path of the process executable.'),
  str('process.command_line', 'Full command line of the process.'),
  str('url.full', 'The full URL.'),
  str('url.domain', 'The domain part of the URL.'),
  str('http.request.method', 'HTTP request method.'),
  num('http.response.status_code', 'UInt16', 'HTTP response status code.'),
  str('user_agent.original', 'The user agent string.'),
  str('dns.question.name', 'The queried DNS name.'),
  str('rule.id', 'Id of the device rule or signature that produced the event.'),
  str('rule.name', 'Name of the device rule or signature that produced the event.'),
  str('observer.vendor', 'Vendor of the reporting device.'),
  str('observer.product', 'Product of the reporting device.'),
  str('observer.hostname', 'Host name of the reporting device.'),
  str('observer.type', 'Type of the reporting device (firewall, ids, proxy, ...).'),
  // The syslog header is in nearly every event a SIEM receives: typed
  // columns keep it out of the attribute arrays (cheaper to store and scan).
  num('log.syslog.priority', 'UInt16', 'Syslog PRI value (facility * 8 + severity).'),
  num('log.syslog.facility.code', 'UInt8', 'Syslog facility number.'),
  str('log.syslog.facility.name', 'Syslog facility name (auth, daemon, local0, ...).'),
  num('log.syslog.severity.code', 'UInt8', 'Syslog severity number (0 emergency ... 7 debug).'),
  str('log.syslog.severity.name', 'Syslog severity name.'),
  str('log.syslog.appname', 'RFC 5424 APP-NAME.'),
];

export const COLUMN_BY_FIELD: ReadonlyMap<string, Column> = new Map(COLUMNS.map((c) => [c.field, c]));

/** Names of the parallel arrays holding every field that has no typed column. */
export const ATTR_KEYS = 'attr_keys';
export const ATTR_VALUES = 'attr_values';

/** TabSeparated values of a row with every field absent (time columns are not Nullable). */
const ABSENT: Record<ColumnKind, string> = { string: '', array: '[]', number: '\\N', ip: '\\N', time: '1970-01-01 00:00:00.000' };
const EMPTY_ROW: readonly string[] = [...COLUMNS.map((c) => ABSENT[c.kind]), '[]', '[]'];

const COLUMN_INDEX: ReadonlyMap<string, number> = new Map(COLUMNS.map((c, i) => [c.field, i]));
const TIME_INDEX = COLUMN_INDEX.get('@timestamp')!;

/** One event as a TabSeparated line in table column order, and the event time it was stored with. */
export interface TsvRow {
  line: string;
  /** Milliseconds since the epoch. */
  time: number;
}

/**
 * Writes an event as one TabSeparated line: typed fields in their columns
 * (coerced to the column's type; a value that does not fit moves to the
 * attributes, so nothing is lost), every other field in the attribute
 * arrays, non-strings JSON-encoded. An event without a usable `@timestamp`
 * is stored at `fallbackTime`. Built straight from the event into one array
 * joined once: this runs for every event in the parse workers.
 */
export function toTsvRow(event: MamoriEvent, fallbackTime: number): TsvRow {
  const cells = EMPTY_ROW.slice();
  let time = NaN;
  let keys = '';
  let values = '';
  for (const field in event) {
    const value = event[field];
    if (value === undefined || value === null) continue;
    const index = COLUMN_INDEX.get(field);
    let cell: string | undefined;
    if (index === TIME_INDEX) {
      time = toMillis(value);
      if (inRange(time)) cell = tsvTime(time, value);
    } else if (index !== undefined) {
      cell = tsvCell(COLUMNS[index], value);
    }
    if (cell !== undefined) {
      cells[index!] = cell;
    } else {
      if (keys !== '') {
        keys += ',';
        values += ',';
      }
      keys += tsvQuoted(field);
      values += tsvQuoted(typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  if (!inRange(time)) {
    time = Math.trunc(fallbackTime);
    cells[TIME_INDEX] = tsvTime(time, undefined);
  }
  cells[COLUMNS.length] = `[${keys}]`;
  cells[COLUMNS.length + 1] = `[${values}]`;
  return { line: cells.join('\t'), time };
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The TabSeparated text of a typed value, or undefined when it does not fit the column. */
function tsvCell(column: Column, value: EcsValue): string | undefined {
  switch (column.kind) {
    case 'string':
      return tsvEscape(typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));
    case 'array':
      return '[' + (Array.isArray(value) ? value : [value]).map((v) => tsvQuoted(typeof v === 'string' ? v : JSON.stringify(v))).join(',') + ']';
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) return undefined;
      if (column.type.includes('UInt') && (n < 0 || !Number.isInteger(n))) return undefined;
      if (column.type.includes('UInt8') && n > 255) return undefined;
      if (column.type.includes('UInt16') && n > 65535) return undefined;
      if (column.type.includes('Int64') && !Number.isSafeInteger(n)) return undefined;
      return String(n);
    }
    case 'ip':
      return typeof value === 'string' && isIp(value) ? value : undefined;
    case 'time': {
      const ms = toMillis(value);
      return inRange(ms) ? tsvTime(ms, value) : undefined;
    }
  }
}

function toMillis(value: EcsValue): number {
  return Math.trunc(typeof value === 'number' ? value : Date.parse(String(value)));
}

/** Times the table can hold: 1970 up to 2100. */
function inRange(ms: number): boolean {
  return ms >= 0 && ms < 4_102_444_800_000;
}

/**
 * `YYYY-MM-DD hh:mm:ss.mmm` in UTC: ClickHouse reads a bare number as a
 * year when it is short (`1000` is the year 1000), so times are never
 * written as epoch numbers.
 */
const CANONICAL_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function tsvTime(ms: number, original: EcsValue | undefined): string {
  // Parsers write canonical UTC ISO (`2024-05-01T10:00:00.123Z`): reuse its text.
  const iso = typeof original === 'string' && CANONICAL_ISO.test(original) ? original : new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

const TSV_SPECIAL = /[\\\t\n\r]/;
const TSV_SPECIAL_ALL = /[\\\t\n\r]/g;
const TSV_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** TabSeparated escaping of a string value: backslash, tab, newline and carriage return. */
export function tsvEscape(value: string): string {
  return TSV_SPECIAL.test(value) ? value.replace(TSV_SPECIAL_ALL, (c) => TSV_ESCAPES[c]) : value;
}

/**
 * A string inside an array value. ClickHouse reads array elements with its
 * quoted-string reader directly from the TabSeparated row (no outer
 * unescaping), so the element gets the TSV escapes plus an escaped quote.
 */
function tsvQuoted(value: string): string {
  const escaped = tsvEscape(value);
  return "'" + (escaped.includes("'") ? escaped.replaceAll("'", "\\'") : escaped) + "'";
}

export function isIp(value: string): boolean {
  const m = IPV4.exec(value);
  if (m) return +m[1] < 256 && +m[2] < 256 && +m[3] < 256 && +m[4] < 256;
  return value.includes(':') && /^[0-9a-fA-F:.]+$/.test(value) && value.length <= 45;
}
