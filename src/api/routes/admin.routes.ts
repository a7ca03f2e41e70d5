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

    app.post<{ Body: { tenant: string; name?: string; format: string; charset?: string; timezone?: string } }>(
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
              name: { type: 'string', minLength: 1, maxLength: 200 },
              format: { type: 'string', maxLength: 64 },
              charset: { type: 'string', maxLength: 64 },
              timezone: { type: 'string', maxLength: 64 },
            },
          },
          response: responses({ ...sourceSchema, properties: { ...sourceSchema.properties, token: { type: 'string' } } }),
        },
      },
      async (request) => publicSource(await deps.admin.addSource(ctxOf(request), request.body)),
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
    ...(s.token ? { token: s.token } : {}),
  };
}
