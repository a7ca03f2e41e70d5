import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { LocalBus } from '../bus/local/local-bus.js';
import { RateLimiter } from '../collect/rate-limit.js';
import { newEventId } from '../core/ids.js';
import type { RawRecord } from '../core/raw-record.js';
import { decodeRecord } from '../pipeline/raw-codec.js';
import { registry } from '../core/telemetry.js';
import { BusSink, RAW_TOPIC } from '../pipeline/bus-sink.js';
import { bootstrap } from '../server/bootstrap.js';
import { ChdbEventStore } from '../store/events/chdb-store.js';
import { openStateStore, type StateStore } from '../store/state/state-store.js';
import { buildApp } from './app.js';
import { AdminService } from './services/admin.service.js';
import { AlertService } from './services/alert.service.js';
import { AuthService } from './services/auth.service.js';
import { EventService } from './services/event.service.js';
import { IngestService } from './services/ingest.service.js';

// The HTTP application in-process (Fastify inject) over the real stores and
// the real bus sink; only the processing lag that drives back-pressure is
// set by the test.
const dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-api-'));
let app: FastifyInstance;
let state: StateStore;
let bus: LocalBus;
let events: ChdbEventStore;
let lag = 0;
let ingestToken: string;
let adminToken: string;

/** A new source of the demo tenant; returns its id and ingest token. */
async function addSource(fields: Record<string, unknown>): Promise<{ id: string; token: string }> {
  const created = await app.inject({ method: 'POST', url: '/api/v1/sources', headers: { authorization: `Bearer ${adminToken}` }, payload: { tenant: 'demo', format: 'rfc3164', ...fields } });
  expect(created.statusCode).toBe(200);
  return { id: created.json().id, token: created.json().token };
}

beforeAll(async () => {
  state = await openStateStore({ kind: 'sqlite', path: path.join(dir, 'state.db') });
  events = new ChdbEventStore(path.join(dir, 'events'));
  await events.init();
  bus = await LocalBus.open(path.join(dir, 'bus'));
  const sink = new BusSink(bus, () => lag, 1_000);
  const boot = await bootstrap(state, dir, true, { MAMORI_ADMIN_PASSWORD: 'correct horse battery staple' });
  ingestToken = boot.demoIngestToken!;
  adminToken = readFileSync(boot.adminTokenFile, 'utf8').trim();
  app = await buildApp({
    auth: new AuthService(state, 1),
    admin: new AdminService(state),
    events: new EventService(events),
    alerts: new AlertService(state),
    ingest: new IngestService(state, sink, { maxBodyBytes: 1_000_000, maxLineBytes: 1_000 }, new RateLimiter()),
    metrics: () => registry.metrics(),
    maxBodyBytes: 1_000_000,
    version: 'test',
    secureCookies: true,
  });
});

afterAll(async () => {
  await app?.close();
  await bus?.close();
  await events?.close();
  await state?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ingest = (body: string) =>
  app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'text/plain' }, payload: body });
const appended = () => bus.stats()[RAW_TOPIC]?.nextOffset ?? 0;

