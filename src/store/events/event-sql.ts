import type { TenantScope } from '../../core/scope.js';
import { sqlDateTime64, sqlIdentifier, sqlNumber, sqlString } from '../sql-literal.js';
import { compileQuery, fieldExpression } from '../query/index.js';
import { ATTR_KEYS, ATTR_VALUES, COLUMNS } from './schema.js';
import type { EventQuery, SearchOptions } from './event-store.js';

/**
 * The ClickHouse SQL of the event store, shared by the in-process (chDB)
 * and the server implementation: both run exactly these statements.
 */
export const EVENTS_TABLE = 'events';

export function createTableSql(): string {
  const columns = COLUMNS.map((c) => `${sqlIdentifier(c.field)} ${c.type}`);
  columns.push(`${ATTR_KEYS} Array(String)`, `${ATTR_VALUES} Array(String)`);
  // ReplacingMergeTree on (tenant, time, id): a re-inserted event (replay after
  // a crash) collapses into one row at merge time; inserts also skip ids
  // already stored, so searches need no FINAL. Daily partitions per tenant
  // let retention drop whole partitions.
  return `CREATE TABLE IF NOT EXISTS ${EVENTS_TABLE} (\n  ${columns.join(',\n  ')}\n)
ENGINE = ReplacingMergeTree
PARTITION BY (\`tenant.id\`, toYYYYMMDD(\`@timestamp\`))
ORDER BY (\`tenant.id\`, \`@timestamp\`, \`event.id\`)
SETTINGS ${PART_SETTINGS}`;
}

/**
 * Fresh parts stay compact (one data file instead of two per column) until
 * merges make them large: a quarter less insert CPU on this table
 * (docs/adr/0003-insert-path.md).
 */
const PART_SETTINGS = 'min_bytes_for_wide_part = 268435456';

/** Applies the part settings to a table created before they existed (idempotent). */
export const PART_SETTINGS_SQL = `ALTER TABLE ${EVENTS_TABLE} MODIFY SETTING ${PART_SETTINGS}`;

/** The WHERE clause of every read: tenant scope, time range, query. */
export function whereSql(scope: TenantScope, query: EventQuery): string {
  const parts: string[] = [];
  if (!scope.all) {
    if (scope.tenants.length === 0) return '0';
    parts.push(`\`tenant.id\` IN (${scope.tenants.map(sqlString).join(', ')})`);
  }
  parts.push(`\`@timestamp\` >= ${sqlDateTime64(query.from)}`, `\`@timestamp\` < ${sqlDateTime64(query.to)}`);
  const q = compileQuery(query.q);
  if (q !== '1') parts.push(`(${q})`);
  return parts.join(' AND ');
}

export function searchSql(scope: TenantScope, options: SearchOptions): string {
  const order = options.order === 'asc' ? 'ASC' : 'DESC';
  return `SELECT * FROM ${EVENTS_TABLE} WHERE ${whereSql(scope, options)} ORDER BY \`@timestamp\` ${order}, \`event.id\` ${order} LIMIT ${sqlNumber(Math.trunc(options.limit))}`;
}

export function countSql(scope: TenantScope, query: EventQuery): string {
  return `SELECT count() AS count FROM ${EVENTS_TABLE} WHERE ${whereSql(scope, query)}`;
}

export function histogramSql(scope: TenantScope, query: EventQuery, intervalSeconds: number): string {
  const bucket = `toStartOfInterval(\`@timestamp\`, INTERVAL ${sqlNumber(Math.trunc(intervalSeconds))} SECOND)`;
  return `SELECT toUnixTimestamp(${bucket}) AS t, count() AS count FROM ${EVENTS_TABLE} WHERE ${whereSql(scope, query)} GROUP BY t ORDER BY t`;
}

export function topSql(scope: TenantScope, query: EventQuery, field: string, limit: number): string {
  const { sql, kind } = fieldExpression(field);
  // Top values are compared as text; array fields count each element.
  const expr = kind === 'array' ? `arrayJoin(${sql})` : kind === 'number' || kind === 'time' ? `toString(${sql})` : sql;
  return `SELECT ${expr} AS value, count() AS count FROM ${EVENTS_TABLE} WHERE ${whereSql(scope, query)} AND value != '' GROUP BY value ORDER BY count DESC, value ASC LIMIT ${sqlNumber(Math.trunc(limit))}`;
}

/** Ids among `ids` already stored (bounded by tenant and time so the lookup reads few parts). */
export function existingIdsSql(tenants: string[], ids: string[], minTime: number, maxTime: number): string {
  return `SELECT \`event.id\` AS id FROM ${EVENTS_TABLE} WHERE \`tenant.id\` IN (${tenants.map(sqlString).join(', ')}) AND \`@timestamp\` >= ${sqlDateTime64(minTime)} AND \`@timestamp\` <= ${sqlDateTime64(maxTime)} AND \`event.id\` IN (${ids.map(sqlString).join(', ')})`;
}

/**
 * Adds the columns a newer release introduced to a table created by an older
 * one, each after its predecessor, so the table keeps the column order that
 * positional TabSeparated inserts rely on.
 */
export function addMissingColumnsSql(existing: ReadonlySet<string>): string[] {
  const statements: string[] = [];
  const all = [...COLUMNS.map((c) => ({ name: c.field, type: c.type })), { name: ATTR_KEYS, type: 'Array(String)' }, { name: ATTR_VALUES, type: 'Array(String)' }];
  all.forEach((column, i) => {
    if (existing.has(column.name)) return;
    const position = i === 0 ? 'FIRST' : `AFTER ${sqlIdentifier(all[i - 1].name)}`;
    statements.push(`ALTER TABLE ${EVENTS_TABLE} ADD COLUMN IF NOT EXISTS ${sqlIdentifier(column.name)} ${column.type} ${position}`);
  });
  return statements;
}

export const COLUMN_NAMES_SQL = `SELECT name FROM system.columns WHERE database = currentDatabase() AND table = '${EVENTS_TABLE}'`;

/**
 * Turns a row read back from the table into a flat event: attributes merged
 * back, empty columns dropped, IPv4-mapped addresses shown as IPv4 and
 * timestamps as ISO 8601.
 */
export function rowToEvent(row: Record<string, unknown>): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const c of COLUMNS) {
    const v = row[c.field];
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (c.kind === 'time') event[c.field] = toIso(String(v));
    else if (c.kind === 'ip') event[c.field] = displayIp(String(v));
    else event[c.field] = v;
  }
  const keys = row[ATTR_KEYS] as string[] | undefined;
  const values = row[ATTR_VALUES] as string[] | undefined;
  if (keys && values) {
    // A typed column wins over an attribute of the same name: the attribute is
    // then the original value that did not fit (an unparseable @timestamp).
    for (let i = 0; i < keys.length; i++) if (!(keys[i] in event)) event[keys[i]] = decodeAttr(values[i]);
  }
  return event;
}

function decodeAttr(value: string): unknown {
  // Non-string attributes were stored JSON-encoded; strings as they were.
  const c = value.charCodeAt(0);
  if (c === 0x5b /* [ */ || c === 0x7b /* { */ || value === 'true' || value === 'false' || /^-?\d+(\.\d+)?$/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

export function displayIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/** "2024-05-01 10:00:00.123" (UTC) → "2024-05-01T10:00:00.123Z". */
function toIso(text: string): string {
  if (text.endsWith('Z')) return text;
  return text.replace(' ', 'T') + 'Z';
}
