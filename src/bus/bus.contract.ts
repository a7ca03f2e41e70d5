import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bus, BusConsumer, BusMessage } from './bus.js';

/**
 * What every Bus implementation must do, as one vitest suite: the embedded
 * log and JetStream run the same assertions.
 *
 * `make` gives a fresh, empty bus. `reopen` simulates a restart: it closes
 * the current instance and opens a new one on the same storage. `cleanup`
 * closes whichever instance is current and removes the storage.
 */
export interface BusHarness {
  bus: Bus;
  reopen: () => Promise<Bus>;
  cleanup: () => Promise<void>;
}

const text = (s: string): Buffer => Buffer.from(s, 'utf8');
const payloads = (messages: BusMessage[]): string[] => messages.map((m) => m.payload.toString('utf8'));
const offsets = (messages: BusMessage[]): number[] => messages.map((m) => m.offset);
const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

/** Reads until `count` messages arrived; every read waits, so an empty bus fails instead of spinning. */
async function readAll(consumer: BusConsumer, count: number, max = 1000): Promise<BusMessage[]> {
  const out: BusMessage[] = [];
  while (out.length < count) {
    const batch = await consumer.read(Math.min(max, count - out.length), 2000);
    if (batch.length === 0) throw new Error(`expected ${count} messages, the bus had ${out.length}`);
    out.push(...batch);
  }
  return out;
}

