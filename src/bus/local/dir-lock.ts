import { open, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MamoriError } from '../../core/errors.js';
import { syncDir, writeFileAtomic } from './durable-fs.js';

/** A leading dot keeps it apart from topic folders, whose names cannot start with one. */
const LOCK_FILE = '.bus.lock';

/** Directories locked by this process: our own pid in a lock file says nothing about who holds it. */
const heldHere = new Set<string>();

/**
 * Claims a bus directory for this process: two writers on one log would
 * interleave records. The lock file holds the owner's pid; a lock whose
 * process is gone (a crash, `kill -9`) is taken over. Advisory, for one
 * host: processes in other PID namespaces sharing the folder are not seen.
 * Returns the release function.
 */
export async function lockDir(folder: string): Promise<() => Promise<void>> {
  const dir = resolve(folder);
  if (heldHere.has(dir)) throw inUse(dir, process.pid);
  heldHere.add(dir);
  const path = join(dir, LOCK_FILE);
  try {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(`${process.pid}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await syncDir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(await readFile(path, 'latin1'), 10);
      if (owner !== process.pid && isAlive(owner)) throw inUse(dir, owner);
      await writeFileAtomic(path, `${process.pid}\n`);
    }
  } catch (err) {
    heldHere.delete(dir);
    throw err;
  }
  return async () => {
    await unlink(path);
    heldHere.delete(dir);
  };
}

/** Whether a process with this pid exists (one owned by another user counts). */
export function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(dir: string, pid: number): MamoriError {
  return new MamoriError('MAMORI_E_BUS', `bus directory ${dir} is in use by process ${pid}; one process owns a data directory`, { dir, pid });
}
