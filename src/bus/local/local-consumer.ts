import { MamoriError } from '../../core/errors.js';
import type { BusConsumer, BusMessage } from '../bus.js';
import { busError, closedError, type Cursor, type TopicLog } from './topic-log.js';

/** setTimeout's upper bound; longer waits would fire at once. */
const MAX_WAIT_MS = 2 ** 31 - 1;

/**
 * A consumer group on one topic of a LocalBus. Reads move a cursor that is
 * independent of acknowledgements, so several read batches may be in flight;
 * a new consumer (or one after a restart) starts after the last acked offset.
 */
export class LocalConsumer implements BusConsumer {
  private log: TopicLog | null = null;
  private readonly ready: Promise<TopicLog>;
  private readonly cursor: Cursor = { offset: 0, segment: null, pos: 0, recordBytes: 1024 };
  /** Tail of the chain of reads: each moves the cursor, so they run one after another. */
  private reading: Promise<unknown> = Promise.resolve();
  private closed = false;

  /** `log` is the topic itself when already open, so acked() and lag() answer at once. */
  constructor(
    log: TopicLog | Promise<TopicLog>,
    readonly topic: string,
    readonly group: string,
  ) {
    if (!(log instanceof Promise)) this.attach(log);
    this.ready = Promise.resolve(log).then(async (opened) => {
      await opened.groups.register(group).catch((err: unknown) => {
        throw busError(err, `registering group ${group} on bus topic ${topic}`);
      });
      if (!this.log) this.attach(opened);
      return opened;
    });
    // Failures reach the caller through read() and ack(); this only stops an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  private attach(log: TopicLog): void {
    this.log = log;
    this.cursor.offset = log.groups.acked(this.group) + 1;
  }

  read(max: number, waitMs: number): Promise<BusMessage[]> {
    if (!Number.isSafeInteger(max) || max < 1) {
      return Promise.reject(new MamoriError('MAMORI_E_INVALID', `read size must be a positive integer, got ${max}`));
    }
    if (!(waitMs >= 0)) {
      return Promise.reject(new MamoriError('MAMORI_E_INVALID', `read wait must be zero or more milliseconds, got ${waitMs}`));
    }
    if (this.closed) return Promise.reject(closedError());
    const result = this.reading.then(() => this.readNow(max, Math.min(waitMs, MAX_WAIT_MS)));
    this.reading = result.catch(() => undefined);
    return result;
  }

  private async readNow(max: number, waitMs: number): Promise<BusMessage[]> {
    const log = await this.ready;
    if (this.closed) return [];
    await log.waitForData(this.cursor.offset, waitMs);
    if (this.closed) return [];
    try {
      return await log.read(this.cursor, max);
    } catch (err) {
      throw busError(err, `read of bus topic ${this.topic} by group ${this.group}`);
    }
  }

  async ack(offset: number): Promise<void> {
    if (!Number.isSafeInteger(offset) || offset < -1) {
      throw new MamoriError('MAMORI_E_INVALID', `ack offset must be an integer of -1 or more, got ${offset}`);
    }
    const log = await this.ready;
    if (this.closed) throw closedError();
    // Acknowledging what was never read would silently drop it.
    if (offset >= this.cursor.offset) {
      throw new MamoriError('MAMORI_E_INVALID', `cannot ack offset ${offset} on ${this.topic}/${this.group}: reading has reached ${this.cursor.offset - 1}`);
    }
    try {
      await log.groups.commit(this.group, offset);
    } catch (err) {
      throw busError(err, `ack of bus topic ${this.topic} by group ${this.group}`);
    }
    await log.enforceRetention();
  }

  acked(): number {
    return this.log ? this.log.groups.acked(this.group) : -1;
  }

  lag(): number {
    return this.log ? this.log.lag(this.acked()) : 0;
  }

  /** Stops new reads at once (the bus then wakes waiting ones). */
  markClosed(): void {
    this.closed = true;
  }

  /** Waits for the read in progress, then lets go of the cursor's file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.reading;
    if (this.log) await this.log.releaseCursor(this.cursor);
  }
}
