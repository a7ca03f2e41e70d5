import { mkdir, open, readdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MamoriError } from '../../core/errors.js';
import type { BusMessage } from '../bus.js';
import { syncDir, writeFully } from './durable-fs.js';
import { GroupOffsets } from './group-offsets.js';
import { CORRUPT, INCOMPLETE, HEADER_BYTES, claimedSize, encodeBatch, frameAt } from './record.js';
import { Segment, parseSegmentFileName, segmentFileName } from './segment.js';

export interface TopicLogOptions {
  /** A new segment starts once the active one holds at least this many bytes. */
  segmentBytes: number;
  /** How long an idle log waits for more appends to share the next fsync. */
  fsyncIntervalMs: number;
  /** Fully consumed segments kept for investigation. */
  retainSegments: number;
}

/** A consumer's read position; owned by the consumer, moved only by `TopicLog.read`. */
export interface Cursor {
  /** Next offset to read. */
  offset: number;
  /** Segment holding `offset` (acquired), null until positioned. */
  segment: Segment | null;
  /** File position of `offset` in `segment`. */
  pos: number;
  /** Recent average record size, to size the next read to what `max` needs. */
  recordBytes: number;
}

export interface TopicStats {
  /** Offset the next appended message gets. */
  nextOffset: number;
  /** First offset still on disk. */
  firstOffset: number;
  bytes: number;
  segments: number;
  /** Ranges readers skipped because a record was damaged (bad CRC or length). */
  corruptions: number;
  /** Bytes of torn tail cut off when the log was opened. */
  truncatedBytes: number;
  /** Consumed segments that could not be deleted. */
  retentionErrors: number;
  /** Fsyncs of appended data; far fewer than appends when group commit works. */
  fsyncs: number;
  groups: Record<string, { acked: number; lag: number }>;
}

interface PendingAppend {
  data: Buffer | null;
  count: number;
  first: number;
  pos: number;
  resolve: (last: number) => void;
  reject: (err: Error) => void;
}

const MIN_READ_BYTES = 64 * 1024;
const MAX_READ_BYTES = 1024 * 1024;

/**
 * One topic: its folder of segment files, the group commit of appends, the
 * readers' positioning and the retention of consumed segments. Offsets below
 * `durableNext` are on disk and fsynced; readers never see anything beyond,
 * so a crash can only cut what nobody has been told about.
 */
export class TopicLog {
  private readonly segments: Segment[];
  private active: Segment;
  private writer: FileHandle;
  /** Bytes written to the active segment, durable or not yet. */
  private writePos: number;
  /** Offset the next queued batch gets. */
  private writeNext: number;
  private durableNext: number;
  private queue: PendingAppend[] = [];
  private committing: Promise<void> | null = null;
  /** Set when an fsync failed: the file's state is unknown until the log is reopened and recovered. */
  private failure: Error | null = null;
  private readonly waiters = new Set<() => void>();
  private retaining: Promise<void> = Promise.resolve();
  private closed = false;
  private corruptions = 0;
  private retentionErrors = 0;
  private fsyncs = 0;

  private constructor(
    readonly topic: string,
    readonly dir: string,
    readonly groups: GroupOffsets,
    private readonly options: TopicLogOptions,
    segments: Segment[],
    writer: FileHandle,
    next: number,
    private readonly truncatedBytes: number,
    lostRecords: boolean,
  ) {
    this.segments = segments;
    this.active = segments[segments.length - 1];
    this.writer = writer;
    this.writePos = this.active.size;
    this.writeNext = next;
    this.durableNext = next;
    if (lostRecords) this.corruptions++;
  }

