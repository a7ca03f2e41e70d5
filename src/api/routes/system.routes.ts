import type { FastifyPluginAsync } from 'fastify';
import { parserInfo } from '../../parse/registry.js';
import { ctxOf, type ApiDeps } from '../app.js';
import { requirePermission } from '../context.js';

export const systemRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    app.get('/api/v1/health', { config: { public: true }, schema: { tags: ['system'], summary: 'Liveness' } }, async () => ({
      status: 'ok',
      version: deps.version,
    }));

    app.get('/api/v1/parsers', { schema: { tags: ['system'], summary: 'Known log formats' } }, async () => ({ items: parserInfo() }));

    app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

    // Prometheus text format; scrape with an API token (bearer_token in Prometheus).
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      requirePermission(ctxOf(request), 'metrics:read');
      reply.type('text/plain; version=0.0.4');
      return deps.metrics();
    });
  };
