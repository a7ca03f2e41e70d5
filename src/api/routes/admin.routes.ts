import type { FastifyPluginAsync } from 'fastify';
import { ROLES, type Language, type Role } from '../../store/state/schema.js';
import type { Source } from '../../store/state/source.repository.js';
import type { Tenant } from '../../store/state/tenant.repository.js';
import type { User } from '../../store/state/user.repository.js';
import { ctxOf, type ApiDeps } from '../app.js';
import { responses, sourceSchema, tenantSchema, userSchema } from './schemas.js';

const list = (item: object) => ({ type: 'object', properties: { items: { type: 'array', items: item } } });

export const adminRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    app.get('/tenants', { schema: { tags: ['tenants'], summary: 'Tenants the caller may see', response: responses(list(tenantSchema)) } }, async (request) => ({
      items: (await deps.admin.listTenants(ctxOf(request))).map(publicTenant),
    }));

    app.post<{ Body: { id: string; name: string; language?: Language } }>(
      '/tenants',
      {
        schema: {
          tags: ['tenants'],
          summary: 'Add a tenant (customer organisation)',
          body: {
            type: 'object',
            required: ['id', 'name'],
            additionalProperties: false,
            properties: {
              id: { type: 'string', maxLength: 63 },
              name: { type: 'string', minLength: 1, maxLength: 200 },
              language: { type: 'string', enum: ['ja', 'en'] },
            },
          },
          response: responses(tenantSchema),
        },
      },
      async (request) => publicTenant(await deps.admin.addTenant(ctxOf(request), request.body)),
    );

    app.get<{ Querystring: { tenant?: string } }>(
      '/sources',
      {
        schema: {
          tags: ['sources'],
          summary: 'Ingest sources the caller may see',
          querystring: { type: 'object', properties: { tenant: { type: 'string' } } },
          response: responses(list(sourceSchema)),
        },
      },
      async (request) => ({ items: (await deps.admin.listSources(ctxOf(request), request.query.tenant)).map(publicSource) }),
    );

    app.post<{ Body: SourceBody & { tenant: string; format: string } }>(
      '/sources',
      {
        schema: {
          tags: ['sources'],
          summary: 'Add an ingest source; the answer holds its token, shown this once',
          body: {
            type: 'object',
            required: ['tenant', 'format'],
            additionalProperties: false,
            properties: {
              tenant: { type: 'string', maxLength: 63 },
              format: { type: 'string', maxLength: 64 },
              ...SOURCE_BODY_PROPERTIES,
            },
          },
          response: responses({ ...sourceSchema, properties: { ...sourceSchema.properties, token: { type: 'string' } } }),
        },
      },
      async (request) => {
        const { tenant, format, ...rest } = request.body;
        return publicSource(await deps.admin.addSource(ctxOf(request), { tenant, format, ...sourceChanges(rest) }));
      },
    );

    app.patch<{ Params: { id: string }; Body: SourceBody & { disabled?: boolean } }>(
      '/sources/:id',
      {
        schema: {
          tags: ['sources'],
          summary: 'Change a source: parsing, binding (sender addresses, client certificate), rate limit, or disable it',
          params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } } },
          body: {
            type: 'object',
            additionalProperties: false,
            properties: { ...SOURCE_BODY_PROPERTIES, format: { type: 'string', maxLength: 64 }, disabled: { type: 'boolean' } },
          },
          response: responses(sourceSchema),
        },
      },
      async (request) => {
        const { disabled, ...rest } = request.body;
        return publicSource(await deps.admin.updateSource(ctxOf(request), request.params.id, { ...sourceChanges(rest), ...(disabled === undefined ? {} : { disabled }) }));
      },
    );

    app.get('/users', { schema: { tags: ['users'], summary: 'Accounts the caller may see', response: responses(list(userSchema)) } }, async (request) => ({
      items: (await deps.admin.listUsers(ctxOf(request))).map(publicUser),
    }));

    app.post<{ Body: { login: string; password: string; role: Role; tenant?: string; display_name?: string } }>(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Add an account',
          body: {
            type: 'object',
            required: ['login', 'password', 'role'],
            additionalProperties: false,
            properties: {
              login: { type: 'string', minLength: 1, maxLength: 200 },
              password: { type: 'string', minLength: 12, maxLength: 1024 },
              role: { type: 'string', enum: [...ROLES] },
              tenant: { type: 'string', maxLength: 63 },
              display_name: { type: 'string', maxLength: 200 },
            },
          },
          response: responses(userSchema),
        },
      },
      async (request) => {
        const b = request.body;
        const user = await deps.admin.addUser(ctxOf(request), { login: b.login, password: b.password, role: b.role, tenant: b.tenant, displayName: b.display_name });
        return publicUser(user);
      },
    );

    app.get<{ Querystring: { from?: string; to?: string; action?: string; limit: number } }>(
      '/audit',
      {
        schema: {
          tags: ['audit'],
          summary: 'Audit log of every state change',
          querystring: {
            type: 'object',
            properties: {
              from: { type: 'string', format: 'date-time' },
              to: { type: 'string', format: 'date-time' },
              action: { type: 'string', maxLength: 100 },
              limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 },
            },
          },
        },
      },
      async (request) => ({ items: await deps.admin.listAudit(ctxOf(request), request.query) }),
    );
  };