  /**
   * Opens (creating when needed) the topic folder. Only the last segment is
   * scanned: older ones were fsynced before the log rolled past them. A torn
   * tail is truncated; if damage ate records some group already acknowledged,
   * the log continues after them so offsets are never handed out twice.
   */
  static async open(topic: string, dir: string, options: TopicLogOptions): Promise<TopicLog> {
    if ((await mkdir(dir, { recursive: true })) !== undefined) await syncDir(dirname(dir));
    const groups = await GroupOffsets.load(dir);
    const bases: number[] = [];
    for (const name of await readdir(dir)) {
      const base = parseSegmentFileName(name);
      if (base !== undefined) bases.push(base);
    }
    bases.sort((a, b) => a - b);
    const minNext = groups.maxAcked() + 1;
    if (bases.length === 0) {
      const writer = await createSegmentFile(dir, minNext);
      return new TopicLog(topic, dir, groups, options, [new Segment(dir, minNext, 0, writer)], writer, minNext, 0, false);
    }
    const segments: Segment[] = [];
    for (const base of bases.slice(0, -1)) {
      segments.push(new Segment(dir, base, (await stat(join(dir, segmentFileName(base)))).size));
    }
    const lastBase = bases[bases.length - 1];
    const writer = await open(join(dir, segmentFileName(lastBase)), 'r+');
    try {
      const fileSize = (await writer.stat()).size;
      const last = new Segment(dir, lastBase, fileSize, writer);
      const end = await last.walk(writer, { offset: lastBase, pos: 0 }, fileSize, Infinity, true);
      if (end.pos < fileSize) {
        await writer.truncate(end.pos);
        await writer.datasync();
        last.size = end.pos;
      }
      segments.push(last);
      if (end.offset >= minNext) {
        return new TopicLog(topic, dir, groups, options, segments, writer, end.offset, fileSize - end.pos, false);
      }
      await last.unpin();
      const fresh = await createSegmentFile(dir, minNext);
      segments.push(new Segment(dir, minNext, 0, fresh));
      return new TopicLog(topic, dir, groups, options, segments, fresh, minNext, fileSize - end.pos, true);
    } catch (err) {
      await writer.close().catch(() => undefined);
      throw err;
    }
  }

