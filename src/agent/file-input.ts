import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { makeDecoder, type Decoder } from '../collect/decode.js';
import type { RecordSink } from '../collect/sink.js';
import type { RawRecord } from '../core/raw-record.js';
import type { FileInputConfig } from './config.js';
import { FileFollower } from './file-follower.js';
import { compilePattern, expand, type PathPattern } from './glob.js';
import { LineSplitter } from './line-splitter.js';
import type { PositionStore } from './positions.js';
import { sleep } from './sleep.js';
import { PATH_LABEL } from './wire.js';

export interface FileInputOptions {
  pollMs?: number;
  /** An unfinished last line is handed on after this long without new data. */
  partialLineMs?: number;
  /** A file no configured path names any more is closed after this long without new data. */
  orphanGraceMs?: number;
  log: (message: string) => void;
}

export interface FileInputStatus {
  name: string;
  type: 'file';
  lines: number;
  bytes: number;
  truncatedLines: number;
  /** True while reading waits for the outbox to get under its cap. */
  paused: boolean;
  files: { path: string; offset: number; size: number; rotated: boolean }[];
  lastError: { at: number; message: string } | null;
}

const READ_CHUNK = 1024 * 1024;

/**
 * The event id of the line at `offset` of a file: derived from the input,
 * the file's identity, the offset and the line itself, so reading the same
 * line again (after a crash between buffering it and saving the position)
 * gives the same id, which the server recognises.
 */
export function lineId(input: string, fileKey: string, offset: number, line: Buffer): string {
  return createHash('sha256').update(`${input}\0${fileKey}\0${offset}\0`).update(line).digest('base64url').slice(0, 24);
}

/**
 * Follows the files matching an input's paths: polls their size, reads new
 * complete lines, hands them to the outbox and only then moves the saved
 * positions. Rename rotation: the old file keeps being read to its end (it
 * is tracked by inode) while the new one is read from its beginning.
 * Copytruncate: a file that got shorter, or whose first bytes changed, is
 * read again from offset 0. While the outbox is over its cap nothing is
 * read: the data waits in the files.
 */
export class FileInput {
  private readonly patterns: PathPattern[];
  private readonly decode: Decoder;
  private readonly followers = new Map<string, FileFollower>();
  private readonly buffer = Buffer.allocUnsafe(READ_CHUNK);
  private readonly stop = new AbortController();
  private readonly reportedErrors = new Set<string>();
  private running: Promise<void> | undefined;
  private firstRun: boolean;
  private readonly pollMs: number;
  private readonly partialLineMs: number;
  private readonly orphanGraceMs: number;
  private readonly state = { lines: 0, bytes: 0, truncatedLines: 0, paused: false, lastError: null as FileInputStatus['lastError'] };
  private sizes = new Map<string, number>();

  constructor(
    private readonly config: FileInputConfig,
    private readonly sink: RecordSink,
    private readonly positions: PositionStore,
    private readonly options: FileInputOptions,
  ) {
    this.patterns = config.paths.map(compilePattern);
    this.decode = makeDecoder(config.charset);
    this.firstRun = positions.isNew(config.name);
    this.pollMs = options.pollMs ?? 250;
    this.partialLineMs = options.partialLineMs ?? 5_000;
    this.orphanGraceMs = options.orphanGraceMs ?? 5_000;
  }

  get name(): string {
    return this.config.name;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops after the read in progress, saves the positions and closes the files. Unfinished lines are read again next start. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.running;
    await this.positions.save();
    // The followers stay listed, so the final status still shows where each file was left.
    await Promise.all([...this.followers.values()].map((f) => f.close()));
  }

  status(): FileInputStatus {
    return {
      name: this.config.name,
      type: 'file',
      ...this.state,
      files: [...this.followers.values()].map((f) => ({ path: f.path, offset: f.committed, size: this.sizes.get(f.key) ?? f.readPos, rotated: f.orphanSince !== undefined })),
    };
  }

  /** One look at every file; exposed for tests, which drive rounds themselves. */
  async round(): Promise<void> {
    await this.discover();
    // Rotated-away files first: their last lines come before the first lines of the new file.
    const ordered = [...this.followers.values()].sort((a, b) => Number(b.orphanSince !== undefined) - Number(a.orphanSince !== undefined));
    for (const follower of ordered) {
      if (this.stop.signal.aborted) break;
      try {
        await this.follow(follower);
      } catch (err) {
        this.error(`${follower.path}: ${(err as Error).message}`);
      }
    }
    await this.positions.save();
  }

  private async loop(): Promise<void> {
    while (!this.stop.signal.aborted) {
      try {
        await this.round();
      } catch (err) {
        this.error((err as Error).message);
      }
      await sleep(this.pollMs, this.stop.signal);
    }
  }

