import type { RawRecord } from '../core/raw-record.js';
import type { RecordSink } from './sink.js';

/** Calls `sink.accept` so that a synchronous throw becomes a rejection, handled like any other sink failure. */
export function acceptBatch(sink: RecordSink, records: RawRecord[]): Promise<void> {
  try {
    return sink.accept(records);
  } catch (err) {
    return Promise.reject(err);
  }
}
