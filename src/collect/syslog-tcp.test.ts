import iconv from 'iconv-lite';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Listener } from './listener.js';
import { RateLimiter } from './rate-limit.js';
import { resolveListenerConfig, type ListenerConfig } from './listener-config.js';
import { startTcpListener } from './syslog-tcp.js';
import { RecordingSink, eventually, metricValue } from './test-support/recording-sink.js';

let listenerSeq = 0;
const routing = { limiter: new RateLimiter() };
const open: Listener[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(open.splice(0).map((l) => l.close()));
});

async function start(sink: RecordingSink, overrides: Partial<ListenerConfig> = {}): Promise<{ listener: Listener; cfg: ListenerConfig }> {
  const cfg = resolveListenerConfig({
    name: `tcp-test-${++listenerSeq}`,
    protocol: 'tcp',
    host: '127.0.0.1',
    port: 0,
    tenant: 'acme',
    source: 'fw-1',
    format: 'rfc3164',
    ...overrides,
  });
  const listener = await startTcpListener(cfg, sink, routing);
  open.push(listener);
  return { listener, cfg };
}

function connect(listener: Listener): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(listener.address().port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
    sockets.push(socket);
  });
}

function write(socket: net.Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (err) => (err ? reject(err) : resolve())));
}

function closed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

describe('startTcpListener', () => {
  it('delivers 100,000 lines from concurrent connections, in order per connection', async () => {
    const sink = new RecordingSink();
    const { listener, cfg } = await start(sink);
    const connections = 4;
    const perConnection = 25_000;
    const senders = await Promise.all(Array.from({ length: connections }, () => connect(listener)));
    await Promise.all(
      senders.map(async (socket, c) => {
        // Written in pieces that do not align with lines, so frames span chunks.
        let text = '';
        for (let i = 0; i < perConnection; i++) text += `<13>conn=${c} seq=${i} ${i % 3 === 0 ? 'ログ' : 'msg'}\n`;
        const bytes = Buffer.from(text);
        for (let at = 0; at < bytes.length; at += 7_777) await write(socket, bytes.subarray(at, at + 7_777));
      }),
    );
    await sink.waitFor(connections * perConnection, 20_000);

    expect(sink.records).toHaveLength(connections * perConnection);
    const byPeer = new Map<string, number[]>();
    const seqOf = /^<13>conn=\d+ seq=(\d+) (?:ログ|msg)$/;
    for (const r of sink.records) {
      const seqs = byPeer.get(r.peer!) ?? [];
      seqs.push(Number(seqOf.exec(r.data)?.[1] ?? -1));
      byPeer.set(r.peer!, seqs);
    }
    expect(byPeer.size).toBe(connections);
    for (const seqs of byPeer.values()) expect(seqs).toEqual(Array.from({ length: perConnection }, (_, i) => i));
    expect(sink.records[0]).toMatchObject({ tenant: 'acme', source: 'fw-1', format: 'rfc3164' });
    expect(sink.batches).toBeLessThan(connections * perConnection / 10);
    expect(await metricValue('mamori_collect_received_total', { listener: cfg.name })).toBe(connections * perConnection);
  });

  it('slows a fast sender down while the sink is busy, and loses nothing', async () => {
    const sink = new RecordingSink();
    const { listener } = await start(sink);
    const sender = await connect(listener);
    const line = `<13>${'p'.repeat(1_019)}\n`; // 1 KiB per line
    const lines = 32 * 1024; // 32 MiB: more than the kernel buffers on both ends hold
    const payload = Buffer.from(line.repeat(lines));

    sink.hold();
    let finished = false;
    let sawBackpressure = false;
    const writes = (async () => {
      for (let at = 0; at < payload.length; at += 256 * 1024) {
        if (!sender.write(payload.subarray(at, at + 256 * 1024))) {
          sawBackpressure = true;
          await new Promise((resolve) => sender.once('drain', resolve));
        }
      }
      finished = true;
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      // The listener read one batch and stopped: the sender is stuck until the sink moves.
      expect(finished).toBe(false);
      expect(sawBackpressure).toBe(true);
      expect(sink.records).toHaveLength(0);
    } finally {
      sink.release();
    }
    await writes;
    await sink.waitFor(lines, 20_000);
    expect(sink.records).toHaveLength(lines);
    expect(sink.records.every((r) => r.data === line.slice(0, -1))).toBe(true);
  });

  it('stops reading while the sink reports pressure and resumes when it clears', async () => {
    const sink = new RecordingSink();
    sink.underPressure = true;
    const { listener } = await start(sink);
    const sender = await connect(listener);
    await write(sender, '<13>first\n');
    await sink.waitFor(1);
    await write(sender, '<13>second\n<13>third\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sink.records.map((r) => r.data)).toEqual(['<13>first']);

    sink.underPressure = false;
    await sink.waitFor(3);
    expect(sink.records.map((r) => r.data)).toEqual(['<13>first', '<13>second', '<13>third']);
  });

  it('reads octet-counted frames, mixed with newline frames, over a real socket', async () => {
    const sink = new RecordingSink();
    const { listener } = await start(sink);
    const sender = await connect(listener);
    const counted = '<165>1 2024-05-01T10:00:00Z host app - - - multi\nline';
    const utf8Counted = '<13>ログイン失敗';
    await write(sender, `${Buffer.byteLength(counted)} ${counted}<13>plain\n${Buffer.byteLength(utf8Counted)} ${utf8Counted}`);
    await sink.waitFor(3);
    expect(sink.records.map((r) => r.data)).toEqual([counted, '<13>plain', utf8Counted]);
  });

  it('decodes Shift_JIS senders', async () => {
    const sink = new RecordingSink();
    const { listener } = await start(sink, { charset: 'shift_jis' });
    const sender = await connect(listener);
    await write(sender, Buffer.concat([iconv.encode('<13>ログイン失敗', 'shift_jis'), Buffer.from('\r\n')]));
    await sink.waitFor(1);
    expect(sink.records[0].data).toBe('<13>ログイン失敗');
  });

  it('cuts an oversized line and keeps the stream going', async () => {
    const sink = new RecordingSink();
    const { listener, cfg } = await start(sink, { maxMessageBytes: 1_024 });
    const sender = await connect(listener);
    await write(sender, `<13>before\n<13>${'z'.repeat(1_000_000)}\n<13>after\n`);
    await sink.waitFor(3);
    expect(sink.records.map((r) => r.data.length)).toEqual([10, 1_024, 9]);
    expect(sink.records[1].truncatedFrom).toBe(1_000_004);
    expect(await metricValue('mamori_collect_oversize_total', { listener: cfg.name })).toBe(1);
  });

  it('isolates a connection that sends garbage and resets from the others', async () => {
    const sink = new RecordingSink();
    const { listener } = await start(sink, { maxMessageBytes: 4_096 });
    const good = await connect(listener);
    const bad = await connect(listener);
    const garbage = Buffer.alloc(200_000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 131 + 7) & 0xff;
    await write(bad, Buffer.concat([Buffer.from('99999999999 <'), garbage, Buffer.from('123 <no end')]));
    bad.resetAndDestroy();
    for (let i = 0; i < 100; i++) await write(good, `<13>good ${i}\n`);
    await eventually(() => sink.records.filter((r) => r.data.startsWith('<13>good')).length === 100);
    const goods = sink.records.filter((r) => r.data.startsWith('<13>good')).map((r) => r.data);
    expect(goods).toEqual(Array.from({ length: 100 }, (_, i) => `<13>good ${i}`));
  });

  it('refuses connections over maxConnections and counts them', async () => {
    const sink = new RecordingSink();
    const { listener, cfg } = await start(sink, { maxConnections: 2 });
    const first = await connect(listener);
    const second = await connect(listener);
    await eventually(async () => (await metricValue('mamori_collect_tcp_connections', { listener: cfg.name })) === 2);
    const third = await connect(listener);
    await closed(third);
    expect(await metricValue('mamori_collect_tcp_rejected_total', { listener: cfg.name })).toBe(1);
    await write(first, '<13>one\n');
    await write(second, '<13>two\n');
    await sink.waitFor(2);
    expect(sink.records.map((r) => r.data).sort()).toEqual(['<13>one', '<13>two']);
  });

  it('resets a connection whose batch the sink rejects, without touching the others', async () => {
    const sink = new RecordingSink();
    const { listener, cfg } = await start(sink);
    const failing = await connect(listener);
    const healthy = await connect(listener);
    sink.failNext = 1;
    await write(failing, '<13>lost\n');
    await closed(failing);
    expect(await metricValue('mamori_collect_errors_total', { listener: cfg.name, reason: 'sink_error' })).toBe(1);
    await write(healthy, '<13>kept\n');
    await sink.waitFor(1);
    expect(sink.records.map((r) => r.data)).toEqual(['<13>kept']);
  });

  it('delivers a last unterminated line when the sender closes', async () => {
    const sink = new RecordingSink();
    const { listener, cfg } = await start(sink);
    const sender = await connect(listener);
    sender.end('<13>a\n<13>no newline');
    await sink.waitFor(2);
    expect(sink.records.map((r) => r.data)).toEqual(['<13>a', '<13>no newline']);
    await eventually(async () => (await metricValue('mamori_collect_tcp_connections', { listener: cfg.name })) === 0);
  });

  it('close() waits for pending accepts, then ends idle and busy connections', async () => {
    const sink = new RecordingSink();
    const { listener } = await start(sink);
    const { port } = listener.address();
    const idle = await connect(listener);
    const busy = await connect(listener);
    sink.hold();
    await write(busy, '<13>pending\n');
    await eventually(() => sink.batches === 1);

    let closedListener = false;
    const closing = listener.close().then(() => (closedListener = true));
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closedListener).toBe(false);
    } finally {
      sink.release();
    }
    await closing;
    expect(sink.records.map((r) => r.data)).toEqual(['<13>pending']);
    await Promise.all([closed(idle), closed(busy)]);
    expect(listener.address().port).toBe(port);
    await expect(connect(listener)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
