import { PIPELINE_ERROR, type MamoriEvent } from '../core/event.js';
import type { RawRecord } from '../core/raw-record.js';
import { completeEvent } from './complete.js';
import type { Parser } from './parser.js';
import { getParser } from './registry.js';
import { isoFromMs } from './time.js';

/** Parse outcomes per format since the last `takeParseCounts()`. */
export interface ParseCounts {
  parsed: number;
  errors: number;
}

let counts = new Map<string, ParseCounts>();

function countFor(format: string): ParseCounts {
  let c = counts.get(format);
  if (!c) {
    c = { parsed: 0, errors: 0 };
    counts.set(format, c);
  }
  return c;
}

/**
 * Returns the counts per format since the previous call and starts new
 * ones; the pipeline adds them to its Prometheus counters.
 */
export function takeParseCounts(): Record<string, ParseCounts> {
  const taken = Object.fromEntries(counts);
  counts = new Map();
  return taken;
}

/** Resolved parsers, and the reason a format could not be resolved. */
const parsers = new Map<string, Parser | Error>();

function parserFor(format: string): Parser | Error {
  let parser = parsers.get(format);
  if (parser === undefined) {
    try {
      parser = getParser(format);
    } catch (err) {
      parser = err instanceof Error ? err : new Error(String(err));
    }
    parsers.set(format, parser);
  }
  return parser;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The single entry point the pipeline calls per record: parses the data
 * with the record's parser and adds the fields the pipeline owns. Never
 * throws: a line that cannot be parsed becomes a `pipeline_error` event
 * carrying the raw line and the reason.
 */
export function normalise(record: RawRecord): MamoriEvent {
  // A collector bug must not turn into an exception for the whole batch.
  const receivedMs = Number.isFinite(record.received) ? record.received : Date.now();
  const received = isoFromMs(receivedMs);
  const parser = parserFor(record.format);
  let event: MamoriEvent | undefined;
  let error: string | undefined;
  if (parser instanceof Error) {
    error = `${record.format}: ${parser.message}`;
  } else {
    try {
      event = completeEvent(parser.parse(record.data, { received: receivedMs, timezone: record.timezone }), receivedMs);
    } catch (err) {
      error = `${record.format}: ${reason(err)}`;
    }
  }
  const count = countFor(record.format);
  if (event === undefined) {
    count.errors++;
    event = { '@timestamp': received, 'event.kind': PIPELINE_ERROR, 'event.module': record.format };
  } else {
    count.parsed++;
  }
  if (record.truncatedFrom !== undefined) {
    const truncated = `message truncated from ${record.truncatedFrom} bytes`;
    error = error === undefined ? truncated : `${error}; ${truncated}`;
  }
  if (error !== undefined) event['error.message'] = error;
  event['event.id'] = record.id;
  event['tenant.id'] = record.tenant;
  event['mamori.source'] = record.source;
  event['event.original'] = record.data;
  event['event.ingested'] = received;
  if (record.labels) {
    for (const key in record.labels) event['labels.' + key] = record.labels[key];
  }
  if (record.truncatedFrom !== undefined) event['labels.truncated'] = 'true';
  // Bytes invalid in the source's charset were decoded as U+FFFD: say so, so such lines can be found.
  if (record.data.includes('\uFFFD')) event['mamori.decode_errors'] = true;
  return event;
}

export function normaliseBatch(records: readonly RawRecord[]): MamoriEvent[] {
  return records.map(normalise);
}
