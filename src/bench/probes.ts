import type { BenchApi } from './api.js';
import { PROBE_APP } from './traffic.js';

/** Latest probes looked up in one query (bounded by the API's search limit). */
const MAX_PER_QUERY = 5_000;
/**
 * Slack on the time range. A probe's @timestamp is its send time on this
 * machine's clock, so a little slack suffices; a wide range would make every
 * poll scan a minute of traffic and load the server being measured.
 */
const RANGE_SLACK_MS = 2_000;
const PROBE_QUERY = `event.provider:"${PROBE_APP}" AND process.pid>=`;

/**
 * Tracks latency probes from send to searchable. Probes carry increasing
 * sequence numbers, so one range query over typed columns finds every
 * outstanding one, instead of a substring scan over the raw lines that
 * would itself load the server being measured.
 */
export class ProbeTracker {
  private nextSeq = 1;
  private readonly pending = new Map<number, number>();
  private readonly latencies: number[] = [];

  /** Registers a probe about to be written; returns its sequence number. */
  send(at: number): number {
    const seq = this.nextSeq++;
    this.pending.set(seq, at);
    return seq;
  }

  get sent(): number {
    return this.nextSeq - 1;
  }

  get outstanding(): number {
    return this.pending.size;
  }

  /** Latencies (ms) of the probes seen so far. */
  get seen(): readonly number[] {
    return this.latencies;
  }

  /** Marks probes found by a search that answered at `at`; unknown or repeated sequence numbers are ignored. */
  markSeen(seqs: Iterable<number>, at: number): void {
    for (const seq of seqs) {
      const sentAt = this.pending.get(seq);
      if (sentAt === undefined) continue;
      this.pending.delete(seq);
      this.latencies.push(at - sentAt);
    }
  }

  /** Searches the server once for outstanding probes. */
  async poll(api: BenchApi): Promise<void> {
    if (this.pending.size === 0) return;
    // Maps iterate in insertion order, which is sequence order: the first entry is the oldest.
    const [lowest, oldest] = this.pending.entries().next().value as [number, number];
    const limit = Math.min(MAX_PER_QUERY, this.nextSeq - lowest);
    const events = await api.search(PROBE_QUERY + lowest, { from: oldest - RANGE_SLACK_MS, to: Date.now() + RANGE_SLACK_MS }, limit);
    this.markSeen(probeSeqs(events), Date.now());
  }
}

/** Sequence numbers of the probe events in a search answer (PROCID is stored as `process.pid`). */
export function probeSeqs(events: readonly Record<string, unknown>[]): number[] {
  const seqs: number[] = [];
  for (const event of events) {
    const pid = Number(event['process.pid']);
    if (Number.isSafeInteger(pid) && pid > 0) seqs.push(pid);
  }
  return seqs;
}
