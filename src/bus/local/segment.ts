import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { CORRUPT, HEADER_BYTES, INCOMPLETE, claimedSize, frameAt } from './record.js';

const NAME_DIGITS = 20;
const SEGMENT_SUFFIX = '.seg';
const SEGMENT_NAME = /^\d{20}\.seg$/;

/** One sparse index entry per this many bytes: a seek reads at most this much plus one record. */
const INDEX_INTERVAL_BYTES = 64 * 1024;

/** Read size of the header walks (recovery and seeks). */
const WALK_CHUNK_BYTES = 1024 * 1024;

export function segmentFileName(base: number): string {
  return String(base).padStart(NAME_DIGITS, '0') + SEGMENT_SUFFIX;
}

/** The first offset a segment file holds, from its name; undefined for other files. */
export function parseSegmentFileName(name: string): number | undefined {
  if (!SEGMENT_NAME.test(name)) return undefined;
  const base = Number(name.slice(0, NAME_DIGITS));
  return Number.isSafeInteger(base) ? base : undefined;
}

/** Where a walk over a segment's records stopped. */
export interface WalkResult {
  /** Offset of the first record not walked over. */
  offset: number;
  /** File position of that record. */
  pos: number;
  /** The walk stopped at a record that cannot be valid, not at the end or the target. */
  corrupt: boolean;
}

/**
 * One segment file: the records from offset `base` on, its readable size,
 * a sparse offset → position index and a reference-counted file handle
 * shared by every reader (and by the writer while it is the active one).
 */
export class Segment {
  readonly path: string;
  /** Bytes readers may see: all of a sealed segment, the durable prefix of the active one. */
  size: number;
  private readonly indexOffsets: number[];
  private readonly indexPositions: number[];
  private handle: FileHandle | null;
  private opening: Promise<FileHandle> | null = null;
  private refs = 0;
  private pinned: boolean;

  constructor(dir: string, readonly base: number, size: number, writer: FileHandle | null = null) {
    this.path = join(dir, segmentFileName(base));
    this.size = size;
    this.indexOffsets = [base];
    this.indexPositions = [0];
    this.handle = writer;
    this.pinned = writer !== null;
  }

  /** Records that `offset` starts at `pos`, if far enough past the last entry to be worth it. */
  noteRecord(offset: number, pos: number): void {
    const last = this.indexPositions.length - 1;
    if (pos - this.indexPositions[last] >= INDEX_INTERVAL_BYTES && offset > this.indexOffsets[last]) {
      this.indexOffsets.push(offset);
      this.indexPositions.push(pos);
    }
  }

  /** A handle for reading; pair with `release()`. */
  async acquire(): Promise<FileHandle> {
    this.refs++;
    try {
      if (this.handle) return this.handle;
      this.opening ??= open(this.path, 'r');
      this.handle = await this.opening;
      return this.handle;
    } catch (err) {
      this.refs--;
      throw err;
    } finally {
      this.opening = null;
    }
  }

  async release(): Promise<void> {
    this.refs--;
    await this.closeIfUnused();
  }

  /** The writer moved on to a newer segment: its handle may close once no reader holds it. */
  async unpin(): Promise<void> {
    this.pinned = false;
    await this.closeIfUnused();
  }

  /** Deletes the file; readers still holding it keep reading until they release it. */
  async retire(): Promise<void> {
    try {
      await unlink(this.path);
    } finally {
      await this.closeIfUnused();
    }
  }

  /** Closes the handle regardless of readers; used when the whole bus closes. */
  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    this.pinned = false;
    if (handle) await handle.close();
  }

  private async closeIfUnused(): Promise<void> {
    if (this.refs > 0 || this.pinned || !this.handle) return;
    const handle = this.handle;
    this.handle = null;
    await handle.close();
  }

  /**
   * Position of the record at `offset`, starting from the nearest index
   * entry and walking headers (not payloads, not CRCs: the reader checks
   * those). -1 when the segment ends, or holds an impossible record, before it.
   */
  async seek(handle: FileHandle, offset: number): Promise<number> {
    let lo = 0;
    let hi = this.indexOffsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.indexOffsets[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const from = { offset: this.indexOffsets[lo], pos: this.indexPositions[lo] };
    const stop = await this.walk(handle, from, this.size, offset, false);
    return stop.offset === offset && !stop.corrupt && stop.pos < this.size ? stop.pos : -1;
  }

  /**
   * Walks records from `from` until `untilOffset` or `end`, indexing as it
   * goes. With `verify`, CRCs are checked (recovery of the active segment);
   * without, only lengths, and payloads are skipped unread.
   */
  async walk(handle: FileHandle, from: { offset: number; pos: number }, end: number, untilOffset: number, verify: boolean): Promise<WalkResult> {
    let { offset, pos } = from;
    let buf = Buffer.allocUnsafe(Math.min(WALK_CHUNK_BYTES, Math.max(0, end - pos)));
    while (offset < untilOffset && pos < end) {
      const want = Math.min(end - pos, buf.length);
      const { bytesRead } = await handle.read(buf, 0, want, pos);
      if (bytesRead === 0) break;
      // A file shorter than expected ends where the read ended.
      const limit = bytesRead < want ? pos + bytesRead : end;
      let p = 0;
      let grow = 0;
      while (offset < untilOffset && pos + p < limit) {
        const size = verify ? frameAt(buf, p, bytesRead) : claimedSize(buf, p, bytesRead);
        if (size === CORRUPT) return { offset, pos: pos + p, corrupt: true };
        if (size === INCOMPLETE) {
          const claimed = claimedSize(buf, p, bytesRead);
          if (claimed === CORRUPT) return { offset, pos: pos + p, corrupt: true };
          const need = claimed === INCOMPLETE ? HEADER_BYTES : claimed;
          // Cut short by the end of the segment: a torn tail or a damaged length.
          if (pos + p + need > limit) return { offset, pos: pos + p, corrupt: true };
          if (p === 0) grow = need;
          break;
        }
        if (pos + p + size > limit) return { offset, pos: pos + p, corrupt: true };
        this.noteRecord(offset, pos + p);
        p += size;
        offset++;
      }
      // Only a record larger than the buffer stops a chunk at its start: read it whole.
      if (grow > 0) buf = Buffer.allocUnsafe(grow);
      pos += p;
    }
    return { offset, pos, corrupt: false };
  }
}
