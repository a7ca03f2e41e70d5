import type { RawRecord } from '../core/raw-record.js';

/** Bus payload encoding of a raw record (JSON: compact enough, and debuggable with a hex dump). */
export function encodeRecord(record: RawRecord): Buffer {
  return Buffer.from(JSON.stringify(record), 'utf8');
}

export function decodeRecord(payload: Buffer | Uint8Array): RawRecord {
  return JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8')) as RawRecord;
}
