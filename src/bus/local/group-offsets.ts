import { readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { MamoriError } from '../../core/errors.js';
import { writeFileAtomic } from './durable-fs.js';

const OFFSET_SUFFIX = '.offset';
const TEMP_SUFFIX = '.offset.tmp';
const OFFSET_TEXT = /^-?\d{1,16}\n?$/;

/** No offset file yet: the group was registered in this process and not yet persisted. */
const UNWRITTEN = -2;

interface GroupState {
  persisted: number;
  target: number;
  /** Tail of the chain of writes of this group's file; writes never overlap. */
  writing: Promise<void>;
}

/**
 * The acknowledged offset of every consumer group of one topic, one file
 * `<group>.offset` each, replaced atomically. Acks that arrive while a write
 * is in flight are coalesced into the next write.
 */
export class GroupOffsets {
  private readonly groups = new Map<string, GroupState>();

  private constructor(private readonly dir: string) {}

  /** Loads every group's offset; leftovers of interrupted writes are removed. */
  static async load(dir: string): Promise<GroupOffsets> {
    const offsets = new GroupOffsets(dir);
    for (const name of await readdir(dir)) {
      if (name.endsWith(TEMP_SUFFIX)) {
        await unlink(join(dir, name));
      } else if (name.endsWith(OFFSET_SUFFIX)) {
        const value = await readOffsetFile(join(dir, name));
        offsets.groups.set(name.slice(0, -OFFSET_SUFFIX.length), { persisted: value, target: value, writing: Promise.resolve() });
      }
    }
    return offsets;
  }

  /** The last durably acknowledged offset of `group`, -1 when none. */
  acked(group: string): number {
    return Math.max(-1, this.groups.get(group)?.persisted ?? -1);
  }

  /** Every known group with its acknowledged offset. */
  entries(): Array<[group: string, acked: number]> {
    return [...this.groups.keys()].map((group) => [group, this.acked(group)]);
  }

  /** The offset every known group has acknowledged; -1 when there is no group. */
  minAcked(): number {
    if (this.groups.size === 0) return -1;
    let min = Infinity;
    for (const group of this.groups.keys()) min = Math.min(min, this.acked(group));
    return min;
  }

  /** The highest acknowledged offset, -1 when none: the log never reuses offsets at or below it. */
  maxAcked(): number {
    let max = -1;
    for (const group of this.groups.keys()) max = Math.max(max, this.acked(group));
    return max;
  }

  /** Makes `group` known durably, so retention waits for it even before its first ack and after a restart. */
  register(group: string): Promise<void> {
    if (!this.groups.has(group)) {
      this.groups.set(group, { persisted: UNWRITTEN, target: -1, writing: Promise.resolve() });
    }
    return this.commit(group, -1);
  }

  /** Durably records that `group` is done with everything up to `offset`; never moves backwards. */
  commit(group: string, offset: number): Promise<void> {
    const state = this.groups.get(group);
    if (!state) return this.register(group).then(() => this.commit(group, offset));
    state.target = Math.max(state.target, offset);
    // Chained, not shared: a caller must never get a write that started before its offset was set.
    state.writing = state.writing.catch(() => undefined).then(() => this.flush(group, state));
    return state.writing;
  }

  /** Resolves when no write is in flight. */
  async idle(): Promise<void> {
    await Promise.all([...this.groups.values()].map((state) => state.writing.catch(() => undefined)));
  }

  private async flush(group: string, state: GroupState): Promise<void> {
    while (state.persisted < state.target) {
      const value = state.target;
      await writeFileAtomic(join(this.dir, group + OFFSET_SUFFIX), `${value}\n`);
      state.persisted = value;
    }
  }
}

async function readOffsetFile(path: string): Promise<number> {
  const text = await readFile(path, 'latin1');
  const value = OFFSET_TEXT.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < -1) {
    // Offset files are replaced atomically, so this is disk damage or a manual edit.
    throw new MamoriError('MAMORI_E_BUS', `consumer offset file ${path} is corrupt; write the group's last processed offset into it (-1 to reprocess everything) or delete it to drop the group`, { path });
  }
  return value;
}
