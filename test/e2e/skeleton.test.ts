import dgram from 'node:dgram';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, cli, eventually, startServer, type TestServer } from '../support/server.js';

// End to end on the real `mamori serve`: syslog over UDP and TCP, HTTP
// ingest, search through the API and the CLI, administration, tenant
// isolation and hostile input.
let server: TestServer;
const since = { from: 'now-2d', to: 'now+1h' };

beforeAll(async () => {
  server = await startServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const fwLine = (i: number, src: string, outcome: string) =>
  `<134>Nov 22 10:00:${String(i % 60).padStart(2, '0')} fw01 CEF:0|Fortinet|FortiGate|7.2|${i}|traffic ${outcome}|5|src=${src} dst=203.0.113.${i % 250} spt=${40000 + i} dpt=443 proto=TCP outcome=${outcome} msg=e2e-run-${i}`;

async function count(token: string, q: string, tenant?: string): Promise<number> {
  const qs = new URLSearchParams({ q, from: String(Date.now() - 400 * 86_400_000), to: String(Date.now() + 86_400_000) });
  if (tenant) qs.set('tenant', tenant);
  const r = await api(server, token, 'GET', `/api/v1/events/count?${qs}`);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json.count;
}

describe('first start', () => {
  it('prints the admin password and the demo ingest token once, and signs in with the password', async () => {
    expect(server.adminPassword.length).toBeGreaterThanOrEqual(15);
    expect(server.demoIngestToken).toMatch(/^mmi_/);
    const r = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: server.adminPassword }),
    });
    expect(r.status).toBe(200);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/mamori_session=mms_.*HttpOnly/i);
    const me = await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie: cookie.split(';')[0] } });
    expect((await me.json()).role).toBe('platform_admin');
    const bad = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: 'wrong-password-123' }),
    });
    expect(bad.status).toBe(401);
  });
});

describe('syslog collection', () => {
  it('stores lines sent over UDP, TCP newline framing and TCP octet counting, and finds them by field and CIDR', async () => {
    const udp = dgram.createSocket('udp4');
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((r) => udp.send(fwLine(i, `10.20.0.${i}`, 'failure'), server.syslogPort, '127.0.0.1', () => r()));
    }
    udp.close();
    const tcp = net.connect(server.syslogPort, '127.0.0.1');
    await new Promise((r) => tcp.once('connect', r));
    let payload = '';
    for (let i = 20; i < 40; i++) payload += fwLine(i, `10.30.0.${i}`, 'success') + '\n';
    for (let i = 40; i < 60; i++) {
      const msg = fwLine(i, `192.168.5.${i}`, 'failure');
      payload += `${Buffer.byteLength(msg)} ${msg}`;
    }
    tcp.end(payload);
    await eventually(async () => (await count(server.adminToken, 'msg*e2e-run OR e2e-run', 'demo')) >= 60, 30_000, '60 syslog events');
    expect(await count(server.adminToken, 'source.ip:10.0.0.0/8 AND event.outcome:failure', 'demo')).toBe(20);
    expect(await count(server.adminToken, 'source.ip:10.0.0.0/8', 'demo')).toBe(40);
    expect(await count(server.adminToken, 'source.ip:192.168.0.0/16 AND NOT event.outcome:success', 'demo')).toBe(20);
    expect(await count(server.adminToken, 'destination.port:[400 TO 500] AND observer.vendor:Fortinet', 'demo')).toBe(60);
    const r = await api(server, server.adminToken, 'GET', `/api/v1/events?q=${encodeURIComponent('"e2e-run-7"')}&from=now-400d&to=now%2B1d&tenant=demo`);
    expect(r.status).toBe(200);
    const event = r.json.events.find((e: any) => String(e['event.original']).endsWith('msg=e2e-run-7'));
    expect(event['tenant.id']).toBe('demo');
    expect(event['source.ip']).toBe('10.20.0.7');
    expect(event['mamori.source']).toBe('syslog');
    expect(event['event.id']).toMatch(/^[0-9a-z]{20}$/);
  });
});

