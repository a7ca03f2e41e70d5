import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { HTTP_STATUS, MamoriError } from '../core/errors.js';
import type { RequestContext } from './context.js';
import { alertRoutes } from './routes/alerts.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { adminRoutes } from './routes/admin.routes.js';
import { eventRoutes } from './routes/events.routes.js';
import { ingestRoutes } from './routes/ingest.routes.js';
import { systemRoutes } from './routes/system.routes.js';
import { webRoutes } from './routes/web.routes.js';
import type { AdminService } from './services/admin.service.js';
import type { AlertService } from './services/alert.service.js';
import type { AuthService } from './services/auth.service.js';
import type { EventService } from './services/event.service.js';
import type { IngestService } from './services/ingest.service.js';

export interface ApiDeps {
  auth: AuthService;
  admin: AdminService;
  events: EventService;
  alerts: AlertService;
  ingest: IngestService;
  /** Prometheus text of the process registry. */
  metrics: () => Promise<string>;
  maxBodyBytes: number;
  version: string;
  secureCookies: boolean;
  /** Serve HTTPS with these PEM contents; client certificates are asked for when clientAuth is not none. */
  https?: { cert: string; key: string; ca?: string; clientAuth: 'none' | 'request' | 'require' };
}

export const SESSION_COOKIE = 'mamori_session';

/** Seconds a refused sender should wait: what the error says, at least one. */
function retryAfterSeconds(error: MamoriError): number {
  const ms = error.details?.retryAfterMs;
  return typeof ms === 'number' && ms > 0 ? Math.ceil(ms / 1000) : 1;
}

declare module 'fastify' {
  interface FastifyRequest {
    ctx?: RequestContext;
  }
  interface FastifyContextConfig {
    /** Routes that need no session or API token (they authenticate otherwise or are public). */
    public?: boolean;
  }
}

/** Builds the HTTP application; `server.listen` is the caller's business. */
export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.https
      ? {
          https: {
            cert: deps.https.cert,
            key: deps.https.key,
            ca: deps.https.ca,
            requestCert: deps.https.clientAuth !== 'none',
            rejectUnauthorized: deps.https.clientAuth === 'require',
            minVersion: 'TLSv1.2' as const,
          },
        }
      : {}),
    logger: false,
    bodyLimit: 1_048_576,
    // JSON bodies: prototype poisoning is refused, not silently stripped.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Mamori API', version: deps.version, description: 'REST API of Mamori: everything the portal does.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (mmr_...) or, for ingest, a source ingest token (mmi_...)' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof MamoriError) {
      const status = HTTP_STATUS[error.code];
      if (status === 429) reply.header('Retry-After', String(retryAfterSeconds(error)));
      return reply.status(status).send({ error: { code: error.code, message: error.message } });
    }
    const e = error as { validation?: unknown; statusCode?: number; message?: string; code?: string };
    if (e.validation) {
      return reply.status(400).send({ error: { code: 'MAMORI_E_INVALID', message: e.message } });
    }
    if (e.statusCode && e.statusCode < 500) {
      const code = e.statusCode === 413 ? 'MAMORI_E_TOO_LARGE' : 'MAMORI_E_INVALID';
      return reply.status(e.statusCode).send({ error: { code, message: e.message } });
    }
    // 5xx details stay in the server log.
    console.error(`mamori: ${request.method} ${request.url}: ${(error as Error).stack ?? String(error)}`);
    return reply.status(500).send({ error: { code: 'MAMORI_E_INTERNAL', message: 'internal error; see the server log' } });
  });

  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.public) return;
    const ctx = await deps.auth.authenticate(credentialOf(request), request.ip);
    if (!ctx) throw new MamoriError('MAMORI_E_UNAUTHENTICATED', 'sign in or send an API token: Authorization: Bearer mmr_...');
    request.ctx = ctx;
  });

  await app.register(authRoutes(deps), { prefix: '/api/v1' });
  await app.register(adminRoutes(deps), { prefix: '/api/v1' });
  await app.register(eventRoutes(deps), { prefix: '/api/v1' });
  await app.register(alertRoutes(deps), { prefix: '/api/v1' });
  await app.register(ingestRoutes(deps), { prefix: '/api/v1' });
  await app.register(systemRoutes(deps));
  // The built portal (dist/web beside dist/api); its catch-all GET yields to every route above.
  await app.register(webRoutes(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web')));
  return app;
}

export function credentialOf(request: FastifyRequest): { session?: string; bearer?: string } {
  const header = request.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  return { bearer, session: request.cookies?.[SESSION_COOKIE] };
}

/** The context established by the onRequest hook (routes that are not public). */
export function ctxOf(request: FastifyRequest): RequestContext {
  if (!request.ctx) throw new MamoriError('MAMORI_E_UNAUTHENTICATED', 'not signed in');
  return request.ctx;
}
