import { appendFile } from 'node:fs/promises';
import type { RawRecord } from '../core/raw-record.js';
import type { OutboxEntry } from './outbox.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Transport } from './transport.js';
import { sleep } from './sleep.js';
import { encodeBody, toWire } from './wire.js';

/** What the sender needs of the outbox. */
export interface SenderSource {
  read(max: number, waitMs: number): Promise<OutboxEntry[]>;
  ack(offset: number): Promise<void>;
  lastOffset(): number;
}

export interface SenderOptions {
  token: string;
  agentName: string;
  batchEvents: number;
  batchWaitMs: number;
  /** Where records the server refuses one by one (HTTP 400) are kept, one JSON line each. */
  rejectedFile: string;
  log: (message: string) => void;
  /** Backoff bounds (ms); tests shorten them. */
  backoff?: { baseMs: number; maxMs: number; authMs: number };
}

export interface SendError {
  at: number;
  message: string;
}

export interface SenderStats {
  lastSuccess: number | null;
  sentEvents: number;
  sentBytes: number;
  duplicates: number;
  rejected: number;
  requests: number;
  failures: number;
  /** The failure the sender is retrying now, null when the last request succeeded. */
  currentError: SendError | null;
  lastErrors: SendError[];
  /** Receive time of the oldest record not yet delivered that the sender holds, null when idle. */
  oldestUnsent: number | null;
}

/** Requests are made of the body plus roughly this much of headers on the wire. */
const HEADER_BYTES = 512;
/** Stop filling a batch beyond this much NDJSON: keeps requests well under the server's body limit. */
const MAX_BATCH_RAW_BYTES = 8 * 1024 * 1024;
const POLL_MS = 1_000;
const KEEP_ERRORS = 10;
const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 30_000, authMs: 60_000 };
/** Longest Retry-After honoured; a larger value is taken as this. */
const MAX_RETRY_AFTER_MS = 300_000;

interface Batch {
  first: number;
  last: number;
  records: RawRecord[];
}

/**
 * Reads the outbox in order and delivers it to the SOC in gzip'd NDJSON
 * batches, at least once: a batch is acknowledged in the outbox only after
 * HTTP 200, and is retried (same body, same event ids) until then. Every
 * request whose records may have reached the server before carries
 * `X-Mamori-Retry: 1`, so the server drops the ones it already stored.
 */
export class Sender {
  readonly stats: SenderStats = {
    lastSuccess: null,
    sentEvents: 0,
    sentBytes: 0,
    duplicates: 0,
    rejected: 0,
    requests: 0,
    failures: 0,
    currentError: null,
    lastErrors: [],
    oldestUnsent: null,
  };
  /** Records up to this offset may have been sent already (by an earlier run, or a request whose answer was lost). */
  private maybeSentUpTo: number;
  private readonly stop = new AbortController();
  private readonly backoff: { baseMs: number; maxMs: number; authMs: number };
  private running: Promise<void> | undefined;

  constructor(
    private readonly source: SenderSource,
    private readonly transport: Transport,
    private readonly limiter: RateLimiter,
    private readonly options: SenderOptions,
  ) {
    this.maybeSentUpTo = source.lastOffset();
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops after the request in flight (its records stay in the outbox unless acknowledged). */
  async close(): Promise<void> {
    this.stop.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stop.signal.aborted) {
      const batch = await this.nextBatch();
      if (!batch) continue;
      this.stats.oldestUnsent = batch.records[0].received;
      const delivered = await this.deliver(batch.records, batch.first);
      if (!delivered) return;
      await this.source.ack(batch.last);
      this.stats.oldestUnsent = null;
    }
  }

