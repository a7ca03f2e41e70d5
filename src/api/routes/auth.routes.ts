import type { FastifyPluginAsync } from 'fastify';
import { ctxOf, SESSION_COOKIE, type ApiDeps } from '../app.js';
import { errorSchema, responses } from './schemas.js';

const callerSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, login: { type: 'string' }, role: { type: 'string' }, tenant_id: { type: 'string', nullable: true } },
} as const;

const credentials = {
  type: 'object',
  required: ['login', 'password'],
  additionalProperties: false,
  properties: { login: { type: 'string', maxLength: 200 }, password: { type: 'string', maxLength: 1024 } },
} as const;

export const authRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    app.post<{ Body: { login: string; password: string } }>(
      '/auth/login',
      { config: { public: true }, schema: { tags: ['auth'], summary: 'Sign in; sets the session cookie', body: credentials, response: responses(callerSchema) } },
      async (request, reply) => {
        const caller = await deps.auth.verifyPassword(request.body.login, request.body.password, request.ip);
        const { sessionId, expiresAt } = await deps.auth.createSession(caller, request.ip);
        reply.setCookie(SESSION_COOKIE, sessionId, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: deps.secureCookies,
          expires: new Date(expiresAt),
        });
        return { id: caller.id, login: caller.login, role: caller.role, tenant_id: caller.tenantId };
      },
    );

    app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'End the session' } }, async (request, reply) => {
      const session = request.cookies[SESSION_COOKIE];
      if (session) await deps.auth.endSession(session);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });

    app.get('/auth/me', { schema: { tags: ['auth'], summary: 'Who am I', response: responses(callerSchema) } }, async (request) => {
      const { caller } = ctxOf(request);
      return { id: caller.id, login: caller.login, role: caller.role, tenant_id: caller.tenantId };
    });

    // Login and password in, API token out: what `mamori login` uses.
    app.post<{ Body: { login: string; password: string; name?: string } }>(
      '/auth/token',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Exchange a login and password for an API token (shown once)',
          body: { ...credentials, properties: { ...credentials.properties, name: { type: 'string', maxLength: 100 } } },
          response: { 200: { type: 'object', properties: { token: { type: 'string' }, id: { type: 'string' } } }, '4xx': errorSchema },
        },
      },
      async (request) => {
        const caller = await deps.auth.verifyPassword(request.body.login, request.body.password, request.ip);
        return deps.auth.createApiToken(caller, request.body.name ?? 'cli', request.ip);
      },
    );

    app.post<{ Body: { name: string; expires_at?: string } }>(
      '/auth/tokens',
      {
        schema: {
          tags: ['auth'],
          summary: 'Create an API token for the signed-in user (shown once)',
          body: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, expires_at: { type: 'string', format: 'date-time' } },
          },
          response: { 200: { type: 'object', properties: { token: { type: 'string' }, id: { type: 'string' } } }, '4xx': errorSchema },
        },
      },
      async (request) => {
        const ctx = ctxOf(request);
        return deps.auth.createApiToken(ctx.caller, request.body.name, ctx.ip, request.body.expires_at);
      },
    );
  };
