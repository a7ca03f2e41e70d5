import { PIPELINE_ERROR } from '../core/event.js';
import { normalise } from '../parse/normalise.js';
import { toTsvRow } from '../store/events/schema.js';
import { decodeRecord } from './raw-codec.js';

/** Raw records as they travel to a worker: one buffer, and the length of each payload. */
export interface PackedRecords {
  bytes: Uint8Array;
  lengths: Uint32Array;
}

/** What a worker returns for a batch: rows ready for the event store, and counts. */
export interface ProcessedBatch {
  /** TabSeparated rows for the event store, line i for ids[i]; transferred, not copied, back to the main thread. */
  rows: Uint8Array;
  ids: string[];
  tenants: string[];
  minTime: number;
  maxTime: number;
  /** Receive time of each record (ms), for the end-to-end latency histogram. */
  received: Float64Array;
  /** Parse errors per "format\treason-prefix". */
  errors: Record<string, number>;
  /** Parse errors per "source\tformat" (no reason: sources are many, reasons vary). */
  sourceErrors: Record<string, number>;
  /** Events per format. */
  parsed: Record<string, number>;
  /** Some record was resent by its sender: its id must be checked against the store. */
  resent: boolean;
}

const utf8 = new TextEncoder();

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
  const sourceErrors: Record<string, number> = {};
  const parsed: Record<string, number> = {};
  let resent = false;
  let minTime = Infinity;
  let maxTime = -Infinity;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const record = decodeRecord(packed.bytes.subarray(at, at + packed.lengths[i]));
    at += packed.lengths[i];
    const event = normalise(record);
    // An event without a usable time is kept at its receive time.
    const { line, time } = toTsvRow(event, record.received);
    if (time < minTime) minTime = time;
    if (time > maxTime) maxTime = time;
    lines[i] = line;
    ids[i] = record.id;
    tenants.add(record.tenant);
    received[i] = record.received;
    if (record.resent) resent = true;
    parsed[record.format] = (parsed[record.format] ?? 0) + 1;
    if (event['event.kind'] === PIPELINE_ERROR) {
      const key = `${record.format}\t${reasonOf(String(event['error.message'] ?? ''))}`;
      errors[key] = (errors[key] ?? 0) + 1;
      const bySource = `${record.source}\t${record.format}`;
      sourceErrors[bySource] = (sourceErrors[bySource] ?? 0) + 1;
    }
  }
  // TextEncoder returns bytes that own their whole ArrayBuffer, so they can be transferred.
  const rows = utf8.encode(lines.join('\n') + '\n');
  return { rows, ids, tenants: [...tenants], minTime, maxTime, received, errors, sourceErrors, parsed, resent };
}

/** A low-cardinality reason for counters: the message up to its first detail. */
function reasonOf(message: string): string {
  const body = message.replace(/^[\w-]+: /, '');
  const cut = body.search(/["'(\d]/);
  const head = (cut > 0 ? body.slice(0, cut) : body).trim();
  return head.slice(0, 60) || 'unknown';
}
