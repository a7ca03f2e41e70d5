import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { MamoriError } from '../core/errors.js';
import type { Listener } from './listener.js';
import { RateLimiter } from './rate-limit.js';
import { resolveListenerConfig, type ListenerConfig } from './listener-config.js';
import { startUdpListener } from './syslog-udp.js';
import { RecordingSink, eventually, metricValue } from './test-support/recording-sink.js';

let listenerSeq = 0;
const routing = { limiter: new RateLimiter() };
const open: Listener[] = [];
const clients: dgram.Socket[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(open.splice(0).map((l) => l.close()));
});

function config(overrides: Partial<ListenerConfig> = {}): ListenerConfig {
  return resolveListenerConfig({
    name: `udp-test-${++listenerSeq}`,
    protocol: 'udp',
    host: '127.0.0.1',
    port: 0,
    tenant: 'acme',
    source: 'fw-1',
    format: 'rfc5424',
    timezone: 'Asia/Tokyo',
    ...overrides,
  });
}

async function start(sink: RecordingSink, overrides: Partial<ListenerConfig> = {}): Promise<{ listener: Listener; cfg: ListenerConfig }> {
  const cfg = config(overrides);
  const listener = await startUdpListener(cfg, sink, routing);
  open.push(listener);
  return { listener, cfg };
}

async function client(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  clients.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

function send(socket: dgram.Socket, port: number, payload: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => socket.send(payload, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
}

describe('startUdpListener', () => {
  it('delivers 1,000 datagrams as records bound to the listener, in batches', async () => {
    const sink = new RecordingSink();
    const { listener, cfg } = await start(sink);
    const { port } = listener.address();
    const sender = await client();
    for (let i = 0; i < 1_000; i++) await send(sender, port, `<13>msg ${i}\n`);
    await sink.waitFor(1_000);

    expect(new Set(sink.records.map((r) => r.data))).toEqual(new Set(Array.from({ length: 1_000 }, (_, i) => `<13>msg ${i}`)));
    const record = sink.records[0];
    expect(record).toMatchObject({ tenant: 'acme', source: 'fw-1', format: 'rfc5424', timezone: 'Asia/Tokyo' });
    expect(record.peer).toBe(`127.0.0.1:${sender.address().port}`);
    expect(record.id).toHaveLength(20);
    expect(new Set(sink.records.map((r) => r.id)).size).toBe(1_000);
    expect(Math.abs(record.received - Date.now())).toBeLessThan(10_000);
    expect(sink.batches).toBeLessThan(1_000);
    expect(await metricValue('mamori_collect_received_total', { listener: cfg.name })).toBe(1_000);
  });

  it('delivers invalid UTF-8 with U+FFFD and counts it', async () => {
    const sink = new RecordingSink();
    const { listener, cfg } = await start(sink);
    const sender = await client();
    await send(sender, listener.address().port, Buffer.concat([Buffer.from('<13>bad '), Buffer.from([0xff, 0xfe]), Buffer.from(' end')]));
    await sink.waitFor(1);
    expect(sink.records[0].data).toBe('<13>bad \uFFFD\uFFFD end');
    expect(await metricValue('mamori_collect_decode_replacements_total', { listener: cfg.name })).toBe(1);
  });

  it('strips a trailing CRLF or NUL, skips empty datagrams and cuts oversized ones', async () => {
    const sink = new RecordingSink();
    const { listener, cfg } = await start(sink, { maxMessageBytes: 512 });
    const { port } = listener.address();
    const sender = await client();
    await send(sender, port, '\r\n');
    await send(sender, port, '<13>crlf\r\n');
    await send(sender, port, '<13>nul\0');
    await send(sender, port, `<13>${'x'.repeat(1996)}`);
    await sink.waitFor(3);
    expect(sink.records.map((r) => r.data.slice(0, 10))).toEqual(['<13>crlf', '<13>nul', '<13>xxxxxx']);
    expect(sink.records[2].data).toHaveLength(512);
    expect(sink.records[2].truncatedFrom).toBe(2000);
    expect(sink.records[0].truncatedFrom).toBeUndefined();
    expect(await metricValue('mamori_collect_oversize_total', { listener: cfg.name })).toBe(1);
  });

  it('decodes the configured charset', async () => {
    const sink = new RecordingSink();
    const { listener } = await start(sink, { charset: 'euc-jp' });
    const sender = await client();
    await send(sender, listener.address().port, Buffer.from([0x3c, 0x31, 0x33, 0x3e, 0xa5, 0xed, 0xa5, 0xb0]));
    await sink.waitFor(1);
    expect(sink.records[0].data).toBe('<13>ログ');
  });

  it('counts every datagram it drops while the sink is under pressure, then recovers', async () => {
    const sink = new RecordingSink();
    sink.underPressure = true;
    const { listener, cfg } = await start(sink);
    const { port } = listener.address();
    const labels = { listener: cfg.name, reason: 'backpressure' };
    const sender = await client();
    for (let i = 0; i < 100; i++) await send(sender, port, `<13>dropped ${i}`);
    await eventually(async () => (await metricValue('mamori_collect_udp_dropped_total', labels)) === 100);
    expect(sink.records).toHaveLength(0);

    sink.underPressure = false;
    await send(sender, port, '<13>kept');
    await sink.waitFor(1);
    expect(sink.records.map((r) => r.data)).toEqual(['<13>kept']);
  });

  it('counts the records of a batch the sink rejects as dropped, and keeps listening', async () => {
    const sink = new RecordingSink();
    sink.failNext = 1;
    const { listener, cfg } = await start(sink);
    const { port } = listener.address();
    const sender = await client();
    await send(sender, port, '<13>lost');
    await eventually(async () => (await metricValue('mamori_collect_udp_dropped_total', { listener: cfg.name, reason: 'sink_error' })) === 1);
    await send(sender, port, '<13>kept');
    await sink.waitFor(1);
    expect(sink.records.map((r) => r.data)).toEqual(['<13>kept']);
  });

  it('hands the last partial batch to the sink on close', async () => {
    const sink = new RecordingSink();
    sink.delayMs = 50;
    const { listener } = await start(sink);
    const sender = await client();
    await send(sender, listener.address().port, '<13>last');
    await eventually(async () => (await metricValue('mamori_collect_received_total', { listener: listener.name })) === 1);
    await listener.close();
    expect(sink.records.map((r) => r.data)).toEqual(['<13>last']);
  });

  it('fails to start on an unknown charset or a port in use', async () => {
    const sink = new RecordingSink();
    await expect(startUdpListener(config({ charset: 'no-such-charset' }), sink, routing)).rejects.toMatchObject({ code: 'MAMORI_E_INVALID' });
    const { listener } = await start(sink);
    const taken = startUdpListener(config({ port: listener.address().port }), sink, routing);
    await expect(taken).rejects.toBeInstanceOf(MamoriError);
    await expect(taken).rejects.toMatchObject({ code: 'MAMORI_E_CONFIG' });
  });
});
