import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { FilePosition } from './positions.js';

/** Bytes at the start of a file whose hash identifies its content (inode reuse, copytruncate then rewrite). */
export const HEAD_BYTES = 256;

/**
 * One open file being followed, identified by device and inode (`key`), so
 * a rename (rotation) keeps following the same data. `readPos` is how far
 * the file was read; `committed` how far its complete lines are durable in
 * the outbox (what a restart resumes from).
 */
export class FileFollower {
  committed: number;
  readPos: number;
  /** Size seen at the last look, to notice growth, truncation and a rewritten head. */
  lastSize = -1;
  /** When data last arrived (or the file was opened): an unfinished line is handed on after a quiet period. */
  lastGrowth = Date.now();
  /** Since when no configured path names this file any more (rotated away or deleted). */
  orphanSince: number | undefined;
  /** Lines starting below this offset may have been buffered before a crash; they are sent flagged as resent. */
  resendUntil = 0;

  private constructor(
    readonly key: string,
    public path: string,
    private readonly handle: FileHandle,
    offset: number,
    private head: string,
    private headBytes: number,
  ) {
    this.committed = offset;
    this.readPos = offset;
  }

  /**
   * Opens a file and decides where to start: at the saved position when the
   * file still starts with the bytes it had (same content, not a reused
   * inode) and is not shorter; otherwise at `fresh` (0, or the end for
   * `start_at: end`).
   */
  static async open(key: string, path: string, saved: FilePosition | undefined, fresh: 'beginning' | 'end'): Promise<FileFollower> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (saved && saved.offset <= size && (await hashHead(handle, saved.headBytes)) === saved.head) {
        return new FileFollower(key, path, handle, saved.offset, saved.head, saved.headBytes);
      }
      const headBytes = Math.min(size, HEAD_BYTES);
      const start = fresh === 'end' ? size : 0;
      return new FileFollower(key, path, handle, start, await hashHead(handle, headBytes), headBytes);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  /**
   * False when the file's first bytes are no longer those read before: it
   * was truncated and written again (copytruncate) between two looks. While
   * the file is shorter than HEAD_BYTES, the identifying head grows with it.
   */
  async sameHead(size: number): Promise<boolean> {
    const want = Math.min(size, HEAD_BYTES);
    if (want < this.headBytes) return false;
    const bytes = await readHead(this.handle, want);
    if (sha256(bytes.subarray(0, this.headBytes)) !== this.head) return false;
    if (want > this.headBytes) {
      this.head = sha256(bytes);
      this.headBytes = want;
    }
    return true;
  }

  /** Starts over at offset 0 (the file was truncated or replaced in place). */
  async restart(size: number): Promise<void> {
    this.committed = 0;
    this.resendUntil = 0;
    this.readPos = 0;
    this.headBytes = Math.min(size, HEAD_BYTES);
    this.head = await hashHead(this.handle, this.headBytes);
  }

  read(buffer: Buffer, length: number): Promise<number> {
    return this.handle.read(buffer, 0, length, this.readPos).then((r) => r.bytesRead);
  }

  position(): FilePosition {
    return { path: this.path, offset: this.committed, head: this.head, headBytes: this.headBytes };
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

async function readHead(handle: FileHandle, bytes: number): Promise<Buffer> {
  const buffer = Buffer.alloc(bytes);
  let at = 0;
  while (at < bytes) {
    const { bytesRead } = await handle.read(buffer, at, bytes - at, at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return buffer.subarray(0, at);
}

async function hashHead(handle: FileHandle, bytes: number): Promise<string> {
  const head = await readHead(handle, bytes);
  // A file shorter than the recorded head is not the same file.
  return head.length === bytes ? sha256(head) : '';
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
