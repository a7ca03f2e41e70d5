import { appendFile, mkdtemp, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MamoriError } from '../../core/errors.js';
import { busContract } from '../bus.contract.js';
import type { BusConsumer, BusMessage } from '../bus.js';
import { LocalBus, type LocalBusOptions } from './local-bus.js';
import { HEADER_BYTES } from './record.js';
import { segmentFileName } from './segment.js';

busContract('LocalBus', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mamori-bus-'));
  let bus = await LocalBus.open(dir);
  return {
    bus,
    reopen: async () => {
      await bus.close();
      bus = await LocalBus.open(dir);
      return bus;
    },
    cleanup: async () => {
      await bus.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

const msg = (i: number, size = 100): Buffer => Buffer.from(`m${i}:`.padEnd(size, 'x'));
const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);
const offsets = (messages: BusMessage[]): number[] => messages.map((m) => m.offset);

async function drain(consumer: BusConsumer, max = 1000): Promise<BusMessage[]> {
  const out: BusMessage[] = [];
  for (let batch = await consumer.read(max, 0); batch.length > 0; batch = await consumer.read(max, 0)) out.push(...batch);
  return out;
}

describe('LocalBus', () => {
  let dir: string;
  let bus: LocalBus | null;

  const openBus = async (options?: LocalBusOptions): Promise<LocalBus> => {
    await bus?.close();
    bus = await LocalBus.open(dir, options);
    return bus;
  };
  const segmentFiles = async (topic: string): Promise<string[]> => (await readdir(join(dir, topic))).filter((n) => n.endsWith('.seg')).sort();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mamori-bus-'));
    bus = null;
  });

  afterEach(async () => {
    await bus?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('segments', () => {
    it('rolls to a new segment named by its first offset once one exceeds segmentBytes', async () => {
      const b = await openBus({ segmentBytes: 1000 });
      for (let i = 0; i < 10; i++) await b.append('t', range(i * 5, 5).map((j) => msg(j)));
      // 5 records of 108 bytes = 540 bytes per batch: two batches fill a segment.
      expect(await segmentFiles('t')).toEqual([0, 10, 20, 30, 40].map(segmentFileName));
      expect(b.stats().t).toMatchObject({ nextOffset: 50, segments: 5, bytes: 50 * 108 });
      const got = await drain(b.consumer('t', 'g'), 7);
      expect(offsets(got)).toEqual(range(0, 50));
      expect(got.map((m) => m.payload.toString())).toEqual(range(0, 50).map((i) => msg(i).toString()));
    });

    it('a consumer resumes in the middle of a large segment through the sparse index', async () => {
      let b = await openBus();
      for (let i = 0; i < 20; i++) await b.append('t', range(i * 1000, 1000).map((j) => msg(j, 200)));
      const consumer = b.consumer('t', 'g');
      await drain(consumer);
      await consumer.ack(12_345);
      b = await openBus();
      const resumed = await b.consumer('t', 'g').read(3, 0);
      expect(offsets(resumed)).toEqual([12_346, 12_347, 12_348]);
      expect(resumed[0].payload.toString()).toBe(msg(12_346, 200).toString());
    });

    it('many small concurrent appends share fsyncs', async () => {
      const b = await openBus();
      const lasts = await Promise.all(range(0, 200).map((i) => b.append('t', [msg(i)])));
      expect(new Set(lasts).size).toBe(200);
      expect(b.stats().t.fsyncs).toBeLessThan(20);
    });

    it('waits fsyncIntervalMs to gather appends when configured', async () => {
      const b = await openBus({ fsyncIntervalMs: 5 });
      await Promise.all(range(0, 20).map((i) => b.append('t', [msg(i)])));
      expect(b.stats().t.fsyncs).toBe(1);
      expect(offsets(await drain(b.consumer('t', 'g')))).toEqual(range(0, 20));
    });
  });

  describe('retention', () => {
    const fill = async (b: LocalBus): Promise<void> => {
      for (let i = 0; i < 10; i++) await b.append('t', range(i * 5, 5).map((j) => msg(j)));
    };

    it('deletes only segments every group acknowledged, keeping retainSegments and the active one', async () => {
      const b = await openBus({ segmentBytes: 1000, retainSegments: 1 });
      await fill(b);
      const fast = b.consumer('t', 'fast');
      const slow = b.consumer('t', 'slow');
      await drain(fast);
      await fast.ack(49);
      expect(await segmentFiles('t')).toHaveLength(5);
      await drain(slow);
      await slow.ack(25); // segments 0 and 10 fully consumed, 20 not
      expect(await segmentFiles('t')).toEqual([10, 20, 30, 40].map(segmentFileName));
      await slow.ack(49); // everything consumed: keep the newest consumed one and the active one
      expect(await segmentFiles('t')).toEqual([30, 40].map(segmentFileName));
      expect(b.stats().t).toMatchObject({ firstOffset: 30, segments: 2, nextOffset: 50 });
    });

    it('counts groups known only from their offset files after a restart', async () => {
      let b = await openBus({ segmentBytes: 1000, retainSegments: 0 });
      await fill(b);
      b.consumer('t', 'slow');
      const fast = b.consumer('t', 'fast');
      await drain(fast);
      await fast.ack(49);
      b = await openBus({ segmentBytes: 1000, retainSegments: 0 });
      const again = b.consumer('t', 'fast');
      await again.ack(49);
      expect(await segmentFiles('t')).toHaveLength(5);
      expect(b.stats().t.groups.slow).toEqual({ acked: -1, lag: 50 });
    });

    it('a new group after retention starts at the first offset still on disk', async () => {
      const b = await openBus({ segmentBytes: 1000, retainSegments: 0 });
      await fill(b);
      const only = b.consumer('t', 'only');
      await drain(only);
      await only.ack(49);
      expect(await segmentFiles('t')).toEqual([segmentFileName(40)]);
      const late = b.consumer('t', 'late');
      expect(offsets(await drain(late))).toEqual(range(40, 10));
      expect(late.lag()).toBe(10);
    });
  });

  describe('recovery', () => {
    const lastSegment = async (topic: string): Promise<string> => join(dir, topic, (await segmentFiles(topic)).at(-1) as string);

    const tails: Array<[string, Buffer]> = [
      ['a partial header', Buffer.from([7, 0, 0])],
      ['a header without its payload', Buffer.from([100, 0, 0, 0, 1, 2, 3, 4, 9, 9])],
      ['a whole record with a bad CRC', Buffer.from([2, 0, 0, 0, 0, 0, 0, 0, 0x41, 0x42])],
      ['zeros', Buffer.alloc(4096)],
      ['a huge length', Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])],
    ];
    for (const [what, garbage] of tails) {
      it(`truncates a torn tail of ${what} and continues after the last whole record`, async () => {
        let b = await openBus();
        await b.append('t', range(0, 20).map((i) => msg(i)));
        await b.close();
        const path = await lastSegment('t');
        const size = (await stat(path)).size;
        await appendFile(path, garbage);
        b = await openBus();
        expect((await stat(path)).size).toBe(size);
        expect(b.stats().t).toMatchObject({ nextOffset: 20, truncatedBytes: garbage.length, corruptions: 0 });
        expect(await b.append('t', [msg(20)])).toBe(20);
        const got = await drain(b.consumer('t', 'g'));
        expect(got.map((m) => m.payload.toString())).toEqual(range(0, 21).map((i) => msg(i).toString()));
      });
    }

    it('skips the rest of a segment holding a damaged record, counts it, and reads on', async () => {
      let b = await openBus({ segmentBytes: 1000 });
      for (let i = 0; i < 4; i++) await b.append('t', range(i * 10, 10).map((j) => msg(j)));
      await b.close();
      // Segment 0 holds offsets 0-9 (1080 bytes); flip a payload byte of offset 3.
      const first = join(dir, 't', segmentFileName(0));
      const handle = await open(first, 'r+');
      await handle.write(Buffer.from('#'), 0, 1, 3 * 108 + HEADER_BYTES + 10);
      await handle.close();
      b = await openBus({ segmentBytes: 1000 });
      const got = await drain(b.consumer('t', 'g'));
      expect(offsets(got)).toEqual([...range(0, 3), ...range(10, 30)]);
      expect(b.stats().t.corruptions).toBe(1);
    });

    it('skips a segment whose record length is damaged without allocating what it claims', async () => {
      let b = await openBus({ segmentBytes: 1000 });
      for (let i = 0; i < 3; i++) await b.append('t', range(i * 10, 10).map((j) => msg(j)));
      await b.close();
      const handle = await open(join(dir, 't', segmentFileName(10)), 'r+');
      const length = Buffer.alloc(4);
      length.writeUInt32LE(0xfffffff0);
      await handle.write(length, 0, 4, 5 * 108);
      await handle.close();
      b = await openBus({ segmentBytes: 1000 });
      const consumer = b.consumer('t', 'g');
      expect(offsets(await drain(consumer))).toEqual([...range(0, 15), ...range(20, 10)]);
      expect(b.stats().t.corruptions).toBe(1);
    });

    it('a consumer resuming inside a damaged stretch moves on to the next segment', async () => {
      let b = await openBus({ segmentBytes: 1000 });
      for (let i = 0; i < 3; i++) await b.append('t', range(i * 10, 10).map((j) => msg(j)));
      const consumer = b.consumer('t', 'g');
      await drain(consumer);
      await consumer.ack(6);
      await b.close();
      const handle = await open(join(dir, 't', segmentFileName(0)), 'r+');
      await handle.truncate(4 * 108);
      await handle.close();
      b = await openBus({ segmentBytes: 1000 });
      expect(offsets(await drain(b.consumer('t', 'g')))).toEqual(range(10, 20));
    });

    it('never hands out an offset again that a group acknowledged, even when damage cut the log', async () => {
      let b = await openBus();
      await b.append('t', range(0, 10).map((i) => msg(i)));
      const consumer = b.consumer('t', 'g');
      await drain(consumer);
      await consumer.ack(9);
      await b.close();
      const handle = await open(join(dir, 't', segmentFileName(0)), 'r+');
      await handle.write(Buffer.from('#'), 0, 1, 5 * 108 + HEADER_BYTES);
      await handle.close();
      b = await openBus();
      expect(await b.append('t', [msg(10)])).toBe(10);
      expect(b.stats().t.corruptions).toBe(1);
      expect((await drain(b.consumer('t', 'g'))).map((m) => m.payload.toString())).toEqual([msg(10).toString()]);
    });

    it('refuses a damaged offset file with a message saying what to do', async () => {
      let b = await openBus();
      await b.append('t', [msg(0)]);
      await b.close();
      await writeFile(join(dir, 't', 'g.offset'), 'not a number');
      await expect(openBus()).rejects.toThrow(/g\.offset is corrupt/);
      bus = null;
    });
  });

  describe('consumers', () => {
    it('acks persist atomically as a decimal in <topic>/<group>.offset and never move backwards', async () => {
      const b = await openBus();
      await b.append('t', range(0, 10).map((i) => msg(i)));
      const consumer = b.consumer('t', 'g');
      await drain(consumer);
      await Promise.all([consumer.ack(7), consumer.ack(3), consumer.ack(5)]);
      expect(consumer.acked()).toBe(7);
      expect(await readFile(join(dir, 't', 'g.offset'), 'utf8')).toBe('7\n');
      expect((await readdir(join(dir, 't'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    });

    it('rejects acks of unread offsets and malformed offsets', async () => {
      const b = await openBus();
      await b.append('t', range(0, 10).map((i) => msg(i)));
      const consumer = b.consumer('t', 'g');
      await consumer.read(3, 0);
      await expect(consumer.ack(3)).rejects.toMatchObject({ code: 'MAMORI_E_INVALID' });
      for (const bad of [Number.NaN, -2, 1.5, Infinity]) await expect(consumer.ack(bad)).rejects.toBeInstanceOf(MamoriError);
      for (const bad of [0, -1, 1.5, Number.NaN]) await expect(consumer.read(bad, 0)).rejects.toMatchObject({ code: 'MAMORI_E_INVALID' });
      await expect(consumer.read(1, -5)).rejects.toMatchObject({ code: 'MAMORI_E_INVALID' });
      expect(consumer.acked()).toBe(-1);
    });

    it('concurrent reads of one consumer return consecutive batches', async () => {
      const b = await openBus();
      await b.append('t', range(0, 30).map((i) => msg(i)));
      const consumer = b.consumer('t', 'g');
      const batches = await Promise.all([consumer.read(10, 0), consumer.read(10, 0), consumer.read(10, 0)]);
      expect(batches.map(offsets)).toEqual([range(0, 10), range(10, 10), range(20, 10)]);
    });

    it('a waiting read does not see a batch before its fsync completed', async () => {
      const b = await openBus({ fsyncIntervalMs: 30 });
      const consumer = b.consumer('t', 'g');
      let durable = false;
      const appended = b.append('t', [msg(0)]).then(() => (durable = true));
      const got = await consumer.read(10, 5000);
      expect(durable).toBe(true);
      expect(offsets(got)).toEqual([0]);
      await appended;
    });
  });

  describe('names, options and lifecycle', () => {
    it('rejects topic and group names that are not plain file names', async () => {
      const b = await openBus();
      for (const bad of ['', '..', '../etc', 'a/b', '.hidden', '-x', 'a\0b', 'x'.repeat(129), 'a b', 'ü']) {
        await expect(b.append(bad, [msg(0)])).rejects.toMatchObject({ code: 'MAMORI_E_INVALID' });
        expect(() => b.consumer(bad, 'g')).toThrow(MamoriError);
        expect(() => b.consumer('t', bad)).toThrow(MamoriError);
      }
      expect(await readdir(dir)).toEqual(['.bus.lock']);
    });

    it('rejects messages that are not Buffers', async () => {
      const b = await openBus();
      await expect(b.append('t', ['text' as unknown as Buffer])).rejects.toMatchObject({ code: 'MAMORI_E_INVALID' });
      await expect(b.append('t', 'text' as unknown as Buffer[])).rejects.toMatchObject({ code: 'MAMORI_E_INVALID' });
      expect(await b.append('t', [msg(0)])).toBe(0);
    });

    it('rejects unknown and out-of-range options', async () => {
      await expect(LocalBus.open(dir, { segmentBytes: 0 })).rejects.toMatchObject({ code: 'MAMORI_E_CONFIG' });
      await expect(LocalBus.open(dir, { retainSegments: -1 })).rejects.toMatchObject({ code: 'MAMORI_E_CONFIG' });
      await expect(LocalBus.open(dir, { fsyncIntervalMs: 0.5 })).rejects.toMatchObject({ code: 'MAMORI_E_CONFIG' });
      await expect(LocalBus.open(dir, { segmentByte: 5 } as LocalBusOptions)).rejects.toMatchObject({ code: 'MAMORI_E_CONFIG' });
    });

    it('one process at a time owns the directory; a lock left by a dead process is taken over', async () => {
      const b = await openBus();
      await expect(LocalBus.open(dir)).rejects.toMatchObject({ code: 'MAMORI_E_BUS' });
      await b.close();
      // A pid that cannot be alive: above the kernel's pid_max limit.
      await writeFile(join(dir, '.bus.lock'), '99999999\n');
      await openBus();
      expect(await readFile(join(dir, '.bus.lock'), 'utf8')).toBe(`${process.pid}\n`);
    });

    it('after close, appends and reads reject and stats keep the last figures', async () => {
      const b = await openBus();
      await b.append('t', [msg(0)]);
      const consumer = b.consumer('t', 'g');
      await b.close();
      await expect(b.append('t', [msg(1)])).rejects.toMatchObject({ code: 'MAMORI_E_BUS' });
      await expect(consumer.read(1, 0)).rejects.toMatchObject({ code: 'MAMORI_E_BUS' });
      expect(() => b.consumer('t', 'other')).toThrow(MamoriError);
      expect(b.stats().t.nextOffset).toBe(1);
    });

    it('appends accepted before close are durable after it', async () => {
      let b = await openBus({ fsyncIntervalMs: 20 });
      const pending = b.append('t', range(0, 5).map((i) => msg(i)));
      await b.close();
      expect(await pending).toBe(4);
      b = await openBus();
      expect(offsets(await drain(b.consumer('t', 'g')))).toEqual(range(0, 5));
    });
  });
});
