import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { MamoriError } from '../../core/errors.js';

/** Vite puts content-hashed bundles here; their names change with their content. */
const ASSETS_DIR = 'assets';
const IMMUTABLE = 'public, max-age=31536000, immutable';
// index.html names the current bundles: browsers must revalidate it on every load.
const REVALIDATE = 'no-cache';

/**
 * Defence in depth behind React's escaping: the portal shows attacker-written
 * log text, so no inline or foreign script may ever run, and the page may
 * talk only to its own server. Inline styles stay allowed (ECharts' SVG).
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const MISSING_BUILD = 'The web portal is not built. Run `npm run build`, then restart `mamori serve`. The REST API under /api/v1/ works without it.\n';

/** Paths owned by the API: never answered with the portal, even when no route matches. */
function isServerPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url === '/metrics' || url.startsWith('/metrics/') || url.startsWith('/metrics?');
}

/**
 * Serves the built single-page portal (Vite output) from `webRoot`: the built
 * files as they are, and index.html for any other GET outside the API so that
 * the app's own routes survive a reload. Everything here is public: the
 * portal's code holds no data, and the API it calls authenticates.
 */
export const webRoutes =
  (webRoot: string): FastifyPluginAsync =>
  async (app) => {
    // Routes of this plugin (and of @fastify/static inside it) skip the session check of app.ts.
    app.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });

    if (!existsSync(path.join(webRoot, 'index.html'))) {
      const missing = async (request: { url: string }, reply: FastifyReply) => {
        if (isServerPath(request.url)) throw notFound(request.url);
        return reply.status(503).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(MISSING_BUILD);
      };
      app.get('/', { schema: { hide: true } }, missing);
      app.get('/*', { schema: { hide: true } }, missing);
      return;
    }

    const root = path.resolve(webRoot);
    await app.register(fastifyStatic, {
      root,
      // One route per built file, found at start: the build does not change under a running server.
      wildcard: false,
      cacheControl: false,
      dotfiles: 'deny',
      setHeaders: (reply, file) => {
        const relative = path.relative(root, file);
        reply.header('cache-control', relative.startsWith(ASSETS_DIR + path.sep) ? IMMUTABLE : REVALIDATE);
        reply.header('x-content-type-options', 'nosniff');
        reply.header('content-security-policy', CSP);
      },
    });

    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      if (isServerPath(request.url)) throw notFound(request.url);
      // A missing bundle is a stale page asking for an old build, not an app route.
      if (request.url.startsWith(`/${ASSETS_DIR}/`)) throw notFound(request.url);
      return reply.sendFile('index.html');
    });
  };

function notFound(url: string): MamoriError {
  const pathOnly = url.split('?', 1)[0];
  return new MamoriError('MAMORI_E_NOT_FOUND', `no such path: ${pathOnly.length > 200 ? `${pathOnly.slice(0, 200)}…` : pathOnly}`);
}
