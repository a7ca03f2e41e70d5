import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalBus } from '../bus/local/local-bus.js';
import type { RawRecord } from '../core/raw-record.js';
import { ALL_TENANTS } from '../core/scope.js';
import { ChdbEventStore } from '../store/events/chdb-store.js';
import type { BatchRunner } from './batch-runner.js';
import { BusSink, RAW_TOPIC } from './bus-sink.js';
import { processBatch, type PackedRecords } from './process-batch.js';
import { Processor } from './processor.js';

// The processor on the real bus and the real event store. The runner is the
// real processBatch, except that it breaks the row of one chosen event, the
// way a serializer bug would: the store refuses that row.
const dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-processor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class BreakingRunner implements BatchRunner {
  constructor(private readonly brokenId: string) {}
  async run(packed: PackedRecords) {
    const result = processBatch(packed);
    const lines = Buffer.from(result.rows).toString('utf8').split('\n');
    const i = result.ids.indexOf(this.brokenId);
    if (i >= 0) lines[i] = 'not-a-time' + lines[i].slice(lines[i].indexOf('\t'));
    return { ...result, rows: Buffer.from(lines.join('\n')) };
  }
  inFlight() {
    return 0;
  }
  async close() {}
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('processor', () => {
  it('stores every event once, keeps a row the store refuses as a pipeline_error event, and acknowledges all', async () => {
    const bus = await LocalBus.open(path.join(dir, 'bus'));
    const store = new ChdbEventStore(path.join(dir, 'events'));
    await store.init();
    const consumer = bus.consumer(RAW_TOPIC, 'store');
    const processor = new Processor(consumer, new BreakingRunner('ev-0777'), store, {
      batchEvents: 250,
      batchWaitMs: 10,
      storeBatchEvents: 1_000,
      storeFlushMs: 50,
      maxInFlight: 2,
      stateDir: path.join(dir, 'pipeline'),
    });
    processor.start();
    const sink = new BusSink(bus, () => processor.lag(), 1_000_000);
    const received = Date.parse('2026-03-01T00:00:00Z');
    const records: RawRecord[] = Array.from({ length: 2_000 }, (_, i) => ({
      id: `ev-${String(i).padStart(4, '0')}`,
      tenant: 'acme',
      source: 'test',
      format: 'rfc5424',
      received,
      data: `<13>1 2026-03-01T00:00:00.000Z host app - - - message ${i}`,
    }));
    await sink.accept(records);
    const range = { from: received - 86_400_000, to: received + 86_400_000 };
    await until(async () => (await store.count(ALL_TENANTS, { q: '', ...range })) === 2_000, '2,000 stored events');
    expect(await store.count(ALL_TENANTS, { q: 'event.kind:pipeline_error', ...range })).toBe(1);
    const [refused] = await store.search(ALL_TENANTS, { q: 'event.kind:pipeline_error', ...range, limit: 1 });
    expect(refused).toMatchObject({ 'event.id': 'ev-0777', 'tenant.id': 'acme', 'event.original': records[777].data });
    expect(String(refused['error.message'])).toMatch(/^event store rejected the event: .*DateTime/);
    expect(await store.count(ALL_TENANTS, { q: '"message 776" OR "message 778"', ...range })).toBe(2);
    await until(async () => consumer.acked() === 1_999, 'acknowledgement of every offset');
    await processor.stop();
    await store.close();
    await bus.close();
  }, 60_000);
});