describe('HTTP ingest', () => {
  it('accepts NDJSON, plain lines and gzip with a source token, and refuses unknown tokens', async () => {
    const ndjson = Array.from({ length: 10 }, (_, i) => JSON.stringify({ '@timestamp': new Date().toISOString(), message: `http-ndjson-${i}`, source: { ip: '172.16.1.1' } })).join('\n');
    const a = await api(server, server.demoIngestToken, 'POST', '/api/v1/ingest', ndjson, { 'content-type': 'application/x-ndjson' });
    expect(a.status).toBe(200);
    expect(a.json.accepted).toBe(10);
    const text = Array.from({ length: 5 }, (_, i) => `<13>1 2026-11-22T01:00:00Z web01 app - - - http-text-${i}`).join('\r\n');
    const gz = gzipSync(Buffer.from(text));
    const b = await api(server, server.demoIngestToken, 'POST', '/api/v1/ingest', new Uint8Array(gz), { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    expect(b.json.accepted).toBe(5);
    await eventually(async () => (await count(server.adminToken, 'http-ndjson* OR http-text*', 'demo')) === 15, 20_000, 'http events');
    expect(await count(server.adminToken, 'source.ip:172.16.0.0/12 AND message:http-ndjson-3', 'demo')).toBe(1);
    // ECS arrays of different lengths under one prefix must not block storage.
    const arrays = JSON.stringify({ message: 'http-arrays', event: { category: ['network'], type: ['connection', 'allowed'] }, destination: { port: 8443 } });
    expect((await api(server, server.demoIngestToken, 'POST', '/api/v1/ingest', arrays, { 'content-type': 'application/x-ndjson' })).status).toBe(200);
    await eventually(async () => (await count(server.adminToken, 'message:http-arrays AND event.category:network', 'demo')) === 1, 20_000, 'array event');
    const top = await api(server, server.adminToken, 'GET', '/api/v1/events/top?field=destination.port&q=message:http-arrays&from=now-1d&to=now%2B1d');
    expect(top.json.values).toEqual([{ value: '8443', count: 1 }]);
    const unknown = await api(server, 'mmi_notatoken', 'POST', '/api/v1/ingest', 'x', { 'content-type': 'text/plain' });
    expect(unknown.status).toBe(401);
    const bomb = gzipSync(Buffer.alloc(80 * 1024 * 1024, 0x61));
    const c = await api(server, server.demoIngestToken, 'POST', '/api/v1/ingest', new Uint8Array(bomb), { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    expect(c.status).toBe(413);
  });
});

describe('administration through the CLI', () => {
  const env = () => ({ MAMORI_SERVER: server.url, MAMORI_TOKEN: server.adminToken });

  it('adds tenants, sources and users, and searches with --count, --histogram, --top and --json', async () => {
    let r = await cli(['tenants', 'add', 'acme', '--name', 'ACME 株式会社', '--language', 'en'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    r = await cli(['tenants', 'list', '--json'], env());
    const tenants = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(tenants.map((t) => t.id).sort()).toEqual(['acme', 'demo']);
    expect(tenants.find((t) => t.id === 'acme').name).toBe('ACME 株式会社');
    r = await cli(['sources', 'add', '--tenant', 'acme', '--format', 'rfc5424', '--charset', 'shift_jis', '--json'], env());
    const source = JSON.parse(r.stdout);
    expect(source.token).toMatch(/^mmi_/);
    r = await cli(['users', 'add', 'acme-admin', '--role', 'customer_admin', '--tenant', 'acme', '--password', 'correct horse battery', '--json'], env());
    expect(JSON.parse(r.stdout).tenant_id).toBe('acme');
    r = await cli(['search', '--tenant', 'demo', '--since', '400d', '--to', 'now+1d', 'source.ip:10.0.0.0/8 AND event.outcome:failure', '--count'], env());
    expect(r.stdout.trim()).toBe('20');
    r = await cli(['search', '--tenant', 'demo', '--since', '400d', '--to', 'now+1d', '--top', 'source.ip', 'e2e-run', '--json'], env());
    const top = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(top).toHaveLength(10);
    expect(top[0].count).toBe(1);
    r = await cli(['search', '--tenant', 'demo', '--since', '400d', '--to', 'now+1d', '--histogram', '1d', 'e2e-run'], env());
    const histogramTotal = r.stdout.trim().split('\n').reduce((n, l) => n + Number(l.split(/\s+/)[1]), 0);
    expect(histogramTotal).toBe(60);
    r = await cli(['search', '--tenant', 'demo', '--since', '400d', '--to', 'now+1d', 'e2e-run-1*', '--json', '--limit', '5'], env());
    expect(r.stdout.trim().split('\n')).toHaveLength(5);
  });

  it('imports a file with a summary of read, stored and failed lines', async () => {
    const file = path.join(server.dataDir, 'import.log.gz');
    const lines = [...Array.from({ length: 200 }, (_, i) => `<34>1 2026-11-21T10:00:00.${String(i).padStart(3, '0')}Z host${i % 3} sshd 42 - - import-line-${i}`), '<34>1 this is not rfc5424', 'garbage without header'];
    writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
    const r = await cli(['ingest', 'file', file, '--tenant', 'acme', '--format', 'rfc5424', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.read).toBe(202);
    expect(summary.stored).toBe(202);
    expect(summary.failed).toBe(2);
    expect(summary.failures[0].value).toMatch(/rfc5424/);
  });

  it('parses stdin without a server', async () => {
    const r = await cli(['parse', '--format', 'rfc5424'], {}, '<34>1 2026-11-21T10:00:00Z h1 app - - - one\nbad line\n<34>1 2026-11-21T10:00:01Z h2 app - - - three\n');
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e['host.name'] ?? null)).toEqual(['h1', null, 'h2']);
    expect(events[1]['event.kind']).toBe('pipeline_error');
    const unknown = await cli(['parse', '--format', 'nope'], {}, 'x\n');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/rfc5424/);
  });
});

describe('tenant isolation', () => {
  it('gives a customer of one tenant nothing of another through search, events, count, top, histogram, sources, tenants or ingest', async () => {
    // The customer of acme signs in with a password and gets an API token.
    const t = await fetch(`${server.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'acme-admin', password: 'correct horse battery' }),
    });
    expect(t.status).toBe(200);
    const token = (await t.json()).token;
    expect(await count(token, '')).toBe(202); // only acme's imported lines
    expect(await count(token, '', 'demo')).toBe(0);
    expect(await count(token, 'tenant.id:demo')).toBe(0);
    const ev = await api(server, token, 'GET', '/api/v1/events?q=e2e-run&from=now-400d&to=now%2B1d&limit=1000');
    expect(ev.json.events).toEqual([]);
    const top = await api(server, token, 'GET', '/api/v1/events/top?field=tenant.id&from=now-400d&to=now%2B1d');
    expect(top.json.values).toEqual([{ value: 'acme', count: 202 }]);
    const hist = await api(server, token, 'GET', '/api/v1/events/histogram?interval=1d&tenant=demo&from=now-400d&to=now%2B1d');
    expect(hist.json.buckets.every((b: any) => b.count === 0)).toBe(true);
    const tenants = await api(server, token, 'GET', '/api/v1/tenants');
    expect(tenants.json.items.map((x: any) => x.id)).toEqual(['acme']);
    const sources = await api(server, token, 'GET', '/api/v1/sources');
    expect(sources.json.items.every((s: any) => s.tenant_id === 'acme')).toBe(true);
    const ingest = await api(server, token, 'POST', '/api/v1/ingest?tenant=demo&format=auto', 'x', { 'content-type': 'text/plain' });
    expect(ingest.status).toBeGreaterThanOrEqual(403);
    const addSource = await api(server, token, 'POST', '/api/v1/sources', { tenant: 'demo', format: 'auto' });
    expect(addSource.status).toBe(404);
    // The demo source's token writes into demo only, whatever the query string says.
    const cross = await api(server, server.demoIngestToken, 'POST', '/api/v1/ingest?tenant=acme&format=json', 'cross-tenant-attempt', { 'content-type': 'text/plain' });
    expect(cross.status).toBe(200);
    await eventually(async () => (await count(server.adminToken, 'cross-tenant-attempt', 'demo')) === 1, 20_000, 'cross event');
    expect(await count(token, 'cross-tenant-attempt')).toBe(0);
  });
});

describe('hostile input', () => {
  it('stores malformed and invalid UTF-8 lines raw with a reason, cuts a 10 MB line, and keeps the good lines around them', async () => {
    const tcp = net.connect(server.syslogPort, '127.0.0.1');
    await new Promise((r) => tcp.once('connect', r));
    tcp.write('<999>not syslog at all hostile-good-0\n');
    tcp.write(Buffer.concat([Buffer.from('<13>Nov 22 10:00:00 h1 app: hostile-utf8 '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\n')]));
    tcp.write('<13>Nov 22 10:00:00 h1 app: hostile-good-1\n');
    tcp.write('A'.repeat(10 * 1024 * 1024) + ' hostile-huge\n');
    tcp.end('<13>Nov 22 10:00:00 h1 app: hostile-good-2\n');
    await eventually(async () => (await count(server.adminToken, 'hostile-good*', 'demo')) === 3, 30_000, 'good lines around hostile ones');
    expect(await count(server.adminToken, 'hostile-utf8', 'demo')).toBe(1);
    expect(await count(server.adminToken, 'hostile-utf8 AND mamori.decode_errors:true', 'demo')).toBe(1);
    expect(await count(server.adminToken, 'labels.truncated:true', 'demo')).toBe(1);
    const r = await api(server, server.adminToken, 'GET', `/api/v1/events?q=${encodeURIComponent('"hostile-utf8"')}&from=now-400d&to=now%2B1d`);
    expect(r.json.events[0]['event.original']).toContain('\ufffd');
  });

  it('answers bad API requests with clear errors and keeps running', async () => {
    let deep = '';
    for (let i = 0; i < 10_000; i++) deep += '{"a":';
    deep += '1' + '}'.repeat(10_000);
    const r1 = await api(server, server.adminToken, 'POST', '/api/v1/tenants', deep, { 'content-type': 'application/json' });
    expect(r1.status).toBe(400);
    const r2 = await api(server, server.demoIngestToken, 'POST', '/api/v1/ingest', deep, { 'content-type': 'application/x-ndjson' });
    expect(r2.status).toBe(200);
    for (const q of [`user.name:"x' OR 1=1 --"`, `'); DROP TABLE events; --`, 'source.ip:abc', '((((((', 'a\\']) {
      const r = await api(server, server.adminToken, 'GET', `/api/v1/events/count?q=${encodeURIComponent(q)}&from=now-400d&to=now%2B1d`);
      expect([200, 400]).toContain(r.status);
      if (r.status === 400) expect(r.json.error.code).toMatch(/MAMORI_E_(QUERY|INVALID)/);
      else expect(r.json.count).toBe(0);
    }
    const unauth = await api(server, 'mmr_wrong', 'GET', '/api/v1/events');
    expect(unauth.status).toBe(401);
    const health = await fetch(`${server.url}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(await count(server.adminToken, 'e2e-run', 'demo')).toBe(60);
  });
});

describe('metrics', () => {
  it('exports pipeline counters in Prometheus text format', async () => {
    const r = await api(server, server.adminToken, 'GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.json).toMatch(/mamori_store_events_total \d+/);
    expect(r.json).toMatch(/mamori_parse_errors_total\{format="rfc5424"/);
    expect(r.json).toMatch(/mamori_parse_errors_by_source_total\{source="[^"]+",format="rfc5424"\} [1-9]/);
    expect(r.json).toMatch(/mamori_pipeline_latency_seconds_bucket/);
    const anonymous = await fetch(`${server.url}/metrics`);
    expect(anonymous.status).toBe(401);
  });
});
