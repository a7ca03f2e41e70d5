import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { RawRecord } from '../core/raw-record.js';

/** The label carrying a file record's path through the outbox (RawRecord has no field for it). */
export const PATH_LABEL = 'path';

/**
 * One record of the agent wire protocol (POST /api/v1/ingest/agent, one
 * JSON object per NDJSON line). `input` is the agent input name, which the
 * outbox keeps in RawRecord.source.
 */
export interface WireRecord {
  id: string;
  received: number;
  format: string;
  data: string;
  input: string;
  timezone?: string;
  peer?: string;
  path?: string;
  truncatedFrom?: number;
}

export function toWire(record: RawRecord): WireRecord {
  const wire: WireRecord = { id: record.id, received: record.received, format: record.format, data: record.data, input: record.source };
  if (record.timezone) wire.timezone = record.timezone;
  if (record.peer) wire.peer = record.peer;
  const path = record.labels?.[PATH_LABEL];
  if (path) wire.path = path;
  if (record.truncatedFrom) wire.truncatedFrom = record.truncatedFrom;
  return wire;
}

const gzipAsync = promisify(gzip);

/** The gzip-compressed NDJSON body of one request. */
export async function encodeBody(records: readonly RawRecord[]): Promise<Buffer> {
  let text = '';
  for (const r of records) text += JSON.stringify(toWire(r)) + '\n';
  const raw = Buffer.from(text, 'utf8');
  // Off the event loop (zlib's thread pool) so syslog inputs keep reading meanwhile; level 6 compresses logs 5-10x.
  return gzipAsync(raw);
}