  /** Appends a batch; resolves with its last offset once durable. An empty batch waits for earlier ones. */
  append(messages: readonly Buffer[]): Promise<number> {
    if (this.closed) return Promise.reject(closedError());
    if (this.failure) return Promise.reject(this.failure);
    let data: Buffer | null;
    try {
      data = messages.length > 0 ? encodeBatch(messages) : null;
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ data, count: messages.length, first: 0, pos: 0, resolve, reject });
      this.scheduleCommit();
    });
  }

  private scheduleCommit(): void {
    if (this.committing) return;
    this.committing = new Promise<void>((done) => {
      const run = (): void => void this.drain().then(done);
      // Appends that arrive during the wait, or during a commit, share the next fsync.
      if (this.options.fsyncIntervalMs > 0) setTimeout(run, this.options.fsyncIntervalMs);
      else setImmediate(run);
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      await this.commit(batch);
    }
    this.committing = null;
  }

  /** Writes a group of batches with one vectored write and one fsync per segment they land in. */
  private async commit(batch: PendingAppend[]): Promise<void> {
    let run: PendingAppend[] = [];
    let done = 0;
    try {
      if (this.failure) throw this.failure;
      for (const pending of batch) {
        if (pending.count > 0 && this.writePos >= this.options.segmentBytes) {
          await this.flushRun(run);
          done += run.length;
          run = [];
          await this.roll();
        }
        pending.first = this.writeNext;
        pending.pos = this.writePos;
        this.writeNext += pending.count;
        this.writePos += pending.data?.length ?? 0;
        run.push(pending);
      }
      await this.flushRun(run);
    } catch (err) {
      const error = busError(err, `append to bus topic ${this.topic}`);
      for (const pending of batch.slice(done)) pending.reject(error);
    }
  }

  /** Writes and fsyncs one run of batches, then publishes them to readers and resolves them. */
  private async flushRun(run: PendingAppend[]): Promise<void> {
    const buffers: Buffer[] = [];
    for (const pending of run) if (pending.data) buffers.push(pending.data);
    if (buffers.length > 0) {
      try {
        await writeFully(this.writer, buffers, this.active.size);
      } catch (err) {
        await this.undoWrite();
        throw err;
      }
      try {
        await this.writer.datasync();
        this.fsyncs++;
      } catch (err) {
        // After a failed fsync the kernel may have dropped the dirty pages: nothing written since is trustworthy.
        this.failure = new MamoriError('MAMORI_E_BUS', `fsync of bus topic ${this.topic} failed (${(err as Error).message}); reopen the bus to recover`);
        throw this.failure;
      }
    }
    for (const pending of run) if (pending.count > 0) this.active.noteRecord(pending.first, pending.pos);
    this.active.size = this.writePos;
    this.durableNext = this.writeNext;
    for (const pending of run) pending.resolve(pending.first + pending.count - 1);
    this.wakeReaders();
  }

  /** Cuts a failed write back to the durable end so the next commit starts clean. */
  private async undoWrite(): Promise<void> {
    this.writePos = this.active.size;
    this.writeNext = this.durableNext;
    try {
      await this.writer.truncate(this.active.size);
    } catch (err) {
      this.failure = new MamoriError('MAMORI_E_BUS', `bus topic ${this.topic} could not undo a failed write (${(err as Error).message}); reopen the bus to recover`);
    }
  }

  private async roll(): Promise<void> {
    const writer = await createSegmentFile(this.dir, this.writeNext);
    const previous = this.active;
    this.active = new Segment(this.dir, this.writeNext, 0, writer);
    this.segments.push(this.active);
    this.writer = writer;
    this.writePos = 0;
    await previous.unpin();
    // Groups may already have acknowledged all of the segment just sealed.
    void this.enforceRetention();
  }

  /** Resolves once a message at `offset` or later is durable, `waitMs` passed, or the log closed. */
  waitForData(offset: number, waitMs: number): Promise<void> {
    if (offset < this.durableNext || this.closed || waitMs <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, waitMs);
      this.waiters.add(wake);
    });
  }

  private wakeReaders(): void {
    for (const wake of this.waiters) wake();
  }

  get firstOffset(): number {
    return this.segments[0].base;
  }

  /** Durable messages after `acked` that are still on disk. */
  lag(acked: number): number {
    return Math.max(0, this.durableNext - Math.max(acked + 1, this.firstOffset));
  }

  /**
   * Up to `max` durable messages from the cursor on, read in chunks sized to
   * what `max` needs. Payloads are views into the chunk, not copies. Damaged
   * records make the cursor skip to the next segment, never throw.
   */
  async read(cursor: Cursor, max: number): Promise<BusMessage[]> {
    const out: BusMessage[] = [];
    while (out.length < max && cursor.offset < this.durableNext && !this.closed) {
      const segment = cursor.segment ?? (await this.position(cursor));
      if (!segment) break;
      const next = this.segmentAfter(segment);
      const endOffset = next ? next.base : this.durableNext;
      if (cursor.offset >= endOffset || cursor.pos >= segment.size) {
        if (!next) break;
        if (cursor.offset < next.base) this.corruptions++;
        await this.moveTo(cursor, next);
        continue;
      }
      // A reference of its own: skipping damage may move the cursor, and its reference, elsewhere.
      const handle = await segment.acquire();
      try {
        await this.readChunk(handle, cursor, segment, endOffset, max, out);
      } finally {
        await segment.release();
      }
    }
    return out;
  }

  private async readChunk(handle: FileHandle, cursor: Cursor, segment: Segment, endOffset: number, max: number, out: BusMessage[]): Promise<void> {
    const available = segment.size - cursor.pos;
    let want = Math.min(available, Math.max(MIN_READ_BYTES, Math.min(MAX_READ_BYTES, (max - out.length) * cursor.recordBytes)));
    for (;;) {
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(buf, 0, want, cursor.pos);
      let p = 0;
      let parsed = 0;
      while (out.length < max && cursor.offset < endOffset && p < bytesRead) {
        const size = frameAt(buf, p, bytesRead);
        if (size === INCOMPLETE) break;
        if (size === CORRUPT) return this.skipDamage(cursor, segment);
        out.push({ offset: cursor.offset, payload: buf.subarray(p + HEADER_BYTES, p + size) });
        p += size;
        parsed++;
        cursor.offset++;
      }
      cursor.pos += p;
      if (parsed > 0) {
        cursor.recordBytes = Math.max(HEADER_BYTES, Math.ceil(p / parsed));
        return;
      }
      // Not even one record fitted: it is larger than the chunk, or its length is damaged.
      const claimed = claimedSize(buf, 0, bytesRead);
      if (claimed <= want || claimed > available) return this.skipDamage(cursor, segment);
      want = claimed;
    }
  }

  /** Moves the cursor past a damaged record: to the next segment, or to the durable end of the active one. */
  private async skipDamage(cursor: Cursor, segment: Segment): Promise<void> {
    this.corruptions++;
    const next = this.segmentAfter(segment);
    if (next) {
      await this.moveTo(cursor, next);
    } else {
      cursor.offset = this.durableNext;
      cursor.pos = segment.size;
    }
  }

  /** Places a cursor that has no segment yet, seeking through the sparse index. */
  private async position(cursor: Cursor): Promise<Segment | null> {
    cursor.offset = Math.max(cursor.offset, this.firstOffset);
    let segment = this.segments[this.segmentIndex(cursor.offset)];
    for (;;) {
      const handle = await segment.acquire();
      let pos: number;
      try {
        pos = await segment.seek(handle, cursor.offset);
      } catch (err) {
        await segment.release();
        throw err;
      }
      if (pos >= 0) {
        cursor.segment = segment;
        cursor.pos = pos;
        return segment;
      }
      await segment.release();
      const next = this.segmentAfter(segment);
      if (!next) {
        cursor.offset = this.durableNext;
        return null;
      }
      this.corruptions++;
      cursor.offset = next.base;
      segment = next;
    }
  }

  private async moveTo(cursor: Cursor, next: Segment): Promise<void> {
    const previous = cursor.segment;
    await next.acquire();
    cursor.segment = next;
    cursor.offset = next.base;
    cursor.pos = 0;
    if (previous) await previous.release();
  }

  /** Lets go of the cursor's segment. */
  async releaseCursor(cursor: Cursor): Promise<void> {
    const segment = cursor.segment;
    cursor.segment = null;
    if (segment) await segment.release();
  }

  private segmentIndex(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid].base <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The segment after `segment`, found by base so it works for a segment retention already removed. */
  private segmentAfter(segment: Segment): Segment | undefined {
    const i = this.segmentIndex(segment.base);
    return this.segments[i].base > segment.base ? this.segments[i] : this.segments[i + 1];
  }

  /**
   * Deletes segments every known group has acknowledged completely, keeping
   * the newest `retainSegments` of them and never the active one. Runs one
   * at a time and never rejects: a file that cannot be deleted is counted and
   * left behind, and the next open lists it and deletes it then.
   */
  enforceRetention(): Promise<void> {
    this.retaining = this.retaining.then(async () => {
      if (this.closed) return;
      const acked = this.groups.minAcked();
      let consumed = 0;
      while (consumed < this.segments.length - 1 && this.segments[consumed + 1].base <= acked + 1) consumed++;
      for (let i = consumed - this.options.retainSegments; i > 0; i--) {
        const segment = this.segments.shift() as Segment;
        try {
          await segment.retire();
        } catch {
          this.retentionErrors++;
        }
      }
    });
    return this.retaining;
  }

  stats(): TopicStats {
    const groups: TopicStats['groups'] = {};
    for (const [group, acked] of this.groups.entries()) groups[group] = { acked, lag: this.lag(acked) };
    let bytes = 0;
    for (const segment of this.segments) bytes += segment.size;
    return {
      nextOffset: this.durableNext,
      firstOffset: this.firstOffset,
      bytes,
      segments: this.segments.length,
      corruptions: this.corruptions,
      truncatedBytes: this.truncatedBytes,
      retentionErrors: this.retentionErrors,
      fsyncs: this.fsyncs,
      groups,
    };
  }

  /** Stops new appends and wakes waiting readers; committed and queued appends still finish. */
  beginClose(): void {
    this.closed = true;
    this.wakeReaders();
  }

  /** After `beginClose` and once readers are done: finishes appends and closes every file. */
  async finishClose(): Promise<void> {
    await this.committing;
    await this.retaining;
    await this.groups.idle();
    for (const segment of this.segments) await segment.close();
  }
}

async function createSegmentFile(dir: string, base: number): Promise<FileHandle> {
  const path = join(dir, segmentFileName(base));
  // Read and write: the active segment's handle also serves its readers.
  const handle = await open(path, 'wx+');
  try {
    await syncDir(dir);
    return handle;
  } catch (err) {
    await handle.close();
    await unlink(path).catch(() => undefined);
    throw err;
  }
}

export function closedError(): MamoriError {
  return new MamoriError('MAMORI_E_BUS', 'the bus is closed');
}

/** File-system failures leave the bus as MAMORI_E_BUS errors saying what failed; ours pass through. */
export function busError(err: unknown, what: string): MamoriError {
  if (err instanceof MamoriError) return err;
  return new MamoriError('MAMORI_E_BUS', `${what} failed: ${(err as Error).message}`, { cause: err });
}
