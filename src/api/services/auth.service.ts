import { hash, verify } from '@node-rs/argon2';
import { MamoriError } from '../../core/errors.js';
import { newSecret } from '../../core/ids.js';
import { secretDigest } from '../../store/state/secret-digest.js';
import type { StateStore } from '../../store/state/state-store.js';
import type { User } from '../../store/state/user.repository.js';
import { contextFor, type Caller, type RequestContext } from '../context.js';

/** Argon2id (algorithm 2) with the OWASP-recommended minimum cost. */
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const SESSION_PREFIX = 'mms_';
export const API_TOKEN_PREFIX = 'mmr_';
export const INGEST_TOKEN_PREFIX = 'mmi_';

export function hashPassword(password: string): Promise<string> {
  if (password.length < 12) throw new MamoriError('MAMORI_E_INVALID', 'password must be at least 12 characters');
  if (password.length > 1024) throw new MamoriError('MAMORI_E_INVALID', 'password must be at most 1024 characters');
  return hash(password, ARGON2);
}

/**
 * Sign-in, sessions and API tokens. Secrets are returned once and only their
 * SHA-256 digests are stored.
 */
export class AuthService {
  /** Verified when a login is unknown, so timing does not reveal which logins exist. */
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly state: StateStore,
    private readonly sessionHours: number,
  ) {
    this.dummyHash = hash(newSecret('', 16), ARGON2);
  }

  /** Checks a login and password; failures are audited and answer the same whatever was wrong. */
  async verifyPassword(login: string, password: string, ip: string): Promise<Caller> {
    const user = typeof login === 'string' && login.length <= 200 ? await this.state.users.getByLogin(login) : undefined;
    const ok = user && !user.disabled ? await verifySafely(user.passwordHash, password) : (await verifySafely(await this.dummyHash, password)) && false;
    if (!user || !ok) {
      await this.state.audit.append({
        actorLogin: String(login).slice(0, 200),
        action: 'auth.login_failed',
        targetType: 'user',
        ip,
        details: {},
      });
      throw new MamoriError('MAMORI_E_UNAUTHENTICATED', 'wrong login or password');
    }
    return { id: user.id, login: user.login, role: user.role, tenantId: user.tenantId };
  }

  async createSession(caller: Caller, ip: string): Promise<{ sessionId: string; expiresAt: string }> {
    const sessionId = newSecret(SESSION_PREFIX, 32);
    const expiresAt = new Date(Date.now() + this.sessionHours * 3_600_000);
    await this.state.sessions.create({ idHash: secretDigest(sessionId), userId: caller.id, expiresAt });
    await this.state.audit.append({ actorId: caller.id, actorLogin: caller.login, action: 'auth.login', targetType: 'user', targetId: caller.id, ip, details: {} });
    return { sessionId, expiresAt: expiresAt.toISOString() };
  }

  async endSession(sessionId: string): Promise<void> {
    await this.state.sessions.delete(secretDigest(sessionId));
  }

  async createApiToken(caller: Caller, name: string, ip: string, expiresAt?: string): Promise<{ token: string; id: string }> {
    const token = newSecret(API_TOKEN_PREFIX, 32);
    const row = await this.state.tokens.create({ userId: caller.id, name, tokenHash: secretDigest(token), tokenHint: token.slice(0, 8), expiresAt: expiresAt ? new Date(expiresAt) : null });
    await this.state.audit.append({ actorId: caller.id, actorLogin: caller.login, action: 'token.create', targetType: 'api_token', targetId: row.id, ip, details: { name } });
    return { token, id: row.id };
  }

  /** Resolves a session cookie or a bearer API token to a request context; undefined when neither is valid. */
  async authenticate(credential: { session?: string; bearer?: string }, ip: string): Promise<RequestContext | undefined> {
    const now = new Date();
    if (credential.bearer?.startsWith(API_TOKEN_PREFIX)) {
      const found = await this.state.tokens.findValid(secretDigest(credential.bearer), now);
      if (found) return contextFor(toCaller(found.user), ip);
    }
    if (credential.session?.startsWith(SESSION_PREFIX)) {
      const found = await this.state.sessions.findValid(secretDigest(credential.session), now);
      if (found) return contextFor(toCaller(found.user), ip);
    }
    return undefined;
  }
}

function toCaller(user: User): Caller {
  if (user.disabled) throw new MamoriError('MAMORI_E_UNAUTHENTICATED', 'account disabled');
  return { id: user.id, login: user.login, role: user.role, tenantId: user.tenantId };
}

function verifySafely(hashed: string, password: unknown): Promise<boolean> {
  if (typeof password !== 'string' || password.length > 1024) return Promise.resolve(false);
  return verify(hashed, password).catch(() => false);
}
