import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewAlert } from '../../store/state/alert.repository.js';
import { secretDigest, secretHint } from '../../store/state/secret-digest.js';
import { openStateStore, type StateStore } from '../../store/state/state-store.js';
import { buildApp } from '../app.js';
import { AdminService } from '../services/admin.service.js';
import { AlertService } from '../services/alert.service.js';
import { AuthService, API_TOKEN_PREFIX } from '../services/auth.service.js';
import type { EventService } from '../services/event.service.js';
import type { IngestService } from '../services/ingest.service.js';

// The alert routes in-process (Fastify inject) over a real SQLite state store.
// Event search and ingest are not reached by these routes, so they get no store.
const dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-alerts-api-'));
const T0 = Date.parse('2025-04-01T09:00:00.000Z');
let now = T0;
let app: FastifyInstance;
let state: StateStore;
const tokens = { analyst: `${API_TOKEN_PREFIX}analyst-token-0123456789`, customerA: `${API_TOKEN_PREFIX}customer-a-token-0123456789` };
let alertA: string;
let alertB: string;

function alert(overrides: Partial<NewAlert>): NewAlert {
  return {
    tenantId: 'tenant-a',
    ruleId: 'rule-1',
    ruleTitle: 'Brute force then success',
    ruleLevel: 'high',
    ruleSource: 'mamori-correlation',
    tags: ['attack.credential_access', 'attack.t1110.001'],
    eventIds: ['e1', 'e2'],
    events: [{ 'event.id': 'e1', 'user.name': '田中' }, { 'event.id': 'e2' }],
    groupBy: { 'source.ip': '192.0.2.7' },
    firstEventAt: new Date(T0 - 120_000),
    lastEventAt: new Date(T0 - 60_000),
    ...overrides,
  };
}

beforeAll(async () => {
  state = await openStateStore({ kind: 'sqlite', path: path.join(dir, 'state.db') }, { clock: () => new Date(now) });
  await state.tenants.create({ id: 'tenant-a', name: 'A', language: 'ja' });
  await state.tenants.create({ id: 'tenant-b', name: 'B', language: 'en' });
  const analyst = await state.users.create({ login: 'analyst', displayName: 'SOC', passwordHash: 'x', role: 'soc_analyst' });
  const customer = await state.users.create({ login: 'viewer-a', displayName: 'Viewer A', passwordHash: 'x', role: 'customer_viewer', tenantId: 'tenant-a' });
  for (const [user, token] of [[analyst, tokens.analyst], [customer, tokens.customerA]] as const) {
    await state.tokens.create({ userId: user.id, name: 'test', tokenHash: secretDigest(token), tokenHint: secretHint(token) });
  }
  // Ten alerts an hour apart, alternating tenants; then one critical and one low at T0.
  for (let i = 0; i < 10; i++) {
    now = T0 - (10 - i) * 3_600_000;
    await state.alerts.createMany([alert({ tenantId: i % 2 === 0 ? 'tenant-a' : 'tenant-b', ruleId: `rule-${i % 3}` })]);
  }
  now = T0;
  [{ id: alertA }, { id: alertB }] = await state.alerts.createMany([
    alert({ ruleLevel: 'critical', ruleTitle: 'Log4Shell', tags: ['attack.initial_access', 'attack.t1190', 'cve.2021-44228'] }),
    alert({ tenantId: 'tenant-b', ruleLevel: 'low', ruleTitle: 'secret of tenant B', ruleId: `'; DROP TABLE alerts; --` }),
  ]);
  now = T0 + 60_000;
  app = await buildApp({
    auth: new AuthService(state, 1),
    admin: new AdminService(state),
    events: {} as EventService,
    alerts: new AlertService(state),
    ingest: {} as IngestService,
    metrics: async () => '',
    maxBodyBytes: 1_000_000,
    version: 'test',
    secureCookies: false,
  });
});

