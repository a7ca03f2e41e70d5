import { PIPELINE_ERROR } from '../core/event.js';
import { normalise } from '../parse/normalise.js';
import { toRow } from '../store/events/schema.js';
import { decodeRecord } from './raw-codec.js';

/** Raw records as they travel to a worker: one buffer, and the length of each payload. */
export interface PackedRecords {
  bytes: Uint8Array;
  lengths: Uint32Array;
}

/** What a worker returns for a batch: rows ready for the event store, and counts. */
export interface ProcessedBatch {
  ndjson: string;
  ids: string[];
  tenants: string[];
  minTime: number;
  maxTime: number;
  /** Receive time of each record (ms), for the end-to-end latency histogram. */
  received: Float64Array;
  /** Parse errors per "format\treason-prefix". */
  errors: Record<string, number>;
  /** Events per format. */
  parsed: Record<string, number>;
}

export function pack(payloads: Buffer[]): PackedRecords {
  const lengths = new Uint32Array(payloads.length);
  let total = 0;
  for (let i = 0; i < payloads.length; i++) {
    lengths[i] = payloads[i].length;
    total += payloads[i].length;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of payloads) {
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes, lengths };
}

/**
 * parse → (enrich, detect: later stages plug in here) → row. Runs inside a
 * worker thread; pure apart from the parser registry it reads.
 */
export function processBatch(packed: PackedRecords): ProcessedBatch {
  const n = packed.lengths.length;
  const lines = new Array<string>(n);
  const ids = new Array<string>(n);
  const tenants = new Set<string>();
  const received = new Float64Array(n);
  const errors: Record<string, number> = {};
  const parsed: Record<string, number> = {};
  let minTime = Infinity;
  let maxTime = -Infinity;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const record = decodeRecord(packed.bytes.subarray(at, at + packed.lengths[i]));
    at += packed.lengths[i];
    const event = normalise(record);
    const row = toRow(event);
    const time = row['@timestamp'] as number | undefined;
    if (time === undefined) {
      // A parser produced an unusable time: keep the event at its receive time.
      row['@timestamp'] = record.received;
    }
    const t = row['@timestamp'] as number;
    if (t < minTime) minTime = t;
    if (t > maxTime) maxTime = t;
    lines[i] = JSON.stringify(row);
    ids[i] = record.id;
    tenants.add(record.tenant);
    received[i] = record.received;
    parsed[record.format] = (parsed[record.format] ?? 0) + 1;
    if (event['event.kind'] === PIPELINE_ERROR) {
      const key = `${record.format}\t${reasonOf(String(event['error.message'] ?? ''))}`;
      errors[key] = (errors[key] ?? 0) + 1;
    }
  }
  return { ndjson: lines.join('\n'), ids, tenants: [...tenants], minTime, maxTime, received, errors, parsed };
}

/** A low-cardinality reason for counters: the message up to its first detail. */
function reasonOf(message: string): string {
  const body = message.replace(/^[\w-]+: /, '');
  const cut = body.search(/["'(\d]/);
  const head = (cut > 0 ? body.slice(0, cut) : body).trim();
  return head.slice(0, 60) || 'unknown';
}
