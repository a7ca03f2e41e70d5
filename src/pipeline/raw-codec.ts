import type { RawRecord } from '../core/raw-record.js';

/**
 * Bus payload encoding of raw records. Version 2 is binary: a version byte,
 * the receive time (float64), the original size of a cut message (uint32,
 * 0 = not cut), a flags byte (bit 0: resent), then length-prefixed UTF-8
 * fields. Version 1 had no flags byte. Unlike JSON, the raw line
 * is neither escaped on the way in nor unescaped on the way out, and a whole
 * batch is written into one buffer. Payloads starting with `{` are the JSON
 * records of earlier releases, still read so an existing bus drains after
 * an upgrade.
 */
const VERSION = 2;
const HEADER = 1 + 8 + 4 + 1;
const V1_HEADER = 1 + 8 + 4;
const RESENT = 1;
/** id, tenant, source, format, data, peer, timezone, labels (JSON or empty). */
const FIELDS = 8;

/** Encodes a batch into one buffer; returns a view per record. */
export function encodeRecords(records: readonly RawRecord[]): Buffer[] {
  let bound = 0;
  for (const r of records) bound += HEADER + 4 * FIELDS + 3 * (r.id.length + r.tenant.length + r.source.length + r.format.length + r.data.length + (r.peer?.length ?? 0) + (r.timezone?.length ?? 0)) + (r.labels ? 3 * JSON.stringify(r.labels).length : 0);
  const buf = Buffer.allocUnsafe(bound);
  const views = new Array<Buffer>(records.length);
  let at = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const start = at;
    buf[at] = VERSION;
    buf.writeDoubleLE(r.received, at + 1);
    buf.writeUInt32LE(r.truncatedFrom ?? 0, at + 9);
    buf[at + 13] = r.resent ? RESENT : 0;
    at += HEADER;
    at = writeField(buf, at, r.id);
    at = writeField(buf, at, r.tenant);
    at = writeField(buf, at, r.source);
    at = writeField(buf, at, r.format);
    at = writeField(buf, at, r.data);
    at = writeField(buf, at, r.peer ?? '');
    at = writeField(buf, at, r.timezone ?? '');
    at = writeField(buf, at, r.labels ? JSON.stringify(r.labels) : '');
    views[i] = buf.subarray(start, at);
  }
  return views;
}

function writeField(buf: Buffer, at: number, value: string): number {
  const n = buf.write(value, at + 4, 'utf8');
  buf.writeUInt32LE(n, at);
  return at + 4 + n;
}

export function decodeRecord(payload: Uint8Array): RawRecord {
  const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (buf[0] === 0x7b /* { */) return JSON.parse(buf.toString('utf8')) as RawRecord;
  const version = buf[0];
  if (version !== VERSION && version !== 1) throw new Error(`unknown bus record version ${version}`);
  const fields = new Array<string>(FIELDS);
  let at = version === 1 ? V1_HEADER : HEADER;
  for (let f = 0; f < FIELDS; f++) {
    const n = buf.readUInt32LE(at);
    fields[f] = buf.toString('utf8', at + 4, at + 4 + n);
    at += 4 + n;
  }
  const record: RawRecord = {
    id: fields[0],
    tenant: fields[1],
    source: fields[2],
    format: fields[3],
    received: buf.readDoubleLE(1),
    data: fields[4],
  };
  if (fields[5]) record.peer = fields[5];
  if (fields[6]) record.timezone = fields[6];
  if (fields[7]) record.labels = JSON.parse(fields[7]) as Record<string, string>;
  const truncatedFrom = buf.readUInt32LE(9);
  if (truncatedFrom) record.truncatedFrom = truncatedFrom;
  if (version !== 1 && (buf[13] & RESENT) !== 0) record.resent = true;
  return record;
}
