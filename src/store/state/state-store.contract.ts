/**
 * The behaviour every StateStore must have, whatever the database. Run by
 * sqlite.test.ts and postgres.test.ts; a difference between dialects is a bug.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MamoriError, type ErrorCode } from '../../core/errors.js';
import type { MamoriEvent } from '../../core/event.js';
import { ALL_TENANTS, scopeOf, type TenantScope } from '../../core/scope.js';
import type { AlertQuery, NewAlert } from './alert.repository.js';
import { secretDigest, secretHint } from './secret-digest.js';
import type { StateStore, StateStoreOptions } from './state-store.js';
import type { User } from './user.repository.js';

export type OpenStore = (options: StateStoreOptions) => Promise<StateStore>;

const T0 = new Date('2025-04-01T09:00:00.000Z');
const HOUR = 3_600_000;
const INJECTION = `'; DROP TABLE users; --`;
const QUOTES = `O'Brien "the \\ admin" \`x\``;
const UNICODE = '株式会社テスト 🛡️ 𠮷野家 — Ünïcödé';
const A = scopeOf(['tenant-a']);
const B = scopeOf(['tenant-b']);
const NONE = scopeOf([]);

async function expectCode(promise: Promise<unknown>, code: ErrorCode, message?: string | RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(MamoriError);
  expect((error as MamoriError).code).toBe(code);
  if (message !== undefined) expect((error as MamoriError).message).toMatch(message);
}

function digestOf(secret: string): { tokenHash: string; tokenHint: string } {
  return { tokenHash: secretDigest(secret), tokenHint: secretHint(secret) };
}

export function stateStoreContract(
  name: string,
  open: OpenStore,
  cleanup: (store: StateStore) => Promise<void>,
): void {
  describe(`state store contract: ${name}`, () => {
    let store: StateStore;
    let now: Date;

    beforeEach(async () => {
      now = T0;
      store = await open({ clock: () => now });
    });

    afterEach(async () => {
      await cleanup(store);
    });

    /** Two tenants with one source and one customer admin each, plus a SOC analyst. */
    async function seed() {
      await store.tenants.create({ id: 'tenant-a', name: 'Tenant A', language: 'ja' });
      await store.tenants.create({ id: 'tenant-b', name: 'Tenant B', language: 'en', retentionDays: 90 });
      const sourceA = await store.sources.create({ tenantId: 'tenant-a', name: 'fw', format: 'syslog', ...digestOf('ingest-a-secret') });
      const sourceB = await store.sources.create({ tenantId: 'tenant-b', name: 'fw', format: 'syslog', ...digestOf('ingest-b-secret') });
      const userA = await store.users.create({ login: 'admin-a', displayName: 'Admin A', passwordHash: 'hash-a', role: 'customer_admin', tenantId: 'tenant-a' });
      const userB = await store.users.create({ login: 'admin-b', displayName: 'Admin B', passwordHash: 'hash-b', role: 'customer_viewer', tenantId: 'tenant-b' });
      const analyst = await store.users.create({ login: 'analyst', displayName: 'SOC', passwordHash: 'hash-s', role: 'soc_analyst' });
      return { sourceA, sourceB, userA, userB, analyst };
    }

    it('reports its dialect', () => {
      expect(['sqlite', 'postgres']).toContain(store.dialect);
      expect(store.dialect).toBe(name);
    });

    describe('tenants', () => {
      it('creates a tenant with defaults and reads it back', async () => {
        const created = await store.tenants.create({ id: 'demo', name: 'Demo', language: 'en' });
        expect(created).toEqual({ id: 'demo', name: 'Demo', language: 'en', retentionDays: 365, createdAt: T0.toISOString(), disabled: false });
        expect(await store.tenants.get(ALL_TENANTS, 'demo')).toEqual(created);
      });

      it('refuses a duplicate id with MAMORI_E_CONFLICT', async () => {
        await store.tenants.create({ id: 'demo', name: 'Demo', language: 'en' });
        await expectCode(store.tenants.create({ id: 'demo', name: 'Other', language: 'ja' }), 'MAMORI_E_CONFLICT', 'tenant "demo" already exists');
        expect((await store.tenants.get(ALL_TENANTS, 'demo'))?.name).toBe('Demo');
      });

      it.each(['', 'Demo', '-demo', 'a'.repeat(64), 'demo tenant', 'démo', INJECTION, 'demo\u0000'])(
        'refuses the id %j',
        async (id) => {
          await expectCode(store.tenants.create({ id, name: 'x', language: 'en' }), 'MAMORI_E_INVALID');
        },
      );

      it('accepts a 63-character slug', async () => {
        const id = `a${'-9'.repeat(31)}`;
        await store.tenants.create({ id, name: 'x', language: 'en' });
        expect((await store.tenants.get(ALL_TENANTS, id))?.id).toBe(id);
      });

      it('refuses an unknown language and out-of-range retention', async () => {
        await expectCode(store.tenants.create({ id: 'x', name: 'x', language: 'fr' as 'en' }), 'MAMORI_E_INVALID');
        await expectCode(store.tenants.create({ id: 'x', name: 'x', language: 'en', retentionDays: 0 }), 'MAMORI_E_INVALID');
        await expectCode(store.tenants.create({ id: 'x', name: 'x', language: 'en', retentionDays: 1.5 }), 'MAMORI_E_INVALID');
        expect(await store.tenants.list(ALL_TENANTS)).toEqual([]);
      });

      it('lists only the tenants of the scope', async () => {
        await seed();
        expect((await store.tenants.list(ALL_TENANTS)).map((t) => t.id)).toEqual(['tenant-a', 'tenant-b']);
        expect((await store.tenants.list(A)).map((t) => t.id)).toEqual(['tenant-a']);
        expect(await store.tenants.list(NONE)).toEqual([]);
        expect(await store.tenants.list(scopeOf(['nope']))).toEqual([]);
      });

      it('gets a tenant only through a scope that sees it', async () => {
        await seed();
        expect(await store.tenants.get(A, 'tenant-b')).toBeUndefined();
        expect(await store.tenants.get(NONE, 'tenant-a')).toBeUndefined();
        expect((await store.tenants.get(B, 'tenant-b'))?.retentionDays).toBe(90);
        expect(await store.tenants.get(ALL_TENANTS, 'missing')).toBeUndefined();
      });

      it('updates name, language, retention and disabled', async () => {
        await seed();
        const updated = await store.tenants.update(A, 'tenant-a', { name: '新しい名前', language: 'en', retentionDays: 30, disabled: true });
        expect(updated).toMatchObject({ id: 'tenant-a', name: '新しい名前', language: 'en', retentionDays: 30, disabled: true });
        expect(await store.tenants.get(A, 'tenant-a')).toEqual(updated);
        expect(await store.tenants.update(A, 'tenant-a', {})).toEqual(updated);
      });

      it('refuses to update a tenant outside the scope or a missing one', async () => {
        await seed();
        await expectCode(store.tenants.update(A, 'tenant-b', { name: 'hijacked' }), 'MAMORI_E_NOT_FOUND');
        await expectCode(store.tenants.update(ALL_TENANTS, 'missing', { name: 'x' }), 'MAMORI_E_NOT_FOUND');
        await expectCode(store.tenants.update(A, 'tenant-a', { retentionDays: -1 }), 'MAMORI_E_INVALID');
        expect((await store.tenants.get(ALL_TENANTS, 'tenant-b'))?.name).toBe('Tenant B');
      });
    });

    describe('sources', () => {
      it('creates a source with defaults and hides the token', async () => {
        await seed();
        const source = await store.sources.create({ tenantId: 'tenant-a', name: 'proxy', format: 'squid', timezone: 'Asia/Tokyo', ...digestOf('mst_0123456789') });
        expect(source).toMatchObject({ tenantId: 'tenant-a', name: 'proxy', format: 'squid', charset: 'utf-8', timezone: 'Asia/Tokyo', tokenHint: 'mst_0123', disabled: false, createdAt: T0.toISOString() });
        expect(JSON.stringify(source)).not.toContain(secretDigest('mst_0123456789'));
        expect(await store.sources.get(A, source.id)).toEqual(source);
        const plain = await store.sources.create({ tenantId: 'tenant-a', name: 'sjis', format: 'syslog', charset: 'shift_jis', ...digestOf('other') });
        expect(plain.timezone).toBeNull();
        expect(plain.charset).toBe('shift_jis');
      });

      it('refuses a source of a missing tenant with MAMORI_E_NOT_FOUND', async () => {
        await expectCode(store.sources.create({ tenantId: 'ghost', name: 'x', format: 'syslog', ...digestOf('t') }), 'MAMORI_E_NOT_FOUND', /ghost/);
      });

      it('refuses a duplicate ingest token with MAMORI_E_CONFLICT', async () => {
        await seed();
        await expectCode(store.sources.create({ tenantId: 'tenant-b', name: 'dup', format: 'syslog', ...digestOf('ingest-a-secret') }), 'MAMORI_E_CONFLICT');
      });

      it('refuses a token hash that is not a SHA-256 digest', async () => {
        await seed();
        await expectCode(store.sources.create({ tenantId: 'tenant-a', name: 'x', format: 'syslog', tokenHash: 'plain-token', tokenHint: 'plain' }), 'MAMORI_E_INVALID');
        await expectCode(store.sources.findByTokenHash(secretDigest('x').toUpperCase()), 'MAMORI_E_INVALID');
      });

      it('gets and lists sources only within the scope', async () => {
        const { sourceA, sourceB } = await seed();
        expect(await store.sources.get(A, sourceB.id)).toBeUndefined();
        expect(await store.sources.get(NONE, sourceA.id)).toBeUndefined();
        expect(await store.sources.get(ALL_TENANTS, sourceB.id)).toEqual(sourceB);
        expect(await store.sources.get(ALL_TENANTS, 'missing')).toBeUndefined();
        expect((await store.sources.list(A)).map((s) => s.id)).toEqual([sourceA.id]);
        expect((await store.sources.list(ALL_TENANTS)).map((s) => s.id)).toEqual([sourceA.id, sourceB.id]);
        expect((await store.sources.list(ALL_TENANTS, 'tenant-b')).map((s) => s.id)).toEqual([sourceB.id]);
        expect(await store.sources.list(A, 'tenant-b')).toEqual([]);
        expect(await store.sources.list(NONE)).toEqual([]);
      });

      it('finds a source by token hash with its tenant state', async () => {
        const { sourceA } = await seed();
        expect(await store.sources.findByTokenHash(secretDigest('ingest-a-secret'))).toEqual({ ...sourceA, tenantDisabled: false });
        expect(await store.sources.findByTokenHash(secretDigest('unknown'))).toBeUndefined();
        await store.tenants.update(ALL_TENANTS, 'tenant-a', { disabled: true });
        expect((await store.sources.findByTokenHash(secretDigest('ingest-a-secret')))?.tenantDisabled).toBe(true);
      });

      it('keeps binding rules and rate limits, updates them within the scope only', async () => {
        const { sourceA, sourceB } = await seed();
        expect(sourceA).toMatchObject({ matchCidrs: [], matchCert: null, rateLimitEps: null });
        const bound = await store.sources.create({
          tenantId: 'tenant-a',
          name: 'fw-tls',
          format: 'fortigate',
          matchCidrs: ['192.0.2.0/24', '2001:db8::/32'],
          matchCert: 'fw01.customer-a.example',
          rateLimitEps: 5000,
          ...digestOf('bound'),
        });
        expect(bound).toMatchObject({ matchCidrs: ['192.0.2.0/24', '2001:db8::/32'], matchCert: 'fw01.customer-a.example', rateLimitEps: 5000 });
        expect(await store.sources.update(A, sourceB.id, { rateLimitEps: 1 })).toBeUndefined();
        expect((await store.sources.get(ALL_TENANTS, sourceB.id))?.rateLimitEps).toBeNull();
        const changed = await store.sources.update(A, bound.id, { matchCidrs: [], rateLimitEps: null, format: 'cef', disabled: true });
        expect(changed).toMatchObject({ matchCidrs: [], rateLimitEps: null, format: 'cef', disabled: true, matchCert: 'fw01.customer-a.example' });
        await expectCode(store.sources.update(A, sourceA.id, { matchCidrs: ['10.0.0.0/33'] }), 'MAMORI_E_INVALID', /CIDR/);
        await expectCode(store.sources.update(A, sourceA.id, { matchCidrs: [INJECTION] }), 'MAMORI_E_INVALID');
        await expectCode(store.sources.update(A, sourceA.id, { rateLimitEps: 0 }), 'MAMORI_E_INVALID', /rate limit/);
      });

      it('lists the routable sources: enabled sources of enabled tenants, with their token digests', async () => {
        const { sourceA, sourceB } = await seed();
        let routable = await store.sources.listRoutable();
        expect(routable.map((s) => s.id).sort()).toEqual([sourceA.id, sourceB.id].sort());
        expect(routable.find((s) => s.id === sourceA.id)?.tokenHash).toBe(secretDigest('ingest-a-secret'));
        await store.tenants.update(ALL_TENANTS, 'tenant-b', { disabled: true });
        await store.sources.update(ALL_TENANTS, sourceA.id, { disabled: true });
        routable = await store.sources.listRoutable();
        expect(routable).toEqual([]);
      });
    });

    describe('users', () => {
      it('enforces the role/tenant rule with MAMORI_E_INVALID', async () => {
        await seed();
        await expectCode(store.users.create({ login: 'c', displayName: 'c', passwordHash: 'h', role: 'customer_viewer' }), 'MAMORI_E_INVALID', /requires a tenant/);
        await expectCode(store.users.create({ login: 's', displayName: 's', passwordHash: 'h', role: 'soc_lead', tenantId: 'tenant-a' }), 'MAMORI_E_INVALID', /SOC role/);
        await expectCode(store.users.create({ login: 'r', displayName: 'r', passwordHash: 'h', role: 'root' as 'soc_lead' }), 'MAMORI_E_INVALID');
        await expectCode(store.users.create({ login: 'g', displayName: 'g', passwordHash: 'h', role: 'customer_admin', tenantId: 'ghost' }), 'MAMORI_E_NOT_FOUND');
        expect((await store.users.list(ALL_TENANTS)).map((u) => u.login)).toEqual(['admin-a', 'admin-b', 'analyst']);
      });

      it('treats logins case-insensitively and refuses duplicates', async () => {
        const user = await store.users.create({ login: 'Alice.Admin', displayName: 'Alice', passwordHash: '$argon2id$v=19$x', role: 'platform_admin' });
        expect(user).toMatchObject({ login: 'alice.admin', role: 'platform_admin', tenantId: null, disabled: false });
        expect(user).not.toHaveProperty('passwordHash');
        expect(await store.users.getByLogin('ALICE.admin')).toEqual({ ...user, passwordHash: '$argon2id$v=19$x' });
        expect(await store.users.getByLogin('bob')).toBeUndefined();
        await expectCode(store.users.create({ login: 'alice.ADMIN', displayName: 'x', passwordHash: 'h', role: 'soc_lead' }), 'MAMORI_E_CONFLICT', 'user "alice.admin" already exists');
      });

      it('gets and lists customer users only within the scope and SOC users only with scope all', async () => {
        const { userA, userB, analyst } = await seed();
        expect(await store.users.getById(A, userA.id)).toEqual(userA);
        expect(await store.users.getById(A, userB.id)).toBeUndefined();
        expect(await store.users.getById(A, analyst.id)).toBeUndefined();
        expect(await store.users.getById(NONE, userA.id)).toBeUndefined();
        expect(await store.users.getById(ALL_TENANTS, analyst.id)).toEqual(analyst);
        expect((await store.users.list(A)).map((u) => u.id)).toEqual([userA.id]);
        expect((await store.users.list(scopeOf(['tenant-a', 'tenant-b']))).map((u) => u.id)).toEqual([userA.id, userB.id]);
        expect(await store.users.list(NONE)).toEqual([]);
      });

      it('sets the password and disabled flag within the scope only', async () => {
        const { userA, userB, analyst } = await seed();
        await store.users.setPassword(A, userA.id, 'new-hash');
        expect((await store.users.getByLogin('admin-a'))?.passwordHash).toBe('new-hash');
        await store.users.setDisabled(A, userA.id, true);
        expect((await store.users.getById(A, userA.id))?.disabled).toBe(true);
        await store.users.setDisabled(A, userA.id, false);
        expect((await store.users.getById(A, userA.id))?.disabled).toBe(false);

        await expectCode(store.users.setPassword(A, userB.id, 'stolen'), 'MAMORI_E_NOT_FOUND');
        await expectCode(store.users.setDisabled(A, analyst.id, true), 'MAMORI_E_NOT_FOUND');
        await expectCode(store.users.setDisabled(NONE, userA.id, true), 'MAMORI_E_NOT_FOUND');
        await expectCode(store.users.setPassword(ALL_TENANTS, 'missing', 'x'), 'MAMORI_E_NOT_FOUND');
        expect((await store.users.getByLogin('admin-b'))?.passwordHash).toBe('hash-b');
        expect((await store.users.getById(ALL_TENANTS, analyst.id))?.disabled).toBe(false);
      });

      it('deletes a user within the scope, with their sessions and tokens', async () => {
        const { userA, userB } = await seed();
        await store.sessions.create({ idHash: secretDigest('sess-a'), userId: userA.id, expiresAt: new Date(T0.getTime() + HOUR) });
        await store.tokens.create({ userId: userA.id, name: 'ci', ...digestOf('tok-a') });
        await expectCode(store.users.delete(A, userB.id), 'MAMORI_E_NOT_FOUND');
        await store.users.delete(A, userA.id);
        expect(await store.users.getById(ALL_TENANTS, userA.id)).toBeUndefined();
        expect(await store.tokens.listForUser(userA.id)).toEqual([]);
        expect(await store.sessions.deleteExpired(new Date(T0.getTime() + 2 * HOUR))).toBe(0);
        expect(await store.users.getById(ALL_TENANTS, userB.id)).toEqual(userB);
      });
    });

    describe('sessions', () => {
      const idHash = secretDigest('session-secret');

      it('finds a valid session with its user, without the password hash', async () => {
        const { userA } = await seed();
        const expiresAt = new Date(T0.getTime() + HOUR);
        const session = await store.sessions.create({ idHash, userId: userA.id, expiresAt });
        expect(session).toEqual({ idHash, userId: userA.id, createdAt: T0.toISOString(), expiresAt: expiresAt.toISOString(), lastSeenAt: T0.toISOString() });
        const found = await store.sessions.findValid(idHash, new Date(T0.getTime() + HOUR - 1));
        expect(found).toEqual({ session, user: userA });
        expect(found?.user).not.toHaveProperty('passwordHash');
      });

      it('does not find an expired, unknown or deleted session', async () => {
        const { userA } = await seed();
        await store.sessions.create({ idHash, userId: userA.id, expiresAt: new Date(T0.getTime() + HOUR) });
        expect(await store.sessions.findValid(idHash, new Date(T0.getTime() + HOUR))).toBeUndefined();
        expect(await store.sessions.findValid(secretDigest('other'), T0)).toBeUndefined();
        await store.sessions.delete(idHash);
        expect(await store.sessions.findValid(idHash, T0)).toBeUndefined();
      });

      it('does not find the session of a disabled user or of a disabled tenant', async () => {
        const { userA, analyst } = await seed();
        const expiresAt = new Date(T0.getTime() + HOUR);
        await store.sessions.create({ idHash, userId: userA.id, expiresAt });
        await store.sessions.create({ idHash: secretDigest('soc'), userId: analyst.id, expiresAt });
        await store.users.setDisabled(ALL_TENANTS, userA.id, true);
        expect(await store.sessions.findValid(idHash, T0)).toBeUndefined();
        await store.users.setDisabled(ALL_TENANTS, userA.id, false);
        await store.tenants.update(ALL_TENANTS, 'tenant-a', { disabled: true });
        expect(await store.sessions.findValid(idHash, T0)).toBeUndefined();
        expect((await store.sessions.findValid(secretDigest('soc'), T0))?.user.id).toBe(analyst.id);
      });

      it('touches last-seen time and slides the expiry', async () => {
        const { userA } = await seed();
        await store.sessions.create({ idHash, userId: userA.id, expiresAt: new Date(T0.getTime() + HOUR) });
        const later = new Date(T0.getTime() + 30 * 60_000);
        await store.sessions.touch(idHash, later);
        expect((await store.sessions.findValid(idHash, later))?.session).toMatchObject({ lastSeenAt: later.toISOString(), expiresAt: new Date(T0.getTime() + HOUR).toISOString() });
        await store.sessions.touch(idHash, later, new Date(T0.getTime() + 3 * HOUR));
        expect(await store.sessions.findValid(idHash, new Date(T0.getTime() + 2 * HOUR))).toBeDefined();
      });

      it('deletes expired sessions only and counts them', async () => {
        const { userA, userB } = await seed();
        await store.sessions.create({ idHash: secretDigest('1'), userId: userA.id, expiresAt: new Date(T0.getTime() + HOUR) });
        await store.sessions.create({ idHash: secretDigest('2'), userId: userB.id, expiresAt: new Date(T0.getTime() + 2 * HOUR) });
        await store.sessions.create({ idHash: secretDigest('3'), userId: userB.id, expiresAt: new Date(T0.getTime() + 3 * HOUR) });
        expect(await store.sessions.deleteExpired(new Date(T0.getTime() + 2 * HOUR))).toBe(2);
        expect(await store.sessions.findValid(secretDigest('3'), T0)).toBeDefined();
        expect(await store.sessions.deleteExpired(new Date(T0.getTime() + 2 * HOUR))).toBe(0);
      });

      it('refuses a session of a missing user, a duplicate id and an invalid expiry', async () => {
        const { userA } = await seed();
        const expiresAt = new Date(T0.getTime() + HOUR);
        await expectCode(store.sessions.create({ idHash, userId: 'ghost', expiresAt }), 'MAMORI_E_NOT_FOUND');
        await store.sessions.create({ idHash, userId: userA.id, expiresAt });
        await expectCode(store.sessions.create({ idHash, userId: userA.id, expiresAt }), 'MAMORI_E_CONFLICT');
        await expectCode(store.sessions.create({ idHash: secretDigest('x'), userId: userA.id, expiresAt: new Date(Number.NaN) }), 'MAMORI_E_INVALID');
        await expectCode(store.sessions.findValid(idHash, new Date(Number.NaN)), 'MAMORI_E_INVALID');
      });
    });

    describe('API tokens', () => {
      it('creates, finds, touches and lists tokens of a user', async () => {
        const { userA } = await seed();
        const forever = await store.tokens.create({ userId: userA.id, name: 'ci', ...digestOf('mat_forever-secret') });
        now = new Date(T0.getTime() + 1000);
        const expiring = await store.tokens.create({ userId: userA.id, name: 'tmp', ...digestOf('mat_expiring'), expiresAt: new Date(T0.getTime() + HOUR) });
        expect(forever).toMatchObject({ userId: userA.id, name: 'ci', tokenHint: 'mat_fore', expiresAt: null, lastUsedAt: null });
        expect(await store.tokens.listForUser(userA.id)).toEqual([expiring, forever]);

        const far = new Date(T0.getTime() + 1000 * 24 * HOUR);
        expect(await store.tokens.findValid(secretDigest('mat_forever-secret'), far)).toEqual({ token: forever, user: userA });
        expect(await store.tokens.findValid(secretDigest('mat_expiring'), new Date(T0.getTime() + HOUR - 1))).toBeDefined();
        expect(await store.tokens.findValid(secretDigest('mat_expiring'), new Date(T0.getTime() + HOUR))).toBeUndefined();
        expect(await store.tokens.findValid(secretDigest('unknown'), T0)).toBeUndefined();

        await store.tokens.touch(forever.id, far);
        expect((await store.tokens.listForUser(userA.id))[1]?.lastUsedAt).toBe(far.toISOString());
      });

      it('does not find the token of a disabled user', async () => {
        const { userB } = await seed();
        await store.tokens.create({ userId: userB.id, name: 'ci', ...digestOf('tok') });
        await store.users.setDisabled(ALL_TENANTS, userB.id, true);
        expect(await store.tokens.findValid(secretDigest('tok'), T0)).toBeUndefined();
      });

      it("revokes a user's own token only", async () => {
        const { userA, userB } = await seed();
        const token = await store.tokens.create({ userId: userA.id, name: 'ci', ...digestOf('tok') });
        await expectCode(store.tokens.revoke(userB.id, token.id), 'MAMORI_E_NOT_FOUND');
        expect(await store.tokens.findValid(secretDigest('tok'), T0)).toBeDefined();
        await store.tokens.revoke(userA.id, token.id);
        expect(await store.tokens.findValid(secretDigest('tok'), T0)).toBeUndefined();
        await expectCode(store.tokens.revoke(userA.id, token.id), 'MAMORI_E_NOT_FOUND');
      });

      it('refuses a duplicate token and a missing user', async () => {
        const { userA } = await seed();
        await store.tokens.create({ userId: userA.id, name: 'ci', ...digestOf('tok') });
        await expectCode(store.tokens.create({ userId: userA.id, name: 'ci2', ...digestOf('tok') }), 'MAMORI_E_CONFLICT');
        await expectCode(store.tokens.create({ userId: 'ghost', name: 'x', ...digestOf('tok2') }), 'MAMORI_E_NOT_FOUND');
      });
    });

    describe('audit log', () => {
      async function appendAt(at: number, tenantId: string | null, action: string) {
        now = new Date(at);
        return store.audit.append({ actorLogin: 'analyst', tenantId, action, targetType: 'tenant', targetId: tenantId });
      }

      it('appends entries with increasing ids and round-trips details', async () => {
        const details = { name: 'デモ', nested: { list: [1, 'two', null], flag: true }, quote: INJECTION };
        const first = await store.audit.append({ actorId: 'u1', actorLogin: 'alice', tenantId: 'tenant-a', action: 'tenant.update', targetType: 'tenant', targetId: 'tenant-a', details, ip: '2001:db8::1' });
        const second = await store.audit.append({ actorLogin: 'system', action: 'bootstrap', targetType: 'installation' });
        expect(second.id).toBeGreaterThan(first.id);
        expect(second).toMatchObject({ actorId: null, tenantId: null, targetId: null, details: {}, ip: null });
        const listed = await store.audit.list(ALL_TENANTS, { from: T0, to: new Date(T0.getTime() + 1), limit: 10 });
        expect(listed).toEqual([second, first]);
        expect(listed[1]?.details).toEqual(details);
      });

      it('lists [from, to) newest first, filtered by action, limited', async () => {
        await appendAt(T0.getTime(), 'tenant-a', 'a.one');
        await appendAt(T0.getTime() + 1000, 'tenant-a', 'a.two');
        await appendAt(T0.getTime() + 2000, 'tenant-a', 'a.one');
        await appendAt(T0.getTime() + 3000, 'tenant-a', 'a.one');
        const range = { from: new Date(T0.getTime()), to: new Date(T0.getTime() + 3000) };
        expect((await store.audit.list(ALL_TENANTS, { ...range, limit: 100 })).map((e) => e.at)).toEqual([
          new Date(T0.getTime() + 2000).toISOString(),
          new Date(T0.getTime() + 1000).toISOString(),
          T0.toISOString(),
        ]);
        expect((await store.audit.list(ALL_TENANTS, { ...range, action: 'a.one', limit: 100 })).length).toBe(2);
        expect((await store.audit.list(ALL_TENANTS, { ...range, limit: 1 })).map((e) => e.action)).toEqual(['a.one']);
        expect(await store.audit.list(ALL_TENANTS, { from: range.to, to: range.from, limit: 10 })).toEqual([]);
      });

      it('keeps time order across a year, month and hour boundary', async () => {
        const times = ['2024-12-31T23:59:59.999Z', '2025-01-01T00:00:00.000Z', '2025-01-01T09:00:00.000Z', '2025-10-01T00:00:00.000Z'];
        for (const t of times) await appendAt(Date.parse(t), null, 'tick');
        const listed = await store.audit.list(ALL_TENANTS, { from: new Date('2024-01-01'), to: new Date('2026-01-01'), limit: 10 });
        expect(listed.map((e) => e.at)).toEqual([...times].reverse());
      });

      it('shows a scope only its tenants, and platform entries only to scope all', async () => {
        await appendAt(T0.getTime(), 'tenant-a', 'x');
        await appendAt(T0.getTime(), 'tenant-b', 'x');
        await appendAt(T0.getTime(), null, 'x');
        const query = { from: T0, to: new Date(T0.getTime() + 1), limit: 10 };
        expect((await store.audit.list(A, query)).map((e) => e.tenantId)).toEqual(['tenant-a']);
        expect((await store.audit.list(B, query)).map((e) => e.tenantId)).toEqual(['tenant-b']);
        expect(await store.audit.list(NONE, query)).toEqual([]);
        expect((await store.audit.list(ALL_TENANTS, query)).length).toBe(3);
      });

      it('refuses bad entries and queries with MAMORI_E_INVALID', async () => {
        const base = { actorLogin: 'a', action: 'x', targetType: 't' };
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        let deep: Record<string, unknown> = {};
        for (let i = 0; i < 200_000; i++) deep = { d: deep };
        await expectCode(store.audit.append({ ...base, ip: 'not-an-ip' }), 'MAMORI_E_INVALID');
        await expectCode(store.audit.append({ ...base, ip: `1.2.3.4${INJECTION}` }), 'MAMORI_E_INVALID');
        await expectCode(store.audit.append({ ...base, details: cyclic }), 'MAMORI_E_INVALID');
        await expectCode(store.audit.append({ ...base, details: deep }), 'MAMORI_E_INVALID');
        await expectCode(store.audit.append({ ...base, details: { big: 'x'.repeat(70_000) } }), 'MAMORI_E_INVALID');
        await expectCode(store.audit.append({ ...base, details: [1] as unknown as Record<string, unknown> }), 'MAMORI_E_INVALID');
        await expectCode(store.audit.append({ ...base, details: { n: 1n } }), 'MAMORI_E_INVALID');
        await expectCode(store.audit.append({ ...base, tenantId: 'Not A Slug' }), 'MAMORI_E_INVALID');
        await expectCode(store.audit.list(ALL_TENANTS, { from: T0, to: T0, limit: 0 }), 'MAMORI_E_INVALID');
        await expectCode(store.audit.list(ALL_TENANTS, { from: T0, to: T0, limit: 10_001 }), 'MAMORI_E_INVALID');
        await expectCode(store.audit.list(ALL_TENANTS, { from: new Date(Number.NaN), to: T0, limit: 1 }), 'MAMORI_E_INVALID');
        expect(await store.audit.list(ALL_TENANTS, { from: new Date(0), to: new Date('2100-01-01'), limit: 100 })).toEqual([]);
      });

      it('stores NUL and lone surrogates inside details as JSON escapes', async () => {
        const details = { nul: 'a\u0000b', lone: 'x\ud800y' };
        await store.audit.append({ actorLogin: 'a', action: 'x', targetType: 't', details });
        const [entry] = await store.audit.list(ALL_TENANTS, { from: T0, to: new Date(T0.getTime() + 1), limit: 1 });
        expect(entry?.details).toEqual(details);
      });
    });

    describe('meta', () => {
      it('gets, sets and overwrites values', async () => {
        expect(await store.meta.get('bootstrap')).toBeUndefined();
        await store.meta.set('bootstrap', 'done');
        expect(await store.meta.get('bootstrap')).toBe('done');
        await store.meta.set('bootstrap', '');
        expect(await store.meta.get('bootstrap')).toBe('');
        await store.meta.set(INJECTION, UNICODE);
        expect(await store.meta.get(INJECTION)).toBe(UNICODE);
        await expectCode(store.meta.set('k', 'v\u0000'), 'MAMORI_E_INVALID');
        await expectCode(store.meta.get('k\u0000'), 'MAMORI_E_INVALID');
      });
    });

    describe('transactions', () => {
      it('commits everything the function wrote', async () => {
        const result = await store.transaction(async (tx) => {
          await tx.tenants.create({ id: 'demo', name: 'Demo', language: 'ja' });
          await tx.audit.append({ actorLogin: 'a', tenantId: 'demo', action: 'tenant.create', targetType: 'tenant' });
          return 42;
        });
        expect(result).toBe(42);
        expect(await store.tenants.get(ALL_TENANTS, 'demo')).toBeDefined();
        expect(await store.audit.list(ALL_TENANTS, { from: T0, to: new Date(T0.getTime() + 1), limit: 5 })).toHaveLength(1);
      });

      it('rolls back everything when the function throws, and rethrows', async () => {
        const failure = new Error('boom');
        await expect(
          store.transaction(async (tx) => {
            await tx.tenants.create({ id: 'demo', name: 'Demo', language: 'ja' });
            await tx.meta.set('bootstrap', 'done');
            await tx.audit.append({ actorLogin: 'a', tenantId: 'demo', action: 'tenant.create', targetType: 'tenant' });
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await store.tenants.list(ALL_TENANTS)).toEqual([]);
        expect(await store.meta.get('bootstrap')).toBeUndefined();
        expect(await store.audit.list(ALL_TENANTS, { from: T0, to: new Date(T0.getTime() + 1), limit: 5 })).toEqual([]);
      });

      it('rolls back when a write inside violates a constraint', async () => {
        await store.tenants.create({ id: 'demo', name: 'Demo', language: 'ja' });
        await expectCode(
          store.transaction(async (tx) => {
            await tx.tenants.create({ id: 'second', name: 'Second', language: 'ja' });
            await tx.tenants.create({ id: 'demo', name: 'Again', language: 'ja' });
          }),
          'MAMORI_E_CONFLICT',
        );
        expect((await store.tenants.list(ALL_TENANTS)).map((t) => t.id)).toEqual(['demo']);
      });

      it('joins the outer transaction when nested', async () => {
        await expect(
          store.transaction(async (tx) => {
            await tx.transaction(async (inner) => {
              await inner.tenants.create({ id: 'inner', name: 'Inner', language: 'en' });
            });
            expect(await tx.tenants.get(ALL_TENANTS, 'inner')).toBeDefined();
            throw new Error('abort');
          }),
        ).rejects.toThrow('abort');
        expect(await store.tenants.get(ALL_TENANTS, 'inner')).toBeUndefined();
      });

      it('refuses to close the store from inside a transaction', async () => {
        await store.transaction(async (tx) => {
          await expectCode(tx.close(), 'MAMORI_E_STORE');
        });
        expect(await store.tenants.list(ALL_TENANTS)).toEqual([]);
      });
    });

    describe('alerts', () => {
      const DAY = 24 * HOUR;
      const range = { from: new Date(T0.getTime() - DAY), to: new Date(T0.getTime() + DAY) };

      function newAlert(overrides: Partial<NewAlert> = {}): NewAlert {
        return {
          tenantId: 'tenant-a',
          ruleId: '5f1abf38-3bd4-4ad6-8e4e-a3f4a5c8b9d1',
          ruleTitle: 'Suspicious PowerShell',
          ruleLevel: 'high',
          ruleSource: 'sigmahq/windows',
          tags: ['attack.execution', 'attack.t1059.001', 'attack.g0007', 'cve.2021-44228'],
          eventIds: ['e1'],
          events: [{ '@timestamp': '2025-04-01T08:59:00.000Z', 'event.id': 'e1', 'host.name': 'pc-1' }],
          firstEventAt: new Date(T0.getTime() - 60_000),
          lastEventAt: new Date(T0.getTime() - 60_000),
          ...overrides,
        };
      }

      it('creates alerts with derived ATT&CK fields and reads them back', async () => {
        await seed();
        const [created] = await store.alerts.createMany([newAlert()]);
        expect(created).toMatchObject({
          tenantId: 'tenant-a',
          ruleId: '5f1abf38-3bd4-4ad6-8e4e-a3f4a5c8b9d1',
          ruleTitle: 'Suspicious PowerShell',
          ruleLevel: 'high',
          ruleSource: 'sigmahq/windows',
          tags: ['attack.execution', 'attack.t1059.001', 'attack.g0007', 'cve.2021-44228'],
          tactics: ['execution'],
          techniques: ['T1059.001'],
          phases: ['exploitation'],
          eventCount: 1,
          eventIds: ['e1'],
          groupBy: {},
          firstEventAt: '2025-04-01T08:59:00.000Z',
          lastEventAt: '2025-04-01T08:59:00.000Z',
          createdAt: T0.toISOString(),
        });
        expect(created!.id).toMatch(/^[0-9a-z]{20}$/);
        expect(await store.alerts.get(A, created!.id)).toEqual(created);
        const { events, eventIds, ...summary } = created!;
        expect(events).toHaveLength(1);
        expect(eventIds).toEqual(['e1']);
        expect(await store.alerts.list(A, { ...range, limit: 10 })).toEqual({ items: [summary], next: null });
        expect(await store.alerts.get(ALL_TENANTS, 'missing')).toBeUndefined();
      });

      it('creates a batch all or none', async () => {
        await seed();
        expect(await store.alerts.createMany([])).toEqual([]);
        const batch = Array.from({ length: 501 }, (_, i) => newAlert({ ruleId: `r-${i}` }));
        await expectCode(store.alerts.createMany([...batch, newAlert({ tenantId: 'no-such-tenant' })]), 'MAMORI_E_NOT_FOUND', /no-such-tenant/);
        await expectCode(store.alerts.createMany([...batch, newAlert({ ruleLevel: 'severe' as 'high' })]), 'MAMORI_E_INVALID');
        expect(await store.alerts.countByLevel(ALL_TENANTS, range)).toMatchObject({ high: 0 });
        const created = await store.alerts.createMany(batch);
        expect(new Set(created.map((a) => a.id)).size).toBe(501);
        expect(await store.alerts.countByLevel(ALL_TENANTS, range)).toEqual({ informational: 0, low: 0, medium: 0, high: 501, critical: 0 });
      });

      it('pages newest first with a cursor, without gaps or repeats', async () => {
        await seed();
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) {
          now = new Date(T0.getTime() + (i < 4 ? 0 : i) * 60_000); // four alerts share one millisecond
          ids.push(...(await store.alerts.createMany([newAlert({ ruleId: `r-${i}` })])).map((a) => a.id));
        }
        const seen: string[] = [];
        let page = await store.alerts.list(ALL_TENANTS, { ...range, limit: 3 });
        for (let n = 0; n < 5; n++) {
          seen.push(...page.items.map((a) => a.id));
          if (page.next === null) break;
          page = await store.alerts.list(ALL_TENANTS, { ...range, limit: 3, before: page.next });
        }
        expect(page.next).toBeNull();
        expect(seen).toEqual([...ids].reverse());
        const exact = await store.alerts.list(ALL_TENANTS, { ...range, limit: 7 });
        expect(exact.items).toHaveLength(7);
        expect(exact.next).toBeNull();
      });

      it('filters by level, rule, tenant and creation time', async () => {
        await seed();
        await store.alerts.createMany([
          newAlert({ ruleLevel: 'low', ruleId: 'r-low' }),
          newAlert({ ruleLevel: 'critical', ruleId: 'r-crit' }),
          newAlert({ ruleLevel: 'critical', ruleId: 'r-crit', tenantId: 'tenant-b' }),
        ]);
        now = new Date(T0.getTime() + 2 * DAY);
        await store.alerts.createMany([newAlert({ ruleLevel: 'medium', ruleId: 'r-later' })]);
        const rules = async (query: Partial<AlertQuery>) =>
          (await store.alerts.list(ALL_TENANTS, { ...range, limit: 100, ...query })).items.map((a) => `${a.tenantId}/${a.ruleId}`).sort();
        expect(await rules({})).toEqual(['tenant-a/r-crit', 'tenant-a/r-low', 'tenant-b/r-crit']);
        expect(await rules({ levels: ['critical'] })).toEqual(['tenant-a/r-crit', 'tenant-b/r-crit']);
        expect(await rules({ levels: ['critical', 'low'], tenant: 'tenant-a' })).toEqual(['tenant-a/r-crit', 'tenant-a/r-low']);
        expect(await rules({ levels: [] })).toHaveLength(3);
        expect(await rules({ ruleId: 'r-low' })).toEqual(['tenant-a/r-low']);
        expect(await rules({ to: new Date(T0.getTime() + 3 * DAY) })).toHaveLength(4);
        expect(await rules({ from: new Date(T0.getTime() + 1) })).toEqual([]);
        expect(await rules({ from: range.to, to: range.from })).toEqual([]);
        expect(await store.alerts.countByLevel(A, range)).toEqual({ informational: 0, low: 1, medium: 0, high: 0, critical: 1 });
        expect(await store.alerts.countByLevel(ALL_TENANTS, { ...range, ruleId: 'r-crit' })).toMatchObject({ critical: 2, low: 0 });
        expect(await store.alerts.countByLevel(ALL_TENANTS, { ...range, tenant: 'tenant-b', levels: ['low'] })).toMatchObject({ critical: 0, low: 0 });
      });

      it('keeps JSON fields unchanged: Japanese text, hostile strings, nested values', async () => {
        await seed();
        const event = {
          '@timestamp': '2025-04-01T08:59:00.000Z',
          'event.id': 'e1',
          message: `${UNICODE} ${INJECTION} ${QUOTES}`,
          'user.name': '山田\u0000太郎',
          'process.command_line': 'powershell -enc \ud800 "x"',
          'winlog.event_data': { nested: [1, 'two', null, { deep: true }] },
          ['__proto__']: 'not a prototype',
        } as MamoriEvent;
        const input = newAlert({
          ruleTitle: `不審な PowerShell の実行 ${INJECTION}`,
          ruleSource: QUOTES,
          ruleId: INJECTION,
          tags: ['attack.command_and_control', 'attack.t1071', 'tlp.white', UNICODE],
          eventIds: ['e1', INJECTION, UNICODE],
          events: [event, { 'event.id': INJECTION }],
          groupBy: { 'source.ip': '192.0.2.1', 'user.name': '佐藤', count: 3, [INJECTION]: QUOTES },
          lastEventAt: T0,
        });
        const [created] = await store.alerts.createMany([input]);
        const read = await store.alerts.get(ALL_TENANTS, created!.id);
        expect(read).toEqual(created);
        expect(read!.events).toEqual(JSON.parse(JSON.stringify([event, { 'event.id': INJECTION }])));
        expect(read!.events[0]!['user.name']).toBe('山田\u0000太郎');
        expect(Object.hasOwn(read!.events[0]!, '__proto__')).toBe(true);
        expect(read!.events[0]!['process.command_line']).toBe('powershell -enc \ud800 "x"');
        expect(read!.groupBy).toEqual(input.groupBy);
        expect(read!).toMatchObject({ ruleTitle: input.ruleTitle, ruleSource: QUOTES, ruleId: INJECTION, tactics: ['command-and-control'], techniques: ['T1071'], phases: ['command-and-control'] });
        expect((await store.alerts.list(ALL_TENANTS, { ...range, limit: 5, ruleId: INJECTION })).items.map((a) => a.id)).toEqual([created!.id]);
        expect(await store.tenants.list(ALL_TENANTS)).toHaveLength(2);
      });

      it('refuses invalid alerts before writing anything', async () => {
        await seed();
        const tooMany = Array.from({ length: 21 }, (_, i) => ({ 'event.id': `e${i}` }));
        const big = [{ message: 'x'.repeat(256 * 1024) }];
        const deep: Record<string, unknown> = {};
        let cursor = deep;
        for (let i = 0; i < 100_000; i++) cursor = cursor.a = {};
        const cases: [Partial<NewAlert>, RegExp][] = [
          [{ ruleLevel: 'severe' as 'high' }, /rule level/],
          [{ ruleLevel: 'HIGH' as 'high' }, /rule level/],
          [{ events: tooMany }, /events must have at most 20/],
          [{ events: big }, /events must be at most 262144 bytes/],
          [{ events: [deep as MamoriEvent] }, /events cannot be serialised/],
          [{ events: ['text' as unknown as MamoriEvent] }, /events must be an array of event objects/],
          [{ eventIds: [] }, /at least one event/],
          [{ eventIds: Array.from({ length: 1001 }, (_, i) => `e${i}`) }, /event ids must have at most 1000/],
          [{ eventIds: ['e\u0000'] }, /event ids/],
          [{ tags: ['x'.repeat(201)] }, /tags/],
          [{ tags: 'attack.execution' as unknown as string[] }, /tags must be an array/],
          [{ ruleTitle: '' }, /rule title/],
          [{ ruleId: 'x\ud800' }, /rule id/],
          [{ tenantId: INJECTION }, /tenant id/],
          [{ groupBy: ['x'] as unknown as Record<string, string> }, /group by/],
          [{ firstEventAt: new Date('invalid') }, /first event at/],
          [{ firstEventAt: new Date(T0.getTime() + 1), lastEventAt: T0 }, /must not be after/],
        ];
        for (const [overrides, message] of cases) {
          await expectCode(store.alerts.createMany([newAlert(), newAlert(overrides)]), 'MAMORI_E_INVALID', message);
        }
        await expectCode(store.alerts.list(ALL_TENANTS, { ...range, limit: 0 }), 'MAMORI_E_INVALID');
        await expectCode(store.alerts.list(ALL_TENANTS, { ...range, limit: 1001 }), 'MAMORI_E_INVALID');
        await expectCode(store.alerts.list(ALL_TENANTS, { ...range, limit: 1, levels: ['bad' as 'low'] }), 'MAMORI_E_INVALID');
        await expectCode(store.alerts.list(ALL_TENANTS, { ...range, limit: 1, tenant: INJECTION }), 'MAMORI_E_INVALID');
        await expectCode(store.alerts.list(ALL_TENANTS, { ...range, limit: 1, before: { createdAt: T0, id: 'x\u0000' } }), 'MAMORI_E_INVALID');
        await expectCode(store.alerts.get(ALL_TENANTS, 'x\u0000'), 'MAMORI_E_INVALID');
        expect(await store.alerts.countByLevel(ALL_TENANTS, range)).toEqual({ informational: 0, low: 0, medium: 0, high: 0, critical: 0 });
      });

      it('never shows one tenant\'s alerts to another tenant\'s scope', async () => {
        await seed();
        const [alertA, alertB] = await store.alerts.createMany([newAlert(), newAlert({ tenantId: 'tenant-b', ruleTitle: 'secret of B', ruleLevel: 'critical' })]);
        const query = { ...range, limit: 100 };
        expect(await store.alerts.get(A, alertB!.id)).toBeUndefined();
        expect(await store.alerts.get(B, alertB!.id)).toBeDefined();
        expect(await store.alerts.get(NONE, alertA!.id)).toBeUndefined();
        expect((await store.alerts.list(A, query)).items.map((a) => a.id)).toEqual([alertA!.id]);
        expect(await store.alerts.list(A, { ...query, tenant: 'tenant-b' })).toEqual({ items: [], next: null });
        expect(await store.alerts.list(NONE, query)).toEqual({ items: [], next: null });
        expect(await store.alerts.countByLevel(A, query)).toEqual({ informational: 0, low: 0, medium: 0, high: 1, critical: 0 });
        expect(await store.alerts.countByLevel(A, { ...query, tenant: 'tenant-b' })).toMatchObject({ critical: 0, high: 0 });
        expect(await store.alerts.countByLevel(NONE, query)).toMatchObject({ high: 0 });
        const both = await store.alerts.list(scopeOf(['tenant-a', 'tenant-b']), query);
        expect(both.items.map((a) => a.tenantId).sort()).toEqual(['tenant-a', 'tenant-b']);
        expect(JSON.stringify(await store.alerts.list(A, query))).not.toContain('secret of B');
      });

      it('joins a running transaction and rolls back with it', async () => {
        await seed();
        await expect(
          store.transaction(async (tx) => {
            await tx.alerts.createMany(Array.from({ length: 600 }, () => newAlert()));
            throw new Error('abort');
          }),
        ).rejects.toThrow('abort');
        expect((await store.alerts.list(ALL_TENANTS, { ...range, limit: 1 })).items).toEqual([]);
      });
    });

    describe('hostile strings', () => {
      it('round-trips quotes, SQL and 4-byte unicode in every text column', async () => {
        await store.tenants.create({ id: 'demo', name: INJECTION, language: 'ja' });
        const source = await store.sources.create({ tenantId: 'demo', name: QUOTES, format: UNICODE, timezone: INJECTION, ...digestOf(`'${UNICODE}`) });
        const user = await store.users.create({ login: UNICODE, displayName: INJECTION, passwordHash: QUOTES, role: 'customer_admin', tenantId: 'demo' });
        expect((await store.tenants.get(ALL_TENANTS, 'demo'))?.name).toBe(INJECTION);
        expect(await store.sources.get(ALL_TENANTS, source.id)).toMatchObject({ name: QUOTES, format: UNICODE, timezone: INJECTION, tokenHint: `'${UNICODE}`.slice(0, 8) });
        expect(await store.users.getByLogin(UNICODE)).toMatchObject({ id: user.id, displayName: INJECTION, passwordHash: QUOTES });
        await store.users.setPassword(ALL_TENANTS, user.id, INJECTION);
        expect((await store.users.list(ALL_TENANTS)).map((u) => u.displayName)).toEqual([INJECTION]);
        expect(await store.tenants.get(ALL_TENANTS, INJECTION)).toBeUndefined();
      });

      it('refuses NUL and unpaired surrogates with MAMORI_E_INVALID everywhere', async () => {
        const { userA } = await seed();
        for (const bad of ['a\u0000b', '\u0000', 'x\ud83d', '\udc00y']) {
          await expectCode(store.tenants.create({ id: 'x', name: bad, language: 'en' }), 'MAMORI_E_INVALID', /NUL|surrogate/);
          await expectCode(store.tenants.update(ALL_TENANTS, 'tenant-a', { name: bad }), 'MAMORI_E_INVALID');
          await expectCode(store.tenants.get(ALL_TENANTS, bad), 'MAMORI_E_INVALID');
          await expectCode(store.sources.create({ tenantId: 'tenant-a', name: bad, format: 'syslog', ...digestOf(bad) }), 'MAMORI_E_INVALID');
          await expectCode(store.sources.get(ALL_TENANTS, bad), 'MAMORI_E_INVALID');
          await expectCode(store.users.create({ login: bad, displayName: 'x', passwordHash: 'h', role: 'soc_lead' }), 'MAMORI_E_INVALID');
          await expectCode(store.users.getByLogin(bad), 'MAMORI_E_INVALID');
          await expectCode(store.users.getById(ALL_TENANTS, bad), 'MAMORI_E_INVALID');
          await expectCode(store.users.setPassword(ALL_TENANTS, userA.id, bad), 'MAMORI_E_INVALID');
          await expectCode(store.tokens.create({ userId: userA.id, name: bad, ...digestOf('t') }), 'MAMORI_E_INVALID');
          await expectCode(store.tokens.listForUser(bad), 'MAMORI_E_INVALID');
          await expectCode(store.audit.append({ actorLogin: bad, action: 'x', targetType: 't' }), 'MAMORI_E_INVALID');
          await expectCode(store.audit.list(ALL_TENANTS, { from: T0, to: T0, action: bad, limit: 1 }), 'MAMORI_E_INVALID');
        }
        expect((await store.tenants.get(ALL_TENANTS, 'tenant-a'))?.name).toBe('Tenant A');
      });

      it('refuses oversized and non-string text', async () => {
        await expectCode(store.tenants.create({ id: 'x', name: 'n'.repeat(201), language: 'en' }), 'MAMORI_E_INVALID', /at most 200/);
        await expectCode(store.tenants.create({ id: 'x', name: '', language: 'en' }), 'MAMORI_E_INVALID');
        await expectCode(store.tenants.create({ id: 'x', name: 42 as unknown as string, language: 'en' }), 'MAMORI_E_INVALID');
        await expectCode(store.users.getByLogin('l'.repeat(10_000)), 'MAMORI_E_INVALID');
      });

      it('stores any storable string unchanged and refuses the rest', async () => {
        await store.tenants.create({ id: 'demo', name: 'Demo', language: 'en' });
        const unit = fc.oneof(
          { weight: 8, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
          { weight: 1, arbitrary: fc.constantFrom('\u0000', '\ud800', '\udfff', '\ud83d\udee1', "'", '\\', '"') },
        );
        const value = fc.array(unit, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
        let n = 0;
        await fc.assert(
          fc.asyncProperty(value, async (name) => {
            // Well-formed UTF-16 is exactly what survives a UTF-8 round trip unchanged.
            const storable = name.length <= 200 && Buffer.from(name, 'utf8').toString('utf8') === name && !name.includes('\u0000');
            const created = store.sources.create({ tenantId: 'demo', name, format: 'syslog', ...digestOf(`prop-${n++}`) });
            if (!storable || name.length === 0) {
              await expectCode(created, 'MAMORI_E_INVALID');
              return;
            }
            const source = await created;
            expect((await store.sources.get(ALL_TENANTS, source.id))?.name).toBe(name);
          }),
          { numRuns: 60 },
        );
      });
    });

    describe('scoping everywhere', () => {
      it('never returns rows of tenant B to a scope of tenant A', async () => {
        const { sourceB, userB } = await seed();
        await store.audit.append({ actorLogin: 'x', tenantId: 'tenant-b', action: 'x', targetType: 't' });
        const query = { from: new Date(0), to: new Date('2100-01-01'), limit: 100 };
        const seen: unknown[] = [
          await store.tenants.list(A),
          await store.tenants.get(A, 'tenant-b'),
          await store.sources.list(A),
          await store.sources.list(A, 'tenant-b'),
          await store.sources.get(A, sourceB.id),
          await store.users.list(A),
          await store.users.getById(A, userB.id),
          await store.audit.list(A, query),
        ];
        expect(JSON.stringify(seen)).not.toContain('tenant-b');
        const users = (await store.users.list(A)) as User[];
        expect(users.every((u) => u.tenantId === 'tenant-a')).toBe(true);
      });

      it('returns nothing to an empty scope', async () => {
        const { sourceA, userA } = await seed();
        const empty: TenantScope = NONE;
        expect(await store.tenants.list(empty)).toEqual([]);
        expect(await store.sources.list(empty)).toEqual([]);
        expect(await store.sources.get(empty, sourceA.id)).toBeUndefined();
        expect(await store.users.list(empty)).toEqual([]);
        expect(await store.users.getById(empty, userA.id)).toBeUndefined();
        expect(await store.audit.list(empty, { from: new Date(0), to: new Date('2100-01-01'), limit: 1 })).toEqual([]);
      });
    });
  });
}
