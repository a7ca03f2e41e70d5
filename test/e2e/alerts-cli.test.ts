import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TENANTS } from '../../src/core/scope.js';
import { openStateStore, type StateStore } from '../../src/store/state/state-store.js';
import { api, cli, startServer, type TestServer } from '../support/server.js';

// Alerts as an analyst and a customer read them from the real server. The
// detection stage that creates alerts comes with issue 4; until then the
// test writes them into the server's state store (SQLite allows a second writer).
let server: TestServer;
let state: StateStore;

beforeAll(async () => {
  server = await startServer();
  state = await openStateStore({ kind: 'sqlite', path: path.join(server.dataDir, 'data', 'state.db') });
  await api(server, server.adminToken, 'POST', '/api/v1/tenants', { id: 'acme', name: 'ACME', language: 'en' });
  const at = new Date();
  await state.alerts.createMany([
    { tenantId: 'demo', ruleId: 'r-brute', ruleTitle: 'SSH brute force then success', ruleLevel: 'high', ruleSource: 'mamori', tags: ['attack.credential-access', 'attack.t1110.001'], eventIds: ['e1', 'e2'], events: [{ 'event.id': 'e1', 'source.ip': '192.0.2.7' }], groupBy: { 'source.ip': '192.0.2.7' }, firstEventAt: at, lastEventAt: at },
    { tenantId: 'acme', ruleId: 'r-whoami', ruleTitle: 'Whoami execution', ruleLevel: 'low', ruleSource: 'sigmahq', tags: ['attack.discovery', 'attack.t1033'], eventIds: ['e3'], events: [{ 'event.id': 'e3' }], firstEventAt: at, lastEventAt: at },
  ]);
}, 120_000);

afterAll(async () => {
  await state?.close();
  await server?.stop();
});

const asAdmin = () => ({ MAMORI_SERVER: server.url, MAMORI_TOKEN: server.adminToken });

describe('mamori alerts', () => {
  it('lists alerts of every tenant for the SOC, filtered by level and tenant, with techniques', async () => {
    let r = await cli(['alerts', 'list', '--since', '1h', '--json'], asAdmin());
    expect(r.stderr).toBe('');
    const all = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(all.map((a) => a.rule_title).sort()).toEqual(['SSH brute force then success', 'Whoami execution']);
    const brute = all.find((a) => a.rule_id === 'r-brute');
    expect(brute).toMatchObject({ tenant_id: 'demo', rule_level: 'high', techniques: ['T1110.001'], tactics: ['credential-access'] });
    r = await cli(['alerts', 'list', '--since', '1h', '--level', 'high,critical', '--json'], asAdmin());
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).rule_id)).toEqual(['r-brute']);
    r = await cli(['alerts', 'list', '--since', '1h', '--tenant', 'acme'], asAdmin());
    expect(r.stdout).toContain('Whoami execution');
    expect(r.stdout).not.toContain('SSH brute force');
    r = await cli(['alerts', 'show', brute.id, '--json'], asAdmin());
    expect(JSON.parse(r.stdout)).toMatchObject({ id: brute.id, group_by: { 'source.ip': '192.0.2.7' }, event_ids: ['e1', 'e2'] });
  });

  it('shows a customer only its own tenant\'s alerts', async () => {
    const password = 'correct horse battery staple';
    await api(server, server.adminToken, 'POST', '/api/v1/users', { login: 'acme-viewer', password, role: 'customer_viewer', tenant: 'acme' });
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'acme-viewer', password }) });
    const cookie = String(login.headers.get('set-cookie')).split(';')[0];
    const list = await (await fetch(`${server.url}/api/v1/alerts?from=now-1h&to=now%2B1h`, { headers: { cookie } })).json();
    expect(list.items.map((a: { rule_id: string }) => a.rule_id)).toEqual(['r-whoami']);
    const demoAlert = (await state.alerts.list(ALL_TENANTS, { from: new Date(0), to: new Date(Date.now() + 3_600_000), tenant: 'demo', limit: 10 })).items[0];
    expect((await fetch(`${server.url}/api/v1/alerts/${demoAlert.id}`, { headers: { cookie } })).status).toBe(404);
  });
});
