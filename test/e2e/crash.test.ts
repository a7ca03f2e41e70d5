import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startServer, type TestServer } from '../support/server.js';

// Nothing acknowledged is lost: HTTP ingest answers 2xx only once the batch
// is durable on the bus. Kill -9 the server in the middle of a stream, start
// it again, and every acknowledged event is searchable exactly once.
let server: TestServer;

beforeAll(async () => {
  server = await startServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('kill -9 of the server', () => {
  it('loses no acknowledged event and stores none twice', async () => {
    const acked: number[] = [];
    const BATCH = 500;
    let stop = false;
    const sender = (async () => {
      for (let b = 0; b < 400 && !stop; b++) {
        const body = Array.from({ length: BATCH }, (_, i) => `<13>1 2026-11-22T00:00:00Z crashhost app - - - crash-b${b}-e${i}`).join('\n');
        try {
          const r = await api(server, server.adminToken, 'POST', `/api/v1/ingest?tenant=demo&format=rfc5424&label=batch%3D${b}`, body, { 'content-type': 'text/plain' });
          if (r.status === 200) acked.push(b);
        } catch {
          return; // the server died mid-request: this batch was not acknowledged
        }
      }
    })();
    await eventually(async () => acked.length >= 20, 60_000, '20 acknowledged batches');
    await server.crashAndRestart();
    stop = true;
    await sender;
    expect(acked.length).toBeGreaterThanOrEqual(20);
    const range = `from=${Date.parse('2026-11-21T00:00:00Z')}&to=${Date.parse('2026-11-23T00:00:00Z')}`;
    const total = async () => (await api(server, server.adminToken, 'GET', `/api/v1/events/count?q=crashhost&${range}`)).json.count as number;
    await eventually(async () => (await total()) >= acked.length * BATCH, 60_000, 'acknowledged events after restart');
    // Per batch: acknowledged ones complete, none duplicated.
    const top = await api(server, server.adminToken, 'GET', `/api/v1/events/top?field=labels.batch&limit=1000&q=crashhost&${range}`);
    const perBatch = new Map<string, number>(top.json.values.map((v: { value: string; count: number }) => [v.value, v.count]));
    for (const b of acked) expect(perBatch.get(String(b)), `batch ${b}`).toBe(BATCH);
    // An unacknowledged batch cut by the kill may be partly there, never more than once.
    for (const [b, n] of perBatch) expect(n, `batch ${b}`).toBeLessThanOrEqual(BATCH);
    const ids = await api(server, server.adminToken, 'GET', `/api/v1/events/top?field=event.id&limit=3&q=crashhost&${range}`);
    expect(ids.json.values[0].count).toBe(1);
  }, 240_000);
});