afterAll(async () => {
  await app?.close();
  await state?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** GET as the SOC analyst, as another token, or (null) without credentials. */
async function get(url: string, token: string | null = tokens.analyst) {
  const response = await app.inject({ method: 'GET', url, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.statusCode, body: response.json() };
}

const WIDE = 'from=2025-03-30T00:00:00Z&to=2025-04-02T00:00:00Z';

describe('GET /api/v1/alerts', () => {
  it('lists alerts newest first with the derived ATT&CK fields in snake_case', async () => {
    const { status, body } = await get(`/api/v1/alerts?${WIDE}&limit=2`);
    expect(status).toBe(200);
    expect(body.items.map((a: { rule_title: string }) => a.rule_title)).toEqual(['secret of tenant B', 'Log4Shell']);
    expect(body.items[1]).toEqual({
      id: alertA,
      tenant_id: 'tenant-a',
      rule_id: 'rule-1',
      rule_title: 'Log4Shell',
      rule_level: 'critical',
      rule_source: 'mamori-correlation',
      tags: ['attack.initial_access', 'attack.t1190', 'cve.2021-44228'],
      tactics: ['initial-access'],
      techniques: ['T1190'],
      kill_chain_phases: ['delivery'],
      event_count: 2,
      group_by: { 'source.ip': '192.0.2.7' },
      first_event_at: '2025-04-01T08:58:00.000Z',
      last_event_at: '2025-04-01T08:59:00.000Z',
      created_at: '2025-04-01T09:00:00.000Z',
    });
    expect(typeof body.next).toBe('string');
  });

  it('pages with next until the last page', async () => {
    const seen: string[] = [];
    let next: string | null = null;
    for (let n = 0; n < 10; n++) {
      const { status, body } = await get(`/api/v1/alerts?${WIDE}&limit=5${next ? `&before=${encodeURIComponent(next)}` : ''}`);
      expect(status).toBe(200);
      seen.push(...body.items.map((a: { id: string }) => a.id));
      next = body.next;
      if (next === null) break;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
  });

  it('filters by level (repeatable), rule, tenant and time', async () => {
    const titles = async (query: string) => (await get(`/api/v1/alerts?${query}`)).body.items.map((a: { rule_level: string; tenant_id: string }) => `${a.tenant_id}:${a.rule_level}`);
    expect(await titles(`${WIDE}&level=critical&level=low`)).toEqual(['tenant-b:low', 'tenant-a:critical']);
    expect(await titles(`${WIDE}&level=low`)).toEqual(['tenant-b:low']);
    expect(await titles(`${WIDE}&tenant=tenant-b&level=high`)).toHaveLength(5);
    expect(await titles(`${WIDE}&rule=rule-0`)).toHaveLength(4);
    expect(await titles(`${WIDE}&rule=${encodeURIComponent(`'; DROP TABLE alerts; --`)}`)).toEqual(['tenant-b:low']);
    expect(await titles(`from=${T0 - 2 * 3_600_000 + 1}&to=${T0 + 1}`)).toEqual(['tenant-b:low', 'tenant-a:critical', 'tenant-b:high']);
    expect(await titles('from=now-1h')).toEqual([]);
    expect(await titles('from=2025-04-01T09:00:00Z&to=now')).toHaveLength(2);
  });

  it('shows a customer its own tenant only, whatever it asks for', async () => {
    const own = await get(`/api/v1/alerts?${WIDE}&limit=100`, tokens.customerA);
    expect(own.status).toBe(200);
    expect(own.body.items).toHaveLength(6);
    expect(own.body.items.every((a: { tenant_id: string }) => a.tenant_id === 'tenant-a')).toBe(true);
    expect(JSON.stringify(own.body)).not.toContain('secret of tenant B');
    expect((await get(`/api/v1/alerts?${WIDE}&tenant=tenant-b`, tokens.customerA)).body).toEqual({ items: [], next: null });
  });

  it('treats hostile query values as data or refuses them with 400', async () => {
    const hostile = encodeURIComponent(`' OR 1=1; --`);
    expect((await get(`/api/v1/alerts?${WIDE}&rule=${hostile}`)).body).toEqual({ items: [], next: null });
    expect((await get(`/api/v1/alerts?${WIDE}&rule=${encodeURIComponent('%\u0000')}`)).status).toBe(400);
    for (const query of [
      `level=severe`,
      `level=HIGH`,
      `tenant=${hostile}`,
      `from=yesterday`,
      `to=${hostile}`,
      `limit=0`,
      `limit=1001`,
      `limit=abc`,
      `before=${hostile}`,
      `before=${'A'.repeat(500)}`,
      `before=${Buffer.from('2025-04-01T09:00:00.000Z').toString('base64url')}`,
      `rule=${'r'.repeat(201)}`,
    ]) {
      const { status, body } = await get(`/api/v1/alerts?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.code).toBe('MAMORI_E_INVALID');
    }
  });

  it('answers 401 without credentials and with an unknown token', async () => {
    for (const url of ['/api/v1/alerts', '/api/v1/alerts/summary', `/api/v1/alerts/${alertA}`]) {
      expect((await get(url, null)).status).toBe(401);
      expect((await get(url, `${API_TOKEN_PREFIX}not-a-token`)).status).toBe(401);
    }
  });
});

describe('GET /api/v1/alerts/:id', () => {
  it('returns the alert with its events and event ids', async () => {
    const { status, body } = await get(`/api/v1/alerts/${alertA}`, tokens.customerA);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: alertA, rule_title: 'Log4Shell', event_count: 2, event_ids: ['e1', 'e2'] });
    expect(body.events).toEqual([{ 'event.id': 'e1', 'user.name': '田中' }, { 'event.id': 'e2' }]);
  });

  it('answers 404 for another tenant\'s alert as for a missing one', async () => {
    const other = await get(`/api/v1/alerts/${alertB}`, tokens.customerA);
    const missing = await get('/api/v1/alerts/no-such-alert', tokens.customerA);
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.body.error.code).toBe('MAMORI_E_NOT_FOUND');
    expect(JSON.stringify(other.body)).not.toContain('secret');
    expect((await get(`/api/v1/alerts/${alertB}`)).status).toBe(200);
    expect((await get(`/api/v1/alerts/${encodeURIComponent(`' OR '1'='1`)}`)).status).toBe(404);
    expect((await get(`/api/v1/alerts/${'x'.repeat(129)}`)).status).toBe(404);
  });
});

describe('GET /api/v1/alerts/summary', () => {
  it('counts by level within the filter and the scope', async () => {
    expect((await get(`/api/v1/alerts/summary?${WIDE}`)).body).toEqual({ counts: { informational: 0, low: 1, medium: 0, high: 10, critical: 1 }, total: 12 });
    expect((await get(`/api/v1/alerts/summary?${WIDE}`, tokens.customerA)).body).toEqual({ counts: { informational: 0, low: 0, medium: 0, high: 5, critical: 1 }, total: 6 });
    expect((await get(`/api/v1/alerts/summary?${WIDE}&tenant=tenant-b`, tokens.customerA)).body.total).toBe(0);
    expect((await get(`/api/v1/alerts/summary?${WIDE}&level=critical&level=low`)).body.total).toBe(2);
    expect((await get('/api/v1/alerts/summary?from=now&to=1h')).body.total).toBe(0);
    expect((await get('/api/v1/alerts/summary?level=bogus')).status).toBe(400);
  });
});
