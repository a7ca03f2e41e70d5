/**
 * Child process of the `kill -9` test (local-bus.crash.test.ts), run from
 * its compiled form in dist/. Appends batches to a LocalBus from several
 * concurrent producers and prints each acknowledged last offset on its own
 * line, until it is killed or `MAX_RUN_MS` passes.
 *
 * Usage: node crash-child.js <bus-dir> <topic>
 *
 * Payloads carry their sequence number, and batches are appended in
 * sequence order, so the message at offset N must read `seq:N:`.
 */
import { LocalBus } from '../local-bus.js';
import { sequencePayload } from './sequence-payload.js';

const PRODUCERS = 4;
const BATCH = 100;
const MAX_RUN_MS = 20_000;

async function main(dir: string, topic: string): Promise<void> {
  const bus = await LocalBus.open(dir);
  let seq = bus.stats()[topic]?.nextOffset ?? 0;
  const stopAt = Date.now() + MAX_RUN_MS;
  const produce = async (): Promise<void> => {
    while (Date.now() < stopAt) {
      const batch: Buffer[] = [];
      for (let i = 0; i < BATCH; i++) batch.push(sequencePayload(seq++));
      const last = await bus.append(topic, batch);
      process.stdout.write(`${last}\n`);
    }
  };
  process.stdout.write('ready\n');
  await Promise.all(Array.from({ length: PRODUCERS }, produce));
  await bus.close();
}

const [dir, topic] = process.argv.slice(2);
if (!dir || !topic) {
  process.stderr.write('usage: crash-child.js <bus-dir> <topic>\n');
  process.exit(2);
}
main(dir, topic).catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
