import type { BusConsumer, BusMessage } from '../bus/bus.js';
import { LocalBus } from '../bus/local/local-bus.js';
import type { RecordSink } from '../collect/sink.js';
import type { RawRecord } from '../core/raw-record.js';
import { decodeRecord, encodeRecords } from '../pipeline/raw-codec.js';

const TOPIC = 'outbox';
const GROUP = 'sender';

export interface OutboxDepth {
  /** Records appended and not yet acknowledged by the server. */
  events: number;
  /** Outbox files on disk (unsent records plus at most one segment already sent). */
  bytes: number;
}

export interface OutboxEntry {
  offset: number;
  record: RawRecord;
}

/**
 * The agent's disk buffer: the durable local bus with one topic and one
 * consumer group (the sender). Records are stored with their event id, so a
 * resend after a failure or a restart carries the same ids. Fully sent
 * segments are deleted at once; the size cap is measured on the files, so it
 * may be exceeded by the records in flight plus one segment (an eighth of
 * the cap).
 */
export class Outbox implements RecordSink {
  private bytes = 0;

  private constructor(
    private readonly bus: LocalBus,
    private readonly consumer: BusConsumer,
    readonly maxBytes: number,
  ) {
    this.refresh();
  }

  static async open(dir: string, maxBytes: number): Promise<Outbox> {
    const segmentBytes = Math.min(64 * 1024 * 1024, Math.max(16 * 1024, Math.floor(maxBytes / 8)));
    const bus = await LocalBus.open(dir, { segmentBytes, retainSegments: 0 });
    try {
      // An empty append opens (or creates) the topic, so the consumer attaches to it at once and depth() answers.
      await bus.append(TOPIC, []);
      return new Outbox(bus, bus.consumer(TOPIC, GROUP), maxBytes);
    } catch (err) {
      await bus.close().catch(() => undefined);
      throw err;
    }
  }

  /** Resolves once the records are durable in the outbox. */
  async accept(records: RawRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.bus.append(TOPIC, encodeRecords(records));
    this.refresh();
  }

  /** True while the outbox holds more than its cap: inputs hold back. */
  pressure(): boolean {
    return this.bytes > this.maxBytes;
  }

  /** Up to `max` records after those handed out before; waits up to `waitMs` for the first. */
  async read(max: number, waitMs: number): Promise<OutboxEntry[]> {
    const messages: BusMessage[] = await this.consumer.read(max, waitMs);
    return messages.map((m) => ({ offset: m.offset, record: decodeRecord(m.payload) }));
  }

  /** Everything up to `offset` reached the server; durable when resolved. */
  async ack(offset: number): Promise<void> {
    await this.consumer.ack(offset);
    this.refresh();
  }

  /** The last offset appended before now, -1 when empty: everything up to it may have been sent by an earlier run. */
  lastOffset(): number {
    return (this.bus.stats()[TOPIC]?.nextOffset ?? 0) - 1;
  }

  depth(): OutboxDepth {
    return { events: this.consumer.lag(), bytes: this.bytes };
  }

  close(): Promise<void> {
    return this.bus.close();
  }

  private refresh(): void {
    this.bytes = this.bus.stats()[TOPIC]?.bytes ?? 0;
  }
}
