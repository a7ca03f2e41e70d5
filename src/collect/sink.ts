import type { RawRecord } from '../core/raw-record.js';

/**
 * Where collectors hand what they received. `accept` resolves once the
 * records are durable on the bus: only then may a collector acknowledge them
 * to the sender. `pressure` tells a collector to slow down (TCP stops reading,
 * HTTP answers 503 with Retry-After, UDP counts drops).
 */
export interface RecordSink {
  accept(records: RawRecord[]): Promise<void>;
  /** True while the pipeline is behind and collectors should hold back. */
  pressure(): boolean;
}
