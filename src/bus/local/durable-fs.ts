import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Makes a directory's entries (files created, renamed or removed in it) durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes all of `buffers` at `position`; a vectored write may be partial, so it resumes until done. */
export async function writeFully(handle: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  let pending = buffers;
  let pos = position;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending, pos);
    // Regular files report failures as errors; zero progress would otherwise spin forever.
    if (bytesWritten === 0) throw new Error('write made no progress');
    pos += bytesWritten;
    pending = dropBytes(pending, bytesWritten);
  }
}

function dropBytes(buffers: Buffer[], count: number): Buffer[] {
  let left = count;
  let i = 0;
  while (i < buffers.length && left >= buffers[i].length) left -= buffers[i++].length;
  const rest = buffers.slice(i);
  if (left > 0) rest[0] = rest[0].subarray(left);
  return rest;
}

/**
 * Replaces `path` with `data` so that after a crash the file holds either
 * the old or the new content, never a mix: temp file, fsync, rename, fsync
 * of the directory.
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  await rename(temp, path);
  await syncDir(dirname(path));
}
