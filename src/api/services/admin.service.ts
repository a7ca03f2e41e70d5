import { MamoriError } from '../../core/errors.js';
import { newSecret } from '../../core/ids.js';
import { getParser } from '../../parse/registry.js';
import { makeDecoder } from '../../collect/decode.js';
import { secretDigest, secretHint } from '../../store/state/secret-digest.js';
import type { Source, SourceChanges } from '../../store/state/source.repository.js';
import type { StateStore } from '../../store/state/state-store.js';
import { CUSTOMER_ROLES, type Language, type Role } from '../../store/state/schema.js';
import { requirePermission, requireTenant, type RequestContext } from '../context.js';
import { hashPassword, INGEST_TOKEN_PREFIX } from './auth.service.js';

export interface NewSource {
  tenant: string;
  name?: string;
  format: string;
  charset?: string;
  timezone?: string | null;
  matchCidrs?: string[];
  matchCert?: string | null;
  rateLimitEps?: number | null;
}

export interface NewUser {
  login: string;
  displayName?: string;
  password: string;
  role: Role;
  tenant?: string;
}

/**
 * Tenants, sources and users: every change checks the caller's permission
 * and tenant, and is written to the audit log.
 */
export class AdminService {
  /** `onSourcesChanged` lets collection reload its routing table at once. */
  constructor(
    private readonly state: StateStore,
    private readonly onSourcesChanged: () => void = () => {},
  ) {}

  async addTenant(ctx: RequestContext, input: { id: string; name: string; language?: Language }) {
    requirePermission(ctx, 'tenants:write');
    return this.state.transaction(async (tx) => {
      const tenant = await tx.tenants.create({ id: input.id, name: input.name, language: input.language ?? 'ja' });
      await tx.audit.append(auditOf(ctx, 'tenant.create', 'tenant', tenant.id, tenant.id, { name: tenant.name, language: tenant.language }));
      return tenant;
    });
  }

  async listTenants(ctx: RequestContext) {
    requirePermission(ctx, 'tenants:read');
    return this.state.tenants.list(ctx.scope);
  }

  /** Creates an ingest source and returns its token, which is shown this once. */
  async addSource(ctx: RequestContext, input: NewSource) {
    requirePermission(ctx, 'sources:write');
    requireTenant(ctx, input.tenant);
    getParser(input.format); // unknown format: clear error listing the known ones
    if (input.charset) makeDecoder(input.charset);
    if (input.timezone) checkTimeZone(input.timezone);
    const token = newSecret(INGEST_TOKEN_PREFIX, 32);
    const created = await this.state.transaction(async (tx) => {
      if (!(await tx.tenants.get(ctx.scope, input.tenant))) throw new MamoriError('MAMORI_E_NOT_FOUND', `tenant "${input.tenant}" not found`);
      const source = await tx.sources.create({
        tenantId: input.tenant,
        name: input.name ?? `${input.format}-source`,
        format: input.format,
        charset: input.charset ?? 'utf-8',
        timezone: input.timezone ?? null,
        tokenHash: secretDigest(token),
        tokenHint: secretHint(token),
        matchCidrs: input.matchCidrs,
        matchCert: input.matchCert,
        rateLimitEps: input.rateLimitEps,
      });
      await tx.audit.append(auditOf(ctx, 'source.create', 'source', source.id, input.tenant, { name: source.name, format: source.format, ...bindingOf(source) }));
      return { ...source, token };
    });
    this.onSourcesChanged();
    return created;
  }

  /** Changes a source's parsing, binding or rate limit, or disables it. */
  async updateSource(ctx: RequestContext, id: string, changes: SourceChanges) {
    requirePermission(ctx, 'sources:write');
    if (changes.format !== undefined) getParser(changes.format);
    if (changes.charset !== undefined) makeDecoder(changes.charset);
    if (changes.timezone) checkTimeZone(changes.timezone);
    const updated = await this.state.transaction(async (tx) => {
      const source = await tx.sources.update(ctx.scope, id, changes);
      if (!source) throw new MamoriError('MAMORI_E_NOT_FOUND', `source "${id}" not found`);
      await tx.audit.append(auditOf(ctx, 'source.update', 'source', source.id, source.tenantId, { ...changes }));
      return source;
    });
    this.onSourcesChanged();
    return updated;
  }

  async listSources(ctx: RequestContext, tenant?: string) {
    requirePermission(ctx, 'sources:read');
    return this.state.sources.list(ctx.scope, tenant);
  }

  async addUser(ctx: RequestContext, input: NewUser) {
    requirePermission(ctx, 'users:write');
    const customer = (CUSTOMER_ROLES as readonly string[]).includes(input.role);
    if (!customer && !ctx.scope.all) {
      throw new MamoriError('MAMORI_E_FORBIDDEN', 'only SOC administrators may create SOC-side accounts');
    }
    if (customer) {
      if (!input.tenant) throw new MamoriError('MAMORI_E_INVALID', `role ${input.role} needs --tenant`);
      requireTenant(ctx, input.tenant);
    }
    const passwordHash = await hashPassword(input.password);
    return this.state.transaction(async (tx) => {
      const user = await tx.users.create({
        login: input.login,
        displayName: input.displayName ?? input.login,
        passwordHash,
        role: input.role,
        tenantId: customer ? input.tenant! : null,
      });
      await tx.audit.append(auditOf(ctx, 'user.create', 'user', user.id, user.tenantId, { login: user.login, role: user.role }));
      return user;
    });
  }

  async listUsers(ctx: RequestContext) {
    requirePermission(ctx, 'users:read');
    return this.state.users.list(ctx.scope);
  }

  async listAudit(ctx: RequestContext, options: { from?: string; to?: string; action?: string; limit: number }) {
    requirePermission(ctx, 'audit:read');
    const to = options.to ? new Date(options.to) : new Date();
    const from = options.from ? new Date(options.from) : new Date(to.getTime() - 30 * 86_400_000);
    return this.state.audit.list(ctx.scope, { from, to, action: options.action, limit: options.limit });
  }
}

export function auditOf(ctx: RequestContext, action: string, targetType: string, targetId: string | null, tenantId: string | null, details: Record<string, unknown>) {
  return { actorId: ctx.caller.id, actorLogin: ctx.caller.login, tenantId, action, targetType, targetId, details, ip: ctx.ip };
}

function checkTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new MamoriError('MAMORI_E_INVALID', `unknown time zone "${zone}": use an IANA name such as Asia/Tokyo`);
  }
}

function bindingOf(source: Source) {
  return { match_cidrs: source.matchCidrs, match_cert: source.matchCert, rate_limit_eps: source.rateLimitEps };
}
