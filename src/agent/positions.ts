import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../bus/local/durable-fs.js';
import { MamoriError } from '../core/errors.js';

/** Where one followed file was read up to. Keyed by `dev:ino`, so a renamed file keeps its position. */
export interface FilePosition {
  /** The file's last known name (for status and the `path` of its records). */
  path: string;
  /** Bytes up to the end of the last line handed to the outbox. */
  offset: number;
  /** SHA-256 (hex) of the first `headBytes` bytes: tells a reused inode or rewritten file from the one read. */
  head: string;
  headBytes: number;
}

interface PositionsFile {
  version: 1;
  inputs: Record<string, Record<string, FilePosition>>;
}

/**
 * The file positions of every file input, in one JSON file in the data
 * directory, replaced atomically. Inputs update entries only after the
 * records read up to them are durable in the outbox, so a crash makes the
 * agent re-read at most the last chunk, never skip one.
 */
export class PositionStore {
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly data: PositionsFile,
  ) {}

  static async open(dataDir: string): Promise<PositionStore> {
    const file = path.join(dataDir, 'positions.json');
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text === undefined) return new PositionStore(file, { version: 1, inputs: {} });
    let data: PositionsFile;
    try {
      data = JSON.parse(text) as PositionsFile;
    } catch (err) {
      throw new MamoriError('MAMORI_E_CONFIG', `${file} is damaged (${(err as Error).message}); move it away to re-read the files from their beginning`);
    }
    if (data?.version !== 1 || typeof data.inputs !== 'object' || data.inputs === null) {
      throw new MamoriError('MAMORI_E_CONFIG', `${file} is not a positions file of this agent version; move it away to re-read the files from their beginning`);
    }
    return new PositionStore(file, data);
  }

  /** True when this input never ran before (its `start_at` applies). */
  isNew(input: string): boolean {
    return this.data.inputs[input] === undefined;
  }

  get(input: string, key: string): FilePosition | undefined {
    return this.data.inputs[input]?.[key];
  }

  /** Every file position of an input, by `dev:ino`. */
  entries(input: string): Record<string, FilePosition> {
    return { ...this.data.inputs[input] };
  }

  set(input: string, key: string, position: FilePosition): void {
    (this.data.inputs[input] ??= {})[key] = position;
    this.dirty = true;
  }

  /** Registers an input (so later starts know it ran) even when it found no file yet. */
  touch(input: string): void {
    if (this.data.inputs[input]) return;
    this.data.inputs[input] = {};
    this.dirty = true;
  }

  delete(input: string, key: string): void {
    if (this.data.inputs[input]?.[key] === undefined) return;
    delete this.data.inputs[input][key];
    this.dirty = true;
  }

  /** Writes the positions when something changed; calls are serialised and coalesced. */
  save(): Promise<void> {
    // A failed save is reported to its caller only; the next one tries again.
    this.saving = this.saving.catch(() => undefined).then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await writeFileAtomic(this.file, JSON.stringify(this.data));
      } catch (err) {
        this.dirty = true;
        throw err;
      }
    });
    return this.saving;
  }
}