  /** Matches the paths, opens files not followed yet, marks followed files no path names any more. */
  private async discover(): Promise<void> {
    const seen = new Map<string, string>();
    for (const pattern of this.patterns) {
      for (const path of await expand(pattern)) {
        try {
          const st = await stat(path, { bigint: true });
          if (st.isFile()) seen.set(`${st.dev}:${st.ino}`, path);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.error(`${path}: ${(err as Error).message}`);
        }
      }
    }
    for (const [key, path] of seen) {
      const known = this.followers.get(key);
      if (known) {
        known.path = path;
        known.orphanSince = undefined;
        continue;
      }
      try {
        const fresh = this.firstRun && this.config.start_at === 'end' ? 'end' : 'beginning';
        const saved = this.positions.get(this.config.name, key);
        const follower = await FileFollower.open(key, path, saved, fresh);
        // Positions are saved after each handed-on chunk: at most one chunk past the saved one can have been buffered already.
        if (saved && follower.committed === saved.offset) follower.resendUntil = saved.offset + READ_CHUNK;
        this.followers.set(key, follower);
        this.positions.set(this.config.name, key, follower.position());
      } catch (err) {
        this.error(`${path}: ${(err as Error).message}`);
      }
    }
    for (const follower of this.followers.values()) {
      if (!seen.has(follower.key)) follower.orphanSince ??= Date.now();
    }
    // Files that vanished while the agent was stopped leave stale positions behind.
    for (const key of Object.keys(this.positions.entries(this.config.name))) {
      if (!this.followers.has(key)) this.positions.delete(this.config.name, key);
    }
    this.positions.touch(this.config.name);
    this.firstRun = false;
  }

  private async follow(f: FileFollower): Promise<void> {
    const size = await f.size();
    this.sizes.set(f.key, size);
    if (size < f.readPos || (size !== f.lastSize && !(await f.sameHead(size)))) {
      this.options.log(`${f.path}: truncated or rewritten, reading it again from the beginning`);
      await f.restart(size);
    }
    if (size !== f.lastSize) {
      f.lastSize = size;
      f.lastGrowth = Date.now();
    }
    const records: RawRecord[] = [];
    // Lines are re-split from the committed offset each round: an unfinished line is read again rather than kept in memory across rounds.
    f.readPos = f.committed;
    let lineStart = f.committed;
    const splitter = new LineSplitter(this.config.max_line_bytes, (bytes, truncatedFrom, consumed) => {
      records.push(this.record(f, bytes, lineStart, truncatedFrom));
      lineStart += consumed;
    });
    this.state.paused = this.sink.pressure();
    while (f.readPos < size && !this.state.paused && !this.stop.signal.aborted) {
      const n = await f.read(this.buffer, Math.min(READ_CHUNK, size - f.readPos));
      if (n === 0) break;
      f.readPos += n;
      this.state.bytes += n;
      splitter.push(this.buffer.subarray(0, n));
      await this.hand(f, records, f.readPos - splitter.pendingBytes);
      this.state.paused = this.sink.pressure();
    }
    if (size > f.committed && f.readPos === size) {
      const quiet = Date.now() - f.lastGrowth;
      if (quiet >= this.partialLineMs || (f.orphanSince !== undefined && quiet >= this.orphanGraceMs)) {
        // A writer that never ends its last line, or a rotated file that is finished.
        splitter.flush();
        await this.hand(f, records, size);
      }
    }
    if (f.orphanSince !== undefined && f.committed >= size && Date.now() - Math.max(f.orphanSince, f.lastGrowth) >= this.orphanGraceMs) {
      await f.close();
      this.followers.delete(f.key);
      this.sizes.delete(f.key);
      this.positions.delete(this.config.name, f.key);
    }
  }

  /**
   * Hands the records on and, once they are durable, moves the file's
   * position to `committed` and saves it, so a crash re-reads at most the
   * chunk handed on last (see `resendUntil`).
   */
  private async hand(f: FileFollower, records: RawRecord[], committed: number): Promise<void> {
    if (records.length > 0) {
      await this.sink.accept(records.splice(0));
    }
    f.committed = committed;
    this.positions.set(this.config.name, f.key, f.position());
    await this.positions.save();
  }

  private record(f: FileFollower, bytes: Buffer, offset: number, truncatedFrom: number | undefined): RawRecord {
    this.state.lines++;
    if (truncatedFrom !== undefined) this.state.truncatedLines++;
    const received = Date.now();
    const record: RawRecord = {
      id: lineId(this.config.name, f.key, offset, bytes),
      tenant: '',
      source: this.config.name,
      format: this.config.format,
      received,
      data: this.decode(bytes),
      labels: { [PATH_LABEL]: f.path },
    };
    // Lines just past a saved position may already be in the outbox from before a crash: the server checks their ids.
    if (offset < f.resendUntil) record.resent = true;
    if (this.config.timezone) record.timezone = this.config.timezone;
    if (truncatedFrom !== undefined) record.truncatedFrom = truncatedFrom;
    return record;
  }

  private error(message: string): void {
    this.state.lastError = { at: Date.now(), message };
    // Once per distinct problem: a missing permission would otherwise be logged four times a second.
    if (!this.reportedErrors.has(message)) {
      this.reportedErrors.add(message);
      this.options.log(message);
    }
  }
}
