import { mkdirSync, readFileSync, writeFileSync, openSync, fsyncSync, closeSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { BusConsumer, BusMessage } from '../bus/bus.js';
import { counter, gauge, histogram } from '../core/telemetry.js';
import { isRejectedData, type EventStore, type RowBatch } from '../store/events/event-store.js';
import { linesOf, rejectedRow, splitBatch } from '../store/events/row-batch.js';
import type { BatchRunner } from './batch-runner.js';
import { pack, type ProcessedBatch } from './process-batch.js';

export interface ProcessorOptions {
  batchEvents: number;
  batchWaitMs: number;
  storeBatchEvents: number;
  storeFlushMs: number;
  /** Batches being parsed at once (keeps every worker busy without unbounded memory). */
  maxInFlight: number;
  /** Folder for the processor's own durable marker (insert high-water mark). */
  stateDir: string;
}

const stored = counter('mamori_store_events_total', 'Events written to the event store.');
const duplicatesSkipped = counter('mamori_store_duplicates_total', 'Replayed events already stored, skipped.');
const parseErrors = counter('mamori_parse_errors_total', 'Lines stored as pipeline_error, by format and reason.', ['format', 'reason']);
const sourceParseErrors = counter('mamori_parse_errors_by_source_total', 'Lines stored as pipeline_error, by source and format.', ['source', 'format']);
const parsedEvents = counter('mamori_parse_events_total', 'Lines parsed, by format.', ['format']);
const storeFailures = counter('mamori_store_insert_failures_total', 'Inserts that failed because the store was unavailable (retried).');
const rejectedRows = counter('mamori_store_rejected_total', 'Events the store refused, stored instead as pipeline_error events.');
const lostRows = counter('mamori_store_lost_total', 'Events the store refused even as pipeline_error events (should stay 0).');
const latency = histogram(
  'mamori_pipeline_latency_seconds',
  'From receipt to stored and searchable.',
  [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
);
const lagGauge = gauge('mamori_pipeline_lag_events', 'Events received but not yet stored.');

/** Parsed batches taken together into one insert, and the last bus offset they cover. */
interface StoreJob {
  batches: ProcessedBatch[];
  events: number;
  lastOffset: number;
}

interface InFlight {
  messages: BusMessage[];
  result: Promise<ProcessedBatch>;
}

/**
 * Moves raw records from the bus through the parse workers into the event
 * store. Bus offsets are acknowledged only after the insert that holds them
 * returned, so a crash replays at most what was not yet stored; events of a
 * replayed range are checked against the store by id and never stored twice.
 */
export class Processor {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight: InFlight[] = [];
  private pending: ProcessedBatch[] = [];
  private pendingEvents = 0;
  private pendingLastOffset = -1;
  private pendingSince = 0;
  private readonly markerFile: string;
  /** Offsets up to this one may already be in the store (a crash happened mid-insert). */
  private recoveryUpTo: number;
  /** The insert in progress, if any. */
  private inserting: Promise<void> | undefined;

  constructor(
    private readonly consumer: BusConsumer,
    private readonly runner: BatchRunner,
    private readonly events: EventStore,
    private readonly options: ProcessorOptions,
  ) {
    mkdirSync(options.stateDir, { recursive: true });
    this.markerFile = path.join(options.stateDir, 'insert-high-water');
    this.recoveryUpTo = readMarker(this.markerFile);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops reading, stores what is in flight, acknowledges it. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  lag(): number {
    return this.consumer.lag();
  }

  private async run(): Promise<void> {
    const { batchEvents, batchWaitMs, maxInFlight, storeBatchEvents, storeFlushMs } = this.options;
    while (this.running) {
      // Back-pressure inside the processor: parse no further ahead than two
      // store batches, and keep at most maxInFlight batches in the workers.
      if (this.pendingEvents >= 2 * storeBatchEvents) {
        await (this.inserting ?? this.collectOldest());
      } else if (this.inFlight.length >= maxInFlight) {
        await this.collectOldest();
      } else {
        const messages = await this.consumer.read(batchEvents, this.inFlight.length > 0 ? 0 : batchWaitMs);
        if (messages.length > 0) {
          this.inFlight.push({ messages, result: this.runner.run(pack(messages.map((m) => m.payload))) });
        } else if (this.inFlight.length > 0) {
          await this.collectOldest();
        }
      }
      // One insert at a time, overlapping with parsing: acknowledgements stay in offset order.
      const due = this.pendingEvents >= storeBatchEvents || Date.now() - this.pendingSince >= storeFlushMs || (this.inFlight.length === 0 && this.consumer.lag() === 0);
      if (this.pendingEvents > 0 && due && !this.inserting) {
        this.inserting = this.insertAndAck(this.takePending()).finally(() => {
          this.inserting = undefined;
        });
      }
      lagGauge.set(this.consumer.lag());
    }
    while (this.inFlight.length > 0) await this.collectOldest();
    await this.inserting;
    if (this.pendingEvents > 0) await this.insertAndAck(this.takePending());
  }

  /** Waits for the oldest batch in the workers; re-runs it if its worker died. */
  private async collectOldest(): Promise<void> {
    const head = this.inFlight[0];
    let result: ProcessedBatch;
    try {
      result = await head.result;
    } catch {
      head.result = this.runner.run(pack(head.messages.map((m) => m.payload)));
      return;
    }
    this.inFlight.shift();
    if (this.pendingEvents === 0) this.pendingSince = Date.now();
    this.pending.push(result);
    this.pendingEvents += result.ids.length;
    this.pendingLastOffset = head.messages[head.messages.length - 1].offset;
  }

  private takePending(): StoreJob {
    const job = { batches: this.pending, events: this.pendingEvents, lastOffset: this.pendingLastOffset };
    this.pending = [];
    this.pendingEvents = 0;
    return job;
  }

  /** Inserts a job, then acknowledges its offsets. */
  private async insertAndAck(job: StoreJob): Promise<void> {
    const batch = mergeBatches(job.batches);
    // After a crash the first jobs may repeat inserts; a resent record may repeat an earlier delivery.
    const checkDuplicates = job.lastOffset - job.events + 1 <= this.recoveryUpTo || job.batches.some((b) => b.resent);
    writeMarker(this.markerFile, job.lastOffset);
    await this.insertAll(batch, checkDuplicates, false);
    await this.consumer.ack(job.lastOffset);
    const now = Date.now();
    for (const b of job.batches) {
      for (const t of b.received) latency.observe((now - t) / 1000);
      for (const key in b.errors) {
        const [format, reason] = key.split('\t');
        parseErrors.inc({ format, reason }, b.errors[key]);
      }
      for (const key in b.sourceErrors) {
        const [source, format] = key.split('\t');
        sourceParseErrors.inc({ source, format }, b.sourceErrors[key]);
      }
      for (const format in b.parsed) parsedEvents.inc({ format }, b.parsed[format]);
    }
  }

  /**
   * Inserts a batch, retrying with backoff while the store is unavailable.
   * When the store refuses the rows themselves, retrying cannot help: the
   * batch is halved until the refused row is alone, and that row is stored
   * as a pipeline_error event instead, so one bad row never stalls the
   * pipeline nor takes its neighbours with it.
   */
  private async insertAll(batch: RowBatch, checkDuplicates: boolean, isReplacement: boolean): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { inserted, duplicates } = await this.events.insert(batch, { checkDuplicates });
        stored.inc(inserted);
        if (duplicates > 0) duplicatesSkipped.inc(duplicates);
        return;
      } catch (err) {
        if (isRejectedData(err)) {
          if (batch.ids.length > 1) {
            for (const half of splitBatch(batch)) await this.insertAll(half, checkDuplicates, isReplacement);
          } else if (!isReplacement) {
            rejectedRows.inc();
            await this.insertAll(rejectedRow(linesOf(batch.rows)[0], (err as Error).message.replace(/^event store: /, ''), Date.now()), checkDuplicates, true);
          } else {
            lostRows.inc();
            console.error(`mamori: event ${batch.ids[0]} could not be stored even as a pipeline error: ${(err as Error).message}`);
          }
          return;
        }
        storeFailures.inc();
        if (attempt === 0) console.error(`mamori: event store insert failed, retrying: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }
}

export function mergeBatches(batches: ProcessedBatch[]): RowBatch {
  if (batches.length === 1) {
    const b = batches[0];
    return { rows: b.rows, ids: b.ids, tenants: b.tenants, minTime: b.minTime, maxTime: b.maxTime };
  }
  const tenants = new Set<string>();
  let minTime = Infinity;
  let maxTime = -Infinity;
  const ids: string[] = [];
  for (const b of batches) {
    for (const t of b.tenants) tenants.add(t);
    if (b.minTime < minTime) minTime = b.minTime;
    if (b.maxTime > maxTime) maxTime = b.maxTime;
    for (const id of b.ids) ids.push(id);
  }
  return { rows: Buffer.concat(batches.map((b) => b.rows)), ids, tenants: [...tenants], minTime, maxTime };
}

function readMarker(file: string): number {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) ? n : -1;
  } catch {
    return -1;
  }
}

/** Durable before the insert starts: after a crash, this range is checked for duplicates. */
function writeMarker(file: string, offset: number): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, String(offset));
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, file);
}
