import dgram from 'node:dgram';
import tls from 'node:tls';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestPki, type IssuedCertificate } from '../../test/support/certificates.js';
import { secretDigest } from '../store/state/secret-digest.js';
import type { Listener } from './listener.js';
import { resolveListenerConfig, type ListenerConfigInput } from './listener-config.js';
import { RateLimiter } from './rate-limit.js';
import { RoutingTable, type RoutableSource } from './routing.js';
import { startTcpListener } from './syslog-tcp.js';
import { startUdpListener } from './syslog-udp.js';
import { RecordingSink, eventually, metricValue } from './test-support/recording-sink.js';

const pki = createTestPki();
const serverCert = pki.issue('syslog.soc.example');
const fw01 = pki.issue('fw01.customer-a.example');
const fw02 = pki.issue('fw02.customer-b.example');
const stranger = pki.issue('unknown.example');
const TOKEN = 'mmi_' + 'T'.repeat(43);

const sources: RoutableSource[] = [
  { id: 'src-a', tenantId: 'customer-a', format: 'fortigate', charset: 'utf-8', timezone: 'Asia/Tokyo', rateLimitEps: null, matchCidrs: [], matchCert: 'fw01.customer-a.example', tokenHash: secretDigest('mmi_unused_a') },
  { id: 'src-b', tenantId: 'customer-b', format: 'cisco-asa', charset: 'utf-8', timezone: null, rateLimitEps: null, matchCidrs: [], matchCert: 'fw02.customer-b.example', tokenHash: secretDigest('mmi_unused_b') },
  { id: 'src-c', tenantId: 'customer-c', format: 'rfc5424', charset: 'utf-8', timezone: null, rateLimitEps: 5, matchCidrs: ['127.0.0.0/8'], matchCert: null, tokenHash: secretDigest('mmi_unused_c') },
  { id: 'src-d', tenantId: 'customer-d', format: 'rfc5424', charset: 'utf-8', timezone: null, rateLimitEps: null, matchCidrs: [], matchCert: null, tokenHash: secretDigest(TOKEN) },
];
const routing = { directory: new RoutingTable(sources, 1), limiter: new RateLimiter() };

let seq = 0;
const open: Listener[] = [];
const sockets: { destroy(): void }[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(open.splice(0).map((l) => l.close()));
});
afterAll(() => undefined);

function config(overrides: Partial<ListenerConfigInput>): ReturnType<typeof resolveListenerConfig> {
  return resolveListenerConfig({
    name: `tls-test-${++seq}`,
    protocol: 'tls',
    host: '127.0.0.1',
    port: 0,
    source: 'central',
    format: 'rfc5424',
    tls: { cert: serverCert.cert, key: serverCert.key, ca: pki.ca, clientAuth: 'require' },
    ...overrides,
  });
}

async function startTls(sink: RecordingSink, overrides: Partial<ListenerConfigInput>): Promise<Listener> {
  const listener = await startTcpListener(config(overrides), sink, routing);
  open.push(listener);
  return listener;
}

/** Connects with TLS (verifying the server against the test CA), optionally with a client certificate. */
function connect(listener: Listener, client?: IssuedCertificate): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: listener.address().port, ca: pki.ca, servername: 'localhost', cert: client?.cert, key: client?.key }, () => resolve(socket));
    socket.once('error', reject);
    sockets.push(socket);
  });
}

/** RFC 5425 octet-counted frame. */
const frame = (msg: string) => `${Buffer.byteLength(msg)} ${msg}`;