export function busContract(name: string, make: () => Promise<BusHarness>): void {
  describe(`Bus contract: ${name}`, () => {
    let harness: BusHarness;
    let bus: Bus;

    beforeEach(async () => {
      harness = await make();
      bus = harness.bus;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    describe('offsets', () => {
      it('start at 0 and grow by one per message; append resolves with the last one', async () => {
        expect(await bus.append('t', [text('a')])).toBe(0);
        expect(await bus.append('t', [text('b'), text('c'), text('d')])).toBe(3);
        expect(await bus.append('t', [text('e')])).toBe(4);
      });

      it('an empty append takes no offset and resolves with the last offset so far', async () => {
        expect(await bus.append('t', [])).toBe(-1);
        await bus.append('t', [text('a'), text('b')]);
        expect(await bus.append('t', [])).toBe(1);
        expect(await bus.append('t', [text('c')])).toBe(2);
        const consumer = bus.consumer('t', 'g');
        expect(payloads(await readAll(consumer, 3))).toEqual(['a', 'b', 'c']);
        expect(await consumer.read(10, 0)).toEqual([]);
      });

      it('concurrent appends get disjoint, contiguous ranges holding their own messages', async () => {
        const batches = range(0, 50).map((b) => range(0, 1 + (b % 7)).map((i) => `${b}:${i}`));
        const lasts = await Promise.all(batches.map((batch) => bus.append('t', batch.map(text))));
        const total = batches.reduce((n, batch) => n + batch.length, 0);
        expect([...lasts].sort((a, b) => a - b)).toEqual([...new Set(lasts)].sort((a, b) => a - b));
        expect(Math.max(...lasts)).toBe(total - 1);
        const byOffset = new Map((await readAll(bus.consumer('t', 'g'), total)).map((m) => [m.offset, m.payload.toString()]));
        batches.forEach((batch, b) => {
          const first = lasts[b] - batch.length + 1;
          batch.forEach((payload, i) => expect(byOffset.get(first + i)).toBe(payload));
        });
      });
    });

    describe('reading', () => {
      it('returns messages in append order with their offsets, at most `max` per read', async () => {
        await bus.append('t', range(0, 25).map((i) => text(`m${i}`)));
        const consumer = bus.consumer('t', 'g');
        const first = await consumer.read(10, 1000);
        expect(offsets(first)).toEqual(range(0, 10));
        expect(payloads(first)).toEqual(range(0, 10).map((i) => `m${i}`));
        const rest = await readAll(consumer, 15, 10);
        expect(offsets(rest)).toEqual(range(10, 15));
        expect(await consumer.read(10, 0)).toEqual([]);
      });

      it('continues after the last read message, not the last acknowledged one', async () => {
        await bus.append('t', range(0, 6).map((i) => text(`m${i}`)));
        const consumer = bus.consumer('t', 'g');
        expect(offsets(await consumer.read(2, 1000))).toEqual([0, 1]);
        expect(offsets(await consumer.read(2, 1000))).toEqual([2, 3]);
        await consumer.ack(1);
        expect(offsets(await consumer.read(2, 1000))).toEqual([4, 5]);
      });

      it('keeps payload bytes exactly: empty, binary, invalid UTF-8', async () => {
        const odd = [Buffer.alloc(0), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), randomBytes(4096)];
        await bus.append('t', odd);
        const got = await readAll(bus.consumer('t', 'g'), odd.length);
        got.forEach((m, i) => expect(Buffer.compare(m.payload, odd[i])).toBe(0));
      });

      it('carries messages of 5 MB', async () => {
        const big = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024 + 3)];
        expect(await bus.append('t', big)).toBe(1);
        await bus.append('t', [text('after')]);
        const got = await readAll(bus.consumer('t', 'g'), 3);
        expect(got[0].payload.equals(big[0])).toBe(true);
        expect(got[1].payload.equals(big[1])).toBe(true);
        expect(got[2].payload.toString()).toBe('after');
      });

      it('keeps many topics apart, each with its own offsets', async () => {
        const topics = range(0, 40).map((i) => `topic-${i}`);
        await Promise.all(topics.map((topic, i) => bus.append(topic, range(0, 1 + (i % 3)).map((j) => text(`${topic}/${j}`)))));
        for (const [i, topic] of topics.entries()) {
          const consumer = bus.consumer(topic, 'g');
          const got = await readAll(consumer, 1 + (i % 3));
          expect(offsets(got)).toEqual(range(0, 1 + (i % 3)));
          expect(payloads(got).every((p) => p.startsWith(`${topic}/`))).toBe(true);
          expect(await consumer.read(5, 0)).toEqual([]);
        }
      });
    });

    describe('waiting', () => {
      it('a waiting read wakes when a message is appended', async () => {
        const consumer = bus.consumer('t', 'g');
        expect(await consumer.read(10, 0)).toEqual([]);
        const started = Date.now();
        const pending = consumer.read(10, 10_000);
        setTimeout(() => void bus.append('t', [text('wake')]), 50);
        const got = await pending;
        expect(payloads(got)).toEqual(['wake']);
        expect(Date.now() - started).toBeLessThan(5_000);
      });

      it('a read with nothing to return resolves with [] after about waitMs', async () => {
        const consumer = bus.consumer('t', 'g');
        const started = Date.now();
        expect(await consumer.read(10, 150)).toEqual([]);
        expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      });

      it('close resolves a waiting read with []', async () => {
        const pending = bus.consumer('t', 'g').read(10, 60_000);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await bus.close();
        expect(await pending).toEqual([]);
      });
    });

    describe('consumer groups', () => {
      it('two groups read the same messages independently', async () => {
        await bus.append('t', range(0, 5).map((i) => text(`m${i}`)));
        const a = bus.consumer('t', 'a');
        const b = bus.consumer('t', 'b');
        expect(offsets(await readAll(a, 5))).toEqual(range(0, 5));
        await a.ack(4);
        expect(offsets(await readAll(b, 5))).toEqual(range(0, 5));
        expect(a.acked()).toBe(4);
        expect(b.acked()).toBe(-1);
      });

      it('acked() and lag() follow appends and acks', async () => {
        const consumer = bus.consumer('t', 'g');
        await bus.append('t', range(0, 10).map((i) => text(`m${i}`)));
        await readAll(consumer, 10);
        expect(consumer.acked()).toBe(-1);
        expect(consumer.lag()).toBe(10);
        await consumer.ack(3);
        expect(consumer.acked()).toBe(3);
        expect(consumer.lag()).toBe(6);
        await bus.append('t', [text('more')]);
        expect(consumer.lag()).toBe(7);
      });
    });

    describe('after a restart', () => {
      it('acknowledged offsets persist and unacknowledged messages are delivered again', async () => {
        await bus.append('t', range(0, 10).map((i) => text(`m${i}`)));
        const before = bus.consumer('t', 'g');
        await readAll(before, 10);
        await before.ack(4);
        bus = await harness.reopen();
        const after = bus.consumer('t', 'g');
        expect(after.acked()).toBe(4);
        const again = await readAll(after, 5);
        expect(offsets(again)).toEqual(range(5, 5));
        expect(payloads(again)).toEqual(range(5, 5).map((i) => `m${i}`));
      });

      it('a group that never acknowledged starts from the beginning', async () => {
        await bus.append('t', [text('a'), text('b')]);
        await readAll(bus.consumer('t', 'g'), 2);
        bus = await harness.reopen();
        expect(payloads(await readAll(bus.consumer('t', 'g'), 2))).toEqual(['a', 'b']);
      });

      it('appends continue after the last offset', async () => {
        await bus.append('t', range(0, 3).map((i) => text(`m${i}`)));
        bus = await harness.reopen();
        expect(await bus.append('t', [text('m3')])).toBe(3);
        expect(payloads(await readAll(bus.consumer('t', 'g'), 4))).toEqual(['m0', 'm1', 'm2', 'm3']);
      });
    });
  });
}
