import type { Bus } from '../bus/bus.js';
import type { RecordSink } from '../collect/sink.js';
import type { RawRecord } from '../core/raw-record.js';
import { counter } from '../core/telemetry.js';
import { encodeRecords } from './raw-codec.js';

export const RAW_TOPIC = 'raw';

const accepted = counter('mamori_pipeline_accepted_total', 'Records made durable on the bus, by tenant.', ['tenant']);

/**
 * The sink every collector writes to: records are durable on the bus when
 * `accept` resolves. Pressure comes from the processing lag, so a slow store
 * slows the senders instead of filling memory.
 */
export class BusSink implements RecordSink {
  constructor(
    private readonly bus: Bus,
    private readonly lag: () => number,
    private readonly maxLag: number,
  ) {}

  async accept(records: RawRecord[]): Promise<void> {
    if (records.length === 0) return;
    const perTenant = new Map<string, number>();
    for (const r of records) perTenant.set(r.tenant, (perTenant.get(r.tenant) ?? 0) + 1);
    await this.bus.append(RAW_TOPIC, encodeRecords(records));
    for (const [tenant, n] of perTenant) accepted.inc({ tenant }, n);
  }

  pressure(): boolean {
    return this.lag() > this.maxLag;
  }
}
