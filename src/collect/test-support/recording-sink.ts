import type { RawRecord } from '../../core/raw-record.js';
import { registry } from '../../core/telemetry.js';
import type { RecordSink } from '../sink.js';

/**
 * A sink for collector tests: keeps every accepted record, and can be made
 * slow (`delayMs`), blocked (`hold()` until `release()`), failing
 * (`failNext`) or under pressure (`underPressure`).
 */
export class RecordingSink implements RecordSink {
  readonly records: RawRecord[] = [];
  batches = 0;
  delayMs = 0;
  underPressure = false;
  failNext = 0;
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  async accept(records: RawRecord[]): Promise<void> {
    this.batches++;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('sink failure for the test');
    }
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.gate) await this.gate;
    for (const record of records) this.records.push(record);
  }

  pressure(): boolean {
    return this.underPressure;
  }

  /** Accepts block from now until `release()`. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  /** Resolves once `count` records were accepted; rejects after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.records.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} records, got ${this.records.length} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/** Current value of a counter or gauge for the given labels (0 when never set). */
export async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
  return match?.value ?? 0;
}

/** Polls `probe` until it returns true; rejects after `timeoutMs`. */
export async function eventually(probe: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