describe('syslog over TLS', () => {
  it('receives octet-counted messages over TLS, bound to the listener', async () => {
    const sink = new RecordingSink();
    const listener = await startTls(sink, { tenant: 'soc', tls: { cert: serverCert.cert, key: serverCert.key, clientAuth: 'none' } });
    const socket = await connect(listener);
    socket.write(frame('<13>1 2024-05-01T10:00:00Z fw app - - - first') + frame('<13>1 2024-05-01T10:00:01Z fw app - - - second with\nnewline'));
    await sink.waitFor(2);
    expect(sink.records.map((r) => [r.tenant, r.source, r.data])).toEqual([
      ['soc', 'central', '<13>1 2024-05-01T10:00:00Z fw app - - - first'],
      ['soc', 'central', '<13>1 2024-05-01T10:00:01Z fw app - - - second with\nnewline'],
    ]);
  });

  it('with mutual TLS, binds each device to the source of its certificate and refuses devices without one', async () => {
    const sink = new RecordingSink();
    const listener = await startTls(sink, { bindBy: ['certificate'] });
    const a = await connect(listener, fw01);
    const b = await connect(listener, fw02);
    a.write(frame('<189>date=2024-05-01 time=10:00:00 devname="fw01" logid="0000000013"'));
    b.write(frame('<166>%ASA-6-302013: Built outbound TCP connection'));
    await sink.waitFor(2);
    const byTenant = Object.fromEntries(sink.records.map((r) => [r.tenant, r]));
    expect(byTenant['customer-a']).toMatchObject({ source: 'src-a', format: 'fortigate', timezone: 'Asia/Tokyo' });
    expect(byTenant['customer-b']).toMatchObject({ source: 'src-b', format: 'cisco-asa' });
    expect(byTenant['customer-a'].data).toContain('fw01');

    const cfgName = `tls-test-${seq}`;
    await expect(
      connect(listener).then(
        (s) =>
          new Promise((resolve, reject) => {
            // TLS 1.3 reports a refused client certificate after the handshake, as a reset on first use.
            s.once('error', reject);
            s.once('close', () => reject(new Error('closed')));
            s.write(frame('<13>1 - - - - - - sneaky'));
            setTimeout(resolve, 500);
          }),
      ),
    ).rejects.toBeDefined();
    await eventually(async () => (await metricValue('mamori_collect_tls_errors_total', { listener: cfgName })) >= 1);
    expect(sink.records.some((r) => r.data.includes('sneaky'))).toBe(false);
  });

  it('drops and counts a certified sender that matches no source when the listener has no tenant of its own', async () => {
    const sink = new RecordingSink();
    const listener = await startTls(sink, { bindBy: ['certificate'] });
    const cfgName = `tls-test-${seq}`;
    const socket = await connect(listener, stranger);
    socket.write(frame('<13>1 - - - - - - who am I'));
    await eventually(async () => (await metricValue('mamori_collect_dropped_total', { listener: cfgName, reason: 'unbound' })) === 1);
    expect(sink.records).toHaveLength(0);
  });

  it('routes by a token in the message and never stores the token', async () => {
    const sink = new RecordingSink();
    const listener = await startTls(sink, { bindBy: ['certificate', 'token'], tenant: 'soc' });
    const socket = await connect(listener, stranger);
    socket.write(frame(`<13>1 2024-05-01T10:00:00Z host app - - [mamori token="${TOKEN}"] with token`) + frame('<13>1 2024-05-01T10:00:00Z host app - - - without token'));
    await sink.waitFor(2);
    expect(sink.records[0]).toMatchObject({ tenant: 'customer-d', source: 'src-d', data: '<13>1 2024-05-01T10:00:00Z host app - - [mamori token="mmi_***"] with token' });
    expect(sink.records[1]).toMatchObject({ tenant: 'soc', source: 'central' });
    expect(JSON.stringify(sink.records)).not.toContain(TOKEN);
  });
});

describe('binding by sender address, and rate limits', () => {
  it('binds UDP senders by address and drops what exceeds the source rate limit, counted', async () => {
    const sink = new RecordingSink();
    const cfg = resolveListenerConfig({ name: `udp-bind-${++seq}`, protocol: 'udp', host: '127.0.0.1', port: 0, source: 'central', format: 'rfc5424', bindBy: ['address'] });
    const listener = await startUdpListener(cfg, sink, routing);
    open.push(listener);
    const client = dgram.createSocket('udp4');
    sockets.push({ destroy: () => client.close() });
    // src-c allows 5 events/s with a two-second burst: 10 of 40 sent at once pass.
    for (let i = 0; i < 40; i++) {
      await new Promise<void>((resolve, reject) => client.send(`<13>1 - h a - - - n${i}`, listener.address().port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    }
    const dropped = () => metricValue('mamori_collect_dropped_total', { listener: cfg.name, reason: 'rate_limit' });
    await eventually(async () => sink.records.length + (await dropped()) === 40);
    // The burst (10), plus at most a token or two refilled while sending.
    expect(sink.records.length).toBeGreaterThanOrEqual(10);
    expect(sink.records.length).toBeLessThanOrEqual(12);
    expect(sink.records.every((r) => r.tenant === 'customer-c' && r.source === 'src-c')).toBe(true);
  });
});