describe('HTTP API', () => {
  it('answers 429 with Retry-After while the pipeline is behind, accepting nothing, and 200 again once it caught up', async () => {
    expect((await ingest('one\ntwo')).json()).toEqual({ accepted: 2 });
    const before = appended();
    lag = 5_000;
    const refused = await ingest('three');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().error.code).toBe('MAMORI_E_OVERLOADED');
    expect(appended()).toBe(before);
    expect(await registry.getSingleMetricAsString('mamori_collect_http_rejected_total')).toMatch(/reason="pressure"} 1/);
    lag = 0;
    expect((await ingest('three')).statusCode).toBe(200);
    expect(appended()).toBe(before + 1);
  });

  it('limits a source to its events per second: 429 with the wait in Retry-After, nothing of the refused batch kept', async () => {
    const { token, id } = await addSource({ rate_limit_eps: 10 });
    const send = (n: number) =>
      app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, payload: Array.from({ length: n }, (_, i) => `line ${i}`).join('\n') });
    // The bucket holds two seconds (20 events); a batch of 50 runs it 30 into debt, the next one must wait ~3 s.
    expect((await send(50)).statusCode).toBe(200);
    const before = appended();
    const refused = await send(1);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('MAMORI_E_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(3);
    expect(appended()).toBe(before);
    // Lifting the limit takes effect at once.
    const patched = await app.inject({ method: 'PATCH', url: `/api/v1/sources/${id}`, headers: { authorization: `Bearer ${adminToken}` }, payload: { rate_limit_eps: null } });
    expect(patched.json()).toMatchObject({ rate_limit_eps: null });
    expect((await send(1)).statusCode).toBe(200);
  });

  it('takes agent batches with the agent\'s event ids, marks resent ones, and keeps an invalid envelope line as raw data', async () => {
    const { token } = await addSource({});
    const ids = [newEventId(), newEventId()];
    const envelopes = [
      { id: ids[0], received: Date.UTC(2024, 4, 1), format: 'rfc3164', data: '<13>May  1 00:00:00 host app: first', input: 'auth', path: '/var/log/auth.log' },
      { id: ids[1], received: Date.UTC(2024, 4, 1), format: 'linux-auth', data: 'second', timezone: 'Asia/Tokyo' },
    ];
    const body = gzipSync(envelopes.map((e) => JSON.stringify(e)).join('\n') + '\nnot an envelope\n');
    const reader = bus.consumer(RAW_TOPIC, `agent-test-${Date.now()}`);
    const start = appended();
    const post = (retry: boolean) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/ingest/agent',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', ...(retry ? { 'x-mamori-retry': '1' } : {}) },
        payload: body,
      });
    expect((await post(false)).json()).toEqual({ accepted: 3, invalid: 1 });
    expect((await post(true)).json()).toEqual({ accepted: 3, invalid: 1 });
    const records: RawRecord[] = [];
    for (let i = 0; i < 20 && records.length < 6; i++) {
      for (const m of await reader.read(1000, 10)) if (m.offset >= start) records.push(decodeRecord(m.payload));
    }
    expect(records).toHaveLength(6);
    expect(records.slice(0, 2).map((r) => [r.id, r.format, r.received, r.resent])).toEqual([
      [ids[0], 'rfc3164', Date.UTC(2024, 4, 1), undefined],
      [ids[1], 'linux-auth', Date.UTC(2024, 4, 1), undefined],
    ]);
    expect(records[0].labels).toEqual({ agent_input: 'auth', log_path: '/var/log/auth.log' });
    expect(records[1].timezone).toBe('Asia/Tokyo');
    expect(records[2]).toMatchObject({ data: 'not an envelope', labels: { agent_envelope: 'invalid' } });
    // An invalid line has no id of its own to recognise it by: it gets a new one each time it comes.
    expect(records.slice(3).map((r) => [r.id, r.resent])).toEqual([[ids[0], true], [ids[1], true], [records[5].id, undefined]]);
    expect(records[5].id).not.toBe(records[2].id);
    const refused = await app.inject({ method: 'POST', url: '/api/v1/ingest/agent', headers: { authorization: 'Bearer mmi_wrong', 'content-type': 'application/x-ndjson' }, payload: body });
    expect(refused.statusCode).toBe(401);
  });

  it('signs in with a secure, HttpOnly, SameSite=Strict session cookie and refuses requests without credentials', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'admin', password: 'correct horse battery staple' } });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/mamori_session=mms_[^;]+;.*HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookie.split(';')[0] } });
    expect(me.json()).toMatchObject({ login: 'admin', role: 'platform_admin', tenant_id: null });
    expect((await app.inject({ method: 'GET', url: '/api/v1/tenants' })).statusCode).toBe(401);
    const logout = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: cookie.split(';')[0] } });
    expect(logout.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookie.split(';')[0] } })).statusCode).toBe(401);
  });

  it('never returns password hashes and audits every change', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { login: 'admin', password: 'correct horse battery staple' } });
    const auth = { authorization: `Bearer ${login.json().token}` };
    const created = await app.inject({ method: 'POST', url: '/api/v1/users', headers: auth, payload: { login: 'analyst1', password: 'twelve chars min', role: 'soc_analyst' } });
    expect(created.statusCode).toBe(200);
    const users = await app.inject({ method: 'GET', url: '/api/v1/users', headers: auth });
    expect(users.body).not.toMatch(/argon2|password/i);
    const audit = await app.inject({ method: 'GET', url: '/api/v1/audit', headers: auth });
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['install.bootstrap', 'token.create', 'user.create']));
  });

  it('publishes an OpenAPI document listing the routes', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/events', '/api/v1/ingest', '/api/v1/tenants', '/api/v1/auth/login']));
  });
});
