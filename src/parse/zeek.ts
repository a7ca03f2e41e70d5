import type { MamoriEvent } from '../core/event.js';
import { DROPPED_FIELDS, flattenInto, MAX_FIELDS, type FlattenState } from './flatten.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { readJsonObject } from './json-line.js';
import { mapRecord } from './record-mapping.js';
import { isoFromMs } from './time.js';
import { COMMON_FIELDS, LOGS, OTHER_LOG } from './zeek-logs.js';
import { looksLikeTsvRow, readTsvRow } from './zeek-tsv.js';

const MAX_PATH = 64;

/** Log names as Zeek writes them (`conn`, `dns`, `notice_alarm`, `conn_red`): they become field names. */
function isLogName(path: string): boolean {
  if (path.length === 0 || path.length > MAX_PATH) return false;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return false;
  }
  return true;
}

/**
 * Members that tell a log apart when a JSON record has no `_path` (Zeek's
 * JSON writer leaves it out unless `LogAscii::json_include_path`-style
 * options or a shipper add it). First match wins.
 */
const SIGNATURES: ReadonlyArray<readonly [string, string]> = [
  ['conn_state', 'conn'],
  ['qtype_name', 'dns'],
  ['trans_id', 'dns'],
  ['status_code', 'http'],
  ['method', 'http'],
  ['ssl_history', 'ssl'],
  ['cipher', 'ssl'],
  ['certificate.serial', 'x509'],
  ['note', 'notice'],
  ['seen_bytes', 'files'],
  ['fuid', 'files'],
  ['mailfrom', 'smtp'],
  ['helo', 'smtp'],
  ['auth_attempts', 'ssh'],
  ['msg_types', 'dhcp'],
  ['history', 'conn'],
];

function pathOf(record: MamoriEvent): string {
  const path = record._path;
  if (typeof path === 'string') {
    if (!isLogName(path)) throw new ParseError(`invalid Zeek _path "${path.slice(0, 40)}"`);
    return path;
  }
  for (const [key, log] of SIGNATURES) if (record[key] !== undefined) return log;
  if (typeof record.name === 'string' && typeof record.notice === 'boolean') return 'weird';
  if (record.ts === undefined) throw new ParseError('not a Zeek record: no _path and no ts');
  return 'unknown';
}

/**
 * Zeek's own JSON is flat (`id.orig_h`, arrays of scalars): such a record
 * is used as decoded. Nested objects, or more members than the flattening
 * bound allows, go through flattenInto.
 */
function isFlat(doc: Record<string, unknown>): boolean {
  let n = 0;
  for (const key in doc) {
    const value = doc[key];
    if (++n > MAX_FIELDS || (typeof value === 'object' && value !== null && !isFlatArray(value))) return false;
  }
  return true;
}

function isFlatArray(value: object): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item === 'object' && item !== null) return false;
  return true;
}

function readJson(line: string): MamoriEvent {
  const doc = readJsonObject(line);
  if (isFlat(doc as Record<string, unknown>)) return doc as MamoriEvent;
  // Zeek writes `id.orig_h` flat; shippers that nest it (`{"id":{"orig_h":..}}`) flatten to the same names.
  const record: MamoriEvent = {};
  const state: FlattenState = { fields: 0, dropped: 0 };
  flattenInto(record, doc as Record<string, unknown>, '', state);
  if (state.dropped > 0) record[DROPPED_FIELDS] = state.dropped;
  return record;
}

function firstNonBlank(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) return c;
  }
  return -1;
}

function metaEvent(line: string, ctx: ParseContext): MamoriEvent {
  return {
    '@timestamp': isoFromMs(ctx.received),
    'event.kind': 'event',
    'event.module': 'zeek',
    'event.dataset': 'zeek.meta',
    'event.category': ['network'],
    'event.type': ['info'],
    'observer.vendor': 'Zeek',
    'observer.product': 'Zeek',
    'observer.type': 'ids',
    message: line,
  };
}

/** Maps one Zeek record of log `path` to an event. */
export function zeekEvent(path: string, record: MamoriEvent, ctx: ParseContext): MamoriEvent {
  const spec = LOGS.get(path) ?? OTHER_LOG;
  const event: MamoriEvent = {
    '@timestamp': undefined,
    'event.kind': spec.kind,
    'event.module': 'zeek',
    'event.dataset': `zeek.${path}`,
    'event.category': [...spec.category],
    'event.type': [...spec.type],
    'observer.vendor': 'Zeek',
    'observer.product': 'Zeek',
    'observer.type': 'ids',
  };
  const dropped = record[DROPPED_FIELDS];
  if (dropped !== undefined) {
    event[DROPPED_FIELDS] = dropped;
    delete record[DROPPED_FIELDS];
  }
  mapRecord(event, record, [COMMON_FIELDS, spec.fields], `zeek.${path}.`, ctx);
  spec.finish?.(event, record);
  if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
  return event;
}

export const zeek: Parser = {
  name: 'zeek',
  description: 'Zeek logs: JSON (one record per line) or the default TSV writer, header lines included',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const first = firstNonBlank(line);
    if (first === 123) {
      const record = readJson(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
      return zeekEvent(pathOf(record), record, ctx);
    }
    if (first === 35 && line.charCodeAt(0) === 35) return metaEvent(line, ctx);
    const row = readTsvRow(line);
    return zeekEvent(row.path, row.record, ctx);
  },
  sniff(line: string): boolean {
    const c = line.charCodeAt(0);
    if (c === 123) return line.indexOf('"_path":') > 0 || (line.indexOf('"id.orig_h":') > 0 && line.indexOf('"uid":"C') > 0);
    if (c === 35) return line.startsWith('#separator') || line.startsWith('#fields\t') || line.startsWith('#path\t');
    return looksLikeTsvRow(line);
  },
};
