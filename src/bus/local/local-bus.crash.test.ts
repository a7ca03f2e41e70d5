import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBus } from './local-bus.js';
import { sequenceOf, sequencePayload } from './testing/sequence-payload.js';

const CHILD = fileURLToPath(new URL('../../../dist/bus/local/testing/crash-child.js', import.meta.url));
const TOPIC = 'events';
const RUN_BEFORE_KILL_MS = 500;

/** Runs the child until it has appended for a while, kills it with SIGKILL, returns the offsets it was told are durable. */
async function appendUntilKilled(dir: string): Promise<number[]> {
  const child = spawn(process.execPath, [CHILD, dir, TOPIC], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: number[] = [];
  let partial = '';
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    // A line cut by the kill was never a complete acknowledgement.
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'ready') timer = setTimeout(() => child.kill('SIGKILL'), RUN_BEFORE_KILL_MS);
      else acked.push(Number(line));
    }
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  clearTimeout(timer);
  if (signal !== 'SIGKILL') throw new Error(`crash child ended without being killed: ${stderr}`);
  return acked;
}

describe('LocalBus survives kill -9', () => {
  let dir: string;

  beforeEach(async () => {
    if (!existsSync(CHILD)) throw new Error(`${CHILD} is missing: run \`npm run build\` before this test`);
    dir = await mkdtemp(join(tmpdir(), 'mamori-bus-crash-'));
  });

  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged message exactly once, and appends continue after the last durable one', async () => {
    let expected = 0;
    for (let round = 0; round < 3; round++) {
      const acked = await appendUntilKilled(dir);
      expect(acked.length).toBeGreaterThan(0);

      const bus = await LocalBus.open(dir);
      try {
        const consumer = bus.consumer(TOPIC, `verify-${round}`);
        let count = 0;
        const wrong: string[] = [];
        for (let batch = await consumer.read(10_000, 0); batch.length > 0; batch = await consumer.read(10_000, 0)) {
          for (const message of batch) {
            // Contiguous offsets from 0, each payload the one appended at that offset: nothing lost, nothing twice.
            const seq = sequenceOf(message.payload);
            if (message.offset !== count || seq !== count) wrong.push(`#${count}: offset ${message.offset}, payload seq ${seq}`);
            count++;
          }
        }
        expect(wrong.slice(0, 10)).toEqual([]);
        expect(count - 1).toBeGreaterThanOrEqual(Math.max(...acked));
        expect(count).toBeGreaterThan(expected);
        expect(bus.stats()[TOPIC].nextOffset).toBe(count);
        expect(await bus.append(TOPIC, [sequencePayload(count)])).toBe(count);
        expected = count + 1;
      } finally {
        await bus.close();
      }
    }
  });
});