/** The API speaks snake_case; only listed fields leave the server (never password hashes). */
function publicUser(u: User) {
  return { id: u.id, login: u.login, display_name: u.displayName, role: u.role, tenant_id: u.tenantId, created_at: u.createdAt, disabled: u.disabled };
}

function publicTenant(t: Tenant) {
  return { id: t.id, name: t.name, language: t.language, retention_days: t.retentionDays, created_at: t.createdAt, disabled: t.disabled };
}

/** Source fields a client may set, as the API spells them. */
interface SourceBody {
  name?: string;
  format?: string;
  charset?: string;
  timezone?: string | null;
  match_cidrs?: string[];
  match_cert?: string | null;
  rate_limit_eps?: number | null;
}

const SOURCE_BODY_PROPERTIES = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  charset: { type: 'string', maxLength: 64 },
  timezone: { type: 'string', maxLength: 64, nullable: true },
  match_cidrs: { type: 'array', maxItems: 64, items: { type: 'string', maxLength: 50 }, description: 'Sender address blocks that identify this source on listeners with bind_by address.' },
  match_cert: { type: 'string', maxLength: 256, nullable: true, description: 'TLS client certificate subject CN, DNS name or SHA-256 fingerprint (bind_by certificate).' },
  rate_limit_eps: { type: 'integer', minimum: 1, maximum: 10_000_000, nullable: true, description: 'Events per second accepted from this source (null: unlimited).' },
} as const;

function sourceChanges(body: SourceBody) {
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.format !== undefined ? { format: body.format } : {}),
    ...(body.charset !== undefined ? { charset: body.charset } : {}),
    ...(body.timezone !== undefined ? { timezone: body.timezone } : {}),
    ...(body.match_cidrs !== undefined ? { matchCidrs: body.match_cidrs } : {}),
    ...(body.match_cert !== undefined ? { matchCert: body.match_cert } : {}),
    ...(body.rate_limit_eps !== undefined ? { rateLimitEps: body.rate_limit_eps } : {}),
  };
}

function publicSource(s: Source & { token?: string }) {
  return {
    id: s.id,
    tenant_id: s.tenantId,
    name: s.name,
    format: s.format,
    charset: s.charset,
    timezone: s.timezone,
    token_hint: s.tokenHint,
    created_at: s.createdAt,
    disabled: s.disabled,
    match_cidrs: s.matchCidrs,
    match_cert: s.matchCert,
    rate_limit_eps: s.rateLimitEps,
    ...(s.token ? { token: s.token } : {}),
  };
}
