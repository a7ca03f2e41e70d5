import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBus } from '../bus/local/local-bus.js';
import { registry } from '../core/telemetry.js';
import { BusSink, RAW_TOPIC } from '../pipeline/bus-sink.js';
import { bootstrap } from '../server/bootstrap.js';
import { ChdbEventStore } from '../store/events/chdb-store.js';
import { openStateStore, type StateStore } from '../store/state/state-store.js';
import { buildApp } from './app.js';
import { AdminService } from './services/admin.service.js';
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

beforeAll(async () => {
  state = await openStateStore({ kind: 'sqlite', path: path.join(dir, 'state.db') });
  events = new ChdbEventStore(path.join(dir, 'events'));
  await events.init();
  bus = await LocalBus.open(path.join(dir, 'bus'));
  const sink = new BusSink(bus, () => lag, 1_000);
  const boot = await bootstrap(state, dir, true, { MAMORI_ADMIN_PASSWORD: 'correct horse battery staple' });
  ingestToken = boot.demoIngestToken!;
  app = await buildApp({
    auth: new AuthService(state, 1),
    admin: new AdminService(state),
    events: new EventService(events),
    ingest: new IngestService(state, sink, { maxBodyBytes: 1_000_000, maxLineBytes: 1_000 }),
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
  it('answers 503 with Retry-After while the pipeline is behind, accepting nothing, and 200 again once it caught up', async () => {
    expect((await ingest('one\ntwo')).json()).toEqual({ accepted: 2 });
    const before = appended();
    lag = 5_000;
    const refused = await ingest('three');
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().error.code).toBe('MAMORI_E_OVERLOADED');
    expect(appended()).toBe(before);
    expect(await registry.getSingleMetricAsString('mamori_collect_http_rejected_total')).toMatch(/reason="pressure"} 1/);
    lag = 0;
    expect((await ingest('three')).statusCode).toBe(200);
    expect(appended()).toBe(before + 1);
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
