import { parentPort } from 'node:worker_threads';
import { processBatch, type PackedRecords } from './process-batch.js';

// Worker thread entry: processes batches handed over by WorkerPool.
parentPort?.on('message', (msg: { id: number; packed: PackedRecords }) => {
  try {
    const result = processBatch(msg.packed);
    parentPort?.postMessage({ id: msg.id, result }, [result.received.buffer as ArrayBuffer, result.rows.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
