/**
 * The bus between collection and processing. Appending a batch resolves only
 * when the batch is durable (it survives `kill -9` of the process), so a
 * collector may acknowledge data to its sender as soon as `append` resolves.
 * Offsets are per topic, start at 0 and grow by one per message.
 */
export interface Bus {
  /** Appends messages in order; resolves with the offset of the last one once durable. */
  append(topic: string, messages: Buffer[]): Promise<number>;
  /** A named consumer group on a topic, resuming after its last acknowledged offset. */
  consumer(topic: string, group: string): BusConsumer;
  close(): Promise<void>;
}

export interface BusMessage {
  offset: number;
  payload: Buffer;
}

export interface BusConsumer {
  /** Up to `max` messages after the last one read; waits up to `waitMs` for at least one. */
  read(max: number, waitMs: number): Promise<BusMessage[]>;
  /** Everything up to and including `offset` is done; durable when resolved. */
  ack(offset: number): Promise<void>;
  /** The last acknowledged offset, -1 when none. */
  acked(): number;
  /** Messages appended but not yet acknowledged by this group. */
  lag(): number;
}
