import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newEventId } from '../core/ids.js';
import type { RawRecord } from '../core/raw-record.js';
import { Outbox } from './outbox.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'mamori-outbox-'));
  dirs.push(d);
  return d;
};
const record = (data: string): RawRecord => ({ id: newEventId(), tenant: '', source: 'app', format: 'auto', received: Date.now(), data, labels: { path: '/var/log/a' } });

describe('Outbox', () => {
  it('keeps records and their ids across a reopen, and resumes after the acked offset', async () => {
    const dir = tempDir();
    let outbox = await Outbox.open(dir, 1024 * 1024);
    const records = ['a', 'b', 'c'].map(record);
    await outbox.accept(records);
    const first = await outbox.read(2, 0);
    await outbox.ack(first[1].offset);
    await outbox.close();
    outbox = await Outbox.open(dir, 1024 * 1024);
    expect(outbox.lastOffset()).toBe(2);
    expect(outbox.depth().events).toBe(1);
    const rest = await outbox.read(10, 0);
    expect(rest.map((e) => e.record)).toEqual([records[2]]);
    await outbox.close();
  });

  it('reports pressure above its cap and lets go of it once the records are sent', async () => {
    const dir = tempDir();
    const outbox = await Outbox.open(dir, 65_536);
    const line = 'x'.repeat(1_000);
    while (!outbox.pressure()) await outbox.accept(Array.from({ length: 10 }, () => record(line)));
    expect(outbox.depth().bytes).toBeGreaterThan(65_536);
    // Over the cap by at most the last batch and one segment.
    expect(outbox.depth().bytes).toBeLessThan(65_536 + 11_000 + 16_384 * 2);
    let last = -1;
    for (let got = await outbox.read(1_000, 0); got.length > 0; got = await outbox.read(1_000, 0)) last = got.at(-1)!.offset;
    await outbox.ack(last);
    expect(outbox.pressure()).toBe(false);
    expect(outbox.depth().events).toBe(0);
    await outbox.close();
  });

  it('refuses a second agent on the same directory', async () => {
    const dir = tempDir();
    const outbox = await Outbox.open(dir, 65_536);
    await expect(Outbox.open(dir, 65_536)).rejects.toThrow(/in use/);
    await outbox.close();
  });
});
