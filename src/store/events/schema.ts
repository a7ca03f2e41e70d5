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

const str = (field: string, description: string, lowCardinality = false): Column => ({
  field,
  kind: 'string',
  type: lowCardinality ? 'LowCardinality(String)' : 'String',
  description,
});
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
  type: 'Array(LowCardinality(String))',
  description,
});

// Only one array column may exist under a prefix: ClickHouse treats array
// columns sharing a dotted prefix (`event.category`, `event.type`) as one
// Nested structure and rejects rows whose arrays differ in length. So
// `event.type` lives in the attributes.
export const COLUMNS: readonly Column[] = [
  { field: '@timestamp', kind: 'time', type: "DateTime64(3, 'UTC')", description: 'When the event happened (from the log line; the receive time when the line has none).' },
  { field: 'event.ingested', kind: 'time', type: "DateTime64(3, 'UTC')", description: 'When Mamori received the data.' },
  str('tenant.id', 'The customer organisation the event belongs to.', true),
  str('event.id', 'Unique event id assigned at collection; storage is idempotent by it.'),
  str('mamori.source', 'The source (input) that received the event.', true),
  str('event.kind', 'ECS event.kind: event, alert, metric, state, pipeline_error.', true),
  arr('event.category', 'ECS event.category values (network, authentication, process, web, ...).'),
  str('event.action', 'The action captured by the event, as the source names it.', true),
  str('event.outcome', 'success, failure or unknown.', true),
  str('event.module', 'The parser (module) that produced the event.', true),
  str('event.dataset', 'The dataset within the module (for example zeek.conn).', true),
  str('event.provider', 'The source of the event inside the device (syslog program, Windows provider).', true),
  str('event.code', 'Identification code of the event (Windows EventID, vendor message id).', true),
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
  str('network.transport', 'tcp, udp, icmp, ...', true),
  str('network.protocol', 'Application protocol (http, dns, ssh, ...).', true),
  str('network.direction', 'inbound, outbound, internal, external.', true),
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
  str('http.request.method', 'HTTP request method.', true),
  num('http.response.status_code', 'UInt16', 'HTTP response status code.'),
  str('user_agent.original', 'The user agent string.'),
  str('dns.question.name', 'The queried DNS name.'),
  str('rule.id', 'Id of the device rule or signature that produced the event.'),
  str('rule.name', 'Name of the device rule or signature that produced the event.'),
  str('observer.vendor', 'Vendor of the reporting device.', true),
  str('observer.product', 'Product of the reporting device.', true),
  str('observer.hostname', 'Host name of the reporting device.'),
  str('observer.type', 'Type of the reporting device (firewall, ids, proxy, ...).', true),
];

export const COLUMN_BY_FIELD: ReadonlyMap<string, Column> = new Map(COLUMNS.map((c) => [c.field, c]));

/** Names of the parallel arrays holding every field that has no typed column. */
export const ATTR_KEYS = 'attr_keys';
export const ATTR_VALUES = 'attr_values';

/** A row as inserted with ClickHouse's JSONEachRow format. */
export type EventRow = Record<string, unknown>;

/**
 * Converts a normalised event to a table row. Typed fields go to their
 * columns (with values coerced to the column's type, invalid values moved to
 * the attributes so nothing is lost); all other fields go to the attribute
 * arrays, non-strings JSON-encoded.
 */
export function toRow(event: MamoriEvent): EventRow {
  const row: EventRow = {};
  const keys: string[] = [];
  const values: string[] = [];
  for (const field in event) {
    const value = event[field];
    if (value === undefined || value === null) continue;
    const column = COLUMN_BY_FIELD.get(field);
    const coerced = column ? coerce(column, value) : undefined;
    if (coerced !== undefined) {
      row[field] = coerced;
    } else {
      keys.push(field);
      values.push(typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  if (keys.length > 0) {
    row[ATTR_KEYS] = keys;
    row[ATTR_VALUES] = values;
  }
  return row;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function coerce(column: Column, value: EcsValue): unknown {
  switch (column.kind) {
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'array':
      if (Array.isArray(value)) return value.map(String);
      return [String(value)];
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) return undefined;
      if (column.type.includes('UInt') && (n < 0 || !Number.isInteger(n))) return undefined;
      if (column.type.includes('UInt16') && n > 65535) return undefined;
      return n;
    }
    case 'ip':
      return typeof value === 'string' && isIp(value) ? value : undefined;
    case 'time': {
      const ms = typeof value === 'number' ? value : Date.parse(String(value));
      return Number.isFinite(ms) && ms >= 0 && ms < 4_102_444_800_000 ? Math.trunc(ms) : undefined;
    }
  }
}

export function isIp(value: string): boolean {
  const m = IPV4.exec(value);
  if (m) return +m[1] < 256 && +m[2] < 256 && +m[3] < 256 && +m[4] < 256;
  return value.includes(':') && /^[0-9a-fA-F:.]+$/.test(value) && value.length <= 45;
}
