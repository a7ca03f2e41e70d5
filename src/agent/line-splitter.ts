const LF = 0x0a;
const CR = 0x0d;

/**
 * One complete line: its bytes (without LF or a final CR), its original size
 * when it was cut, and how many bytes of the stream it took (LF included),
 * so the caller can tell where each line starts.
 */
export type LineHandler = (bytes: Buffer, truncatedFrom: number | undefined, consumed: number) => void;

/**
 * Splits a byte stream on LF. A line longer than `maxLineBytes` keeps its
 * first `maxLineBytes` bytes and reports its full size; the rest is skipped
 * without being buffered, so a file without newlines cannot exhaust memory.
 * `pendingBytes` is how much of the stream belongs to the unfinished last
 * line: the caller's position is its read offset minus that.
 */
export class LineSplitter {
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private total = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: LineHandler,
  ) {}

  /** Bytes of an unfinished line waiting for its LF. */
  get pendingBytes(): number {
    return this.total;
  }

  /** Feeds a chunk; `chunk` may be reused by the caller once this returns (lines are handed on synchronously). */
  push(chunk: Buffer): void {
    let start = 0;
    for (let lf = chunk.indexOf(LF, start); lf !== -1; lf = chunk.indexOf(LF, start)) {
      if (this.total === 0 && lf - start <= this.maxLineBytes) {
        // The common case: the whole line is inside this chunk, handed on without a copy.
        this.deliver(chunk.subarray(start, lf), lf - start, false, lf - start + 1);
      } else {
        this.keep(chunk, start, lf);
        this.emit(1);
      }
      start = lf + 1;
    }
    if (start < chunk.length) this.keep(chunk, start, chunk.length);
  }

  /** Hands on the unfinished line as a complete one (end of a rotated file, or a writer that never ends its line). */
  flush(): void {
    if (this.total > 0) this.emit(0);
  }

  /** Forgets the unfinished line (the file was truncated or replaced). */
  reset(): void {
    this.kept = [];
    this.keptBytes = 0;
    this.total = 0;
  }

  private keep(chunk: Buffer, from: number, to: number): void {
    this.total += to - from;
    const room = this.maxLineBytes - this.keptBytes;
    if (room <= 0) return;
    const end = Math.min(to, from + room);
    // Copied: the caller reuses its read buffer.
    this.kept.push(Buffer.from(chunk.subarray(from, end)));
    this.keptBytes += end - from;
  }

  /** Hands on the kept line; `terminator` is the LF it ended with (1) or none (0). */
  private emit(terminator: number): void {
    const line = this.kept.length === 1 ? this.kept[0] : Buffer.concat(this.kept, this.keptBytes);
    const size = this.total;
    this.reset();
    this.deliver(line, size, size > this.maxLineBytes, size + terminator);
  }

  private deliver(line: Buffer, size: number, cut: boolean, consumed: number): void {
    if (!cut && line.length > 0 && line[line.length - 1] === CR) {
      line = line.subarray(0, line.length - 1);
      size--;
    }
    if (size > 0) this.onLine(line, cut ? size : undefined, consumed);
  }
}