  private async nextBatch(): Promise<Batch | undefined> {
    const { batchEvents, batchWaitMs } = this.options;
    const entries = await this.source.read(batchEvents, POLL_MS);
    if (entries.length === 0) return undefined;
    let rawBytes = 0;
    for (const e of entries) rawBytes += e.record.data.length;
    const deadline = Date.now() + batchWaitMs;
    while (entries.length < batchEvents && rawBytes < MAX_BATCH_RAW_BYTES && !this.stop.signal.aborted) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const more = await this.source.read(batchEvents - entries.length, left);
      for (const e of more) {
        entries.push(e);
        rawBytes += e.record.data.length;
      }
    }
    return { first: entries[0].offset, last: entries[entries.length - 1].offset, records: entries.map((e) => e.record) };
  }

  /**
   * Sends records (whose first outbox offset is `first`) until the server
   * takes them. Returns false when stopped first.
   */
  private async deliver(records: RawRecord[], first: number): Promise<boolean> {
    const last = first + records.length - 1;
    const body = await encodeBody(records);
    for (let attempt = 0; !this.stop.signal.aborted; attempt++) {
      const retry = first <= this.maybeSentUpTo || records.some((r) => r.resent);
      this.maybeSentUpTo = Math.max(this.maybeSentUpTo, last);
      await this.limiter.take(body.length + HEADER_BYTES, this.stop.signal);
      if (this.stop.signal.aborted) return false;
      this.stats.requests++;
      let wait: number;
      try {
        const res = await this.transport.post(body, this.headers(retry));
        if (res.status === 200) {
          this.succeeded(records.length, body.length, res.body);
          return true;
        }
        if (res.status === 400) return await this.refused(records, first, res.body);
        const problem = `HTTP ${res.status} from the server${res.body ? `: ${res.body.slice(0, 300)}` : ''}`;
        if (res.status === 401 || res.status === 403) {
          this.failed(`${problem} (check the token and that its source is enabled)`);
          wait = this.backoff.authMs;
        } else {
          this.failed(problem);
          wait = res.retryAfterMs === undefined ? this.backoffMs(attempt) : Math.min(res.retryAfterMs, MAX_RETRY_AFTER_MS);
        }
      } catch (err) {
        this.failed(`cannot reach the server: ${(err as Error).message}`);
        wait = this.backoffMs(attempt);
      }
      await sleep(wait, this.stop.signal);
    }
    return false;
  }

  /**
   * HTTP 400: the server refuses something in the body. Halves narrow it
   * down to the records refused alone; those are kept in the rejected file
   * and counted (never dropped silently), the rest is delivered.
   */
  private async refused(records: RawRecord[], first: number, reason: string): Promise<boolean> {
    if (records.length > 1) {
      const half = Math.ceil(records.length / 2);
      return (await this.deliver(records.slice(0, half), first)) && (await this.deliver(records.slice(half), first + half));
    }
    const record = records[0];
    this.stats.rejected++;
    this.failed(`the server refused event ${record.id}: ${reason.slice(0, 300)}; kept in ${this.options.rejectedFile}`);
    this.stats.currentError = null;
    await appendFile(this.options.rejectedFile, JSON.stringify({ at: new Date().toISOString(), reason: reason.slice(0, 1_000), record: toWire(record) }) + '\n');
    return true;
  }

  private headers(retry: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
      'x-mamori-agent': this.options.agentName,
    };
    if (retry) headers['x-mamori-retry'] = '1';
    return headers;
  }

  private succeeded(events: number, bytes: number, response: string): void {
    if (this.stats.currentError) this.options.log(`delivering again (after: ${this.stats.currentError.message})`);
    this.stats.currentError = null;
    this.stats.lastSuccess = Date.now();
    this.stats.sentEvents += events;
    this.stats.sentBytes += bytes;
    this.stats.duplicates += duplicatesIn(response);
  }

  private failed(message: string): void {
    const error = { at: Date.now(), message };
    this.stats.failures++;
    // One log line per distinct problem, not one per retry.
    if (this.stats.currentError?.message !== message) this.options.log(message);
    this.stats.currentError = error;
    this.stats.lastErrors.push(error);
    if (this.stats.lastErrors.length > KEEP_ERRORS) this.stats.lastErrors.shift();
  }

  /** Capped exponential backoff with jitter (half to full of the step), so many agents do not retry in step. */
  private backoffMs(attempt: number): number {
    const step = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** Math.min(attempt, 20));
    return step / 2 + Math.random() * (step / 2);
  }
}

function duplicatesIn(response: string): number {
  try {
    const n = (JSON.parse(response) as { duplicates?: unknown }).duplicates;
    return typeof n === 'number' && Number.isFinite(n) ? n : 0;
  } catch {
    return 0;
  }
}
