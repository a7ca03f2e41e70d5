import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { newEventId } from '../core/ids.js';
import type { RawRecord } from '../core/raw-record.js';
import { Outbox } from './outbox.js';
import { RateLimiter } from './rate-limiter.js';
import { Sender } from './sender.js';
import { httpTransport, parseRetryAfter } from './transport.js';
import type { WireRecord } from './wire.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  records: WireRecord[];
}

type Reply = (req: Received, res: http.ServerResponse) => void;

/** A stand-in SOC on loopback: answers each request with the next reply, the last one forever. */
async function fakeSoc(replies: Reply[]) {
  const received: Received[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = gunzipSync(Buffer.concat(chunks)).toString('utf8');
      const got = { headers: req.headers, records: text.trim().split('\n').map((l) => JSON.parse(l) as WireRecord) };
      received.push(got);
      replies[Math.min(n++, replies.length - 1)](got, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const ok: Reply = (got, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: got.records.length, duplicates: got.headers['x-mamori-retry'] ? got.records.length : 0 }));
const status =
  (code: number, headers: Record<string, string> = {}): Reply =>
  (_got, res) =>
    res.writeHead(code, { 'content-type': 'application/json', ...headers }).end('{"error":"nope"}');
const hangUp: Reply = (_got, res) => res.socket?.destroy();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const record = (i: number): RawRecord => ({ id: newEventId(), tenant: '', source: 'app', format: 'rfc3164', received: 1_700_000_000_000 + i, data: `line ${i}`, timezone: 'Asia/Tokyo', labels: { path: '/var/log/app.log' } });

async function setup(replies: Reply[], records: RawRecord[], batchEvents = 10) {
  const soc = await fakeSoc(replies);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-sender-'));
  const outbox = await Outbox.open(path.join(dir, 'outbox'), 1 << 20);
  await outbox.accept(records);
  const transport = httpTransport(soc.url, { insecure_skip_verify: false }, 5_000);
  const logs: string[] = [];
  const sender = new Sender(outbox, transport, new RateLimiter(0), {
    token: 'mmi_test',
    agentName: 'site-1',
    batchEvents,
    batchWaitMs: 20,
    rejectedFile: path.join(dir, 'rejected.ndjson'),
    log: (m) => logs.push(m),
    backoff: { baseMs: 10, maxMs: 40, authMs: 50 },
  });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), soc.close, () => outbox.close(), () => transport.close(), () => sender.close());
  return { soc, outbox, sender, logs, dir };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Sender', () => {
  it('retries through hang-ups and 5xx with the same ids, flags the resends, and acks only after 200', async () => {
    const records = Array.from({ length: 25 }, (_, i) => record(i));
    const { soc, outbox, sender, logs } = await setup([ok, hangUp, status(500), status(503, { 'retry-after': '0' }), ok], []);
    // Appended after the sender started would be the live case; here: the outbox starts empty so the first batch is not a resend.
    sender.start();
    await outbox.accept(records);
    await until(() => sender.stats.sentEvents === 25, 'all sent');
    await until(() => outbox.depth().events === 0, 'all acked');
    const attempts = soc.received;
    expect(attempts[0].headers['x-mamori-retry']).toBeUndefined();
    // The second batch failed three times: the same ids each time, flagged from the first resend on.
    const second = attempts.slice(1, 5);
    expect(second.map((a) => a.records.map((r) => r.id))).toEqual(Array(4).fill(second[0].records.map((r) => r.id)));
    expect(second.map((a) => a.headers['x-mamori-retry'])).toEqual([undefined, '1', '1', '1']);
    expect(attempts.at(-1)!.headers['x-mamori-retry']).toBeUndefined();
    const delivered = new Set(attempts.filter((_, i) => i !== 1 && i !== 2 && i !== 3).flatMap((a) => a.records.map((r) => r.id)));
    expect([...delivered].sort()).toEqual(records.map((r) => r.id).sort());
    expect(attempts[0].headers).toMatchObject({ authorization: 'Bearer mmi_test', 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', 'x-mamori-agent': 'site-1' });
    expect(attempts[0].records[0]).toEqual({ id: records[0].id, received: records[0].received, format: 'rfc3164', data: 'line 0', input: 'app', timezone: 'Asia/Tokyo', path: '/var/log/app.log' });
    expect(sender.stats).toMatchObject({ failures: 3, currentError: null, sentEvents: 25 });
    expect(sender.stats.lastErrors.map((e) => e.message)).toEqual([expect.stringMatching(/cannot reach the server/), expect.stringMatching(/HTTP 500/), expect.stringMatching(/HTTP 503/)]);
    expect(logs.at(-1)).toMatch(/delivering again/);
  });

  it('flags every batch that an earlier run may have sent', async () => {
    const records = Array.from({ length: 12 }, (_, i) => record(i));
    const { soc, sender, outbox } = await setup([ok], records, 5);
    sender.start();
    await until(() => outbox.depth().events === 0, 'all acked');
    await outbox.accept([record(99)]);
    await until(() => sender.stats.sentEvents === 13, 'live record sent');
    expect(soc.received.map((r) => [r.records.length, r.headers['x-mamori-retry']])).toEqual([
      [5, '1'],
      [5, '1'],
      [2, '1'],
      [1, undefined],
    ]);
  });

  it('reports a refused token and keeps the records', async () => {
    const { outbox, sender } = await setup([status(401)], [record(1)]);
    sender.start();
    await until(() => sender.stats.failures >= 2, 'two attempts');
    expect(sender.stats.currentError?.message).toMatch(/HTTP 401.*check the token/);
    expect(outbox.depth().events).toBe(1);
  });

  it('honours Retry-After', async () => {
    const { sender } = await setup([status(429, { 'retry-after': '1' }), ok], [record(1)]);
    sender.start();
    await until(() => sender.stats.sentEvents === 1, 'sent');
    const gap = (sender.stats.lastSuccess ?? 0) - sender.stats.lastErrors[0].at;
    expect(gap).toBeGreaterThanOrEqual(950);
  });

  it('narrows a refused batch down to the records the server refuses, keeps them aside and delivers the rest', async () => {
    const records = Array.from({ length: 8 }, (_, i) => record(i));
    records[5].data = 'poison';
    const refuse: Reply = (got, res) => (got.records.some((r) => r.data === 'poison') ? status(400)(got, res) : ok(got, res));
    const { outbox, sender, dir } = await setup([refuse], records);
    sender.start();
    await until(() => outbox.depth().events === 0, 'all acked');
    expect(sender.stats).toMatchObject({ sentEvents: 7, rejected: 1 });
    const rejected = readFileSync(path.join(dir, 'rejected.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejected).toEqual([expect.objectContaining({ reason: '{"error":"nope"}', record: expect.objectContaining({ id: records[5].id, data: 'poison' }) })]);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('7')).toBe(7_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
