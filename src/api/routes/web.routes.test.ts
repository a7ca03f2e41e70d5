import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HTTP_STATUS, MamoriError } from '../../core/errors.js';
import { webRoutes } from './web.routes.js';

const INDEX = '<!doctype html><title>Mamori</title><div id="root"></div>';
const BUNDLE = 'console.log("bundle")';

let dir: string;
let app: FastifyInstance;

/** The same gate as app.ts: anything not marked public needs a session. */
async function build(webRoot: string): Promise<FastifyInstance> {
  const a = Fastify();
  a.setErrorHandler((error, _request, reply) => {
    if (error instanceof MamoriError) return reply.status(HTTP_STATUS[error.code]).send({ error: { code: error.code, message: error.message } });
    return reply.status(500).send({ error: { code: 'MAMORI_E_INTERNAL', message: 'internal' } });
  });
  a.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.public) return;
    throw new MamoriError('MAMORI_E_UNAUTHENTICATED', 'sign in');
  });
  a.get('/api/v1/health', { config: { public: true } }, async () => ({ status: 'ok' }));
  a.get('/api/v1/events', async () => ({ events: [] }));
  a.get('/metrics', async () => 'metrics');
  await a.register(webRoutes(webRoot));
  return a;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-web-'));
});

afterEach(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('webRoutes with a built portal', () => {
  beforeEach(async () => {
    const web = path.join(dir, 'web');
    mkdirSync(path.join(web, 'assets'), { recursive: true });
    writeFileSync(path.join(web, 'index.html'), INDEX);
    writeFileSync(path.join(web, 'assets', 'index-Ab12Cd34.js'), BUNDLE);
    writeFileSync(path.join(web, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(path.join(web, '.secret'), 'hidden');
    // Beside the web root, not in it: must never be reachable.
    writeFileSync(path.join(dir, 'outside.txt'), 'OUTSIDE-CONTENT');
    app = await build(web);
  });

  it('serves index.html at / without a session, revalidated on every load', async () => {
    const r = await app.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe(INDEX);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed bundles as immutable and other files as revalidated', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).toBe(BUNDLE);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers app routes (deep links, query strings) with index.html', async () => {
    for (const url of ['/search', '/search?q=source.ip%3A10.0.0.1', '/a/b/c', '/%E6%A4%9C%E7%B4%A2']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).toBe(INDEX);
      expect(r.headers['cache-control'], url).toBe('no-cache');
      expect(r.headers['content-security-policy'], url).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
    }
    const head = await app.inject({ method: 'HEAD', url: '/search' });
    expect(head.statusCode).toBe(200);
  });

  it('leaves the API and /metrics alone: their routes still authenticate, unknown API paths are a JSON 404', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/events' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).json()).toEqual({ status: 'ok' });
    for (const url of ['/api/v1/nope', '/api', '/metrics/x', `/api/${'x'.repeat(5000)}`]) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error.code).toBe('MAMORI_E_NOT_FOUND');
      expect(r.json().error.message.length).toBeLessThan(300);
    }
  });

  it('answers 404 for a missing bundle instead of HTML under a script name', async () => {
    const r = await app.inject({ method: 'GET', url: '/assets/index-gone.js' });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toMatch(/json/);
  });

  it('never serves files outside the build or dotfiles', async () => {
    for (const url of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt', '/assets/%2e%2e/%2e%2e/outside.txt', '/.secret', '/%2esecret']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.body, url).not.toContain('OUTSIDE-CONTENT');
      expect(r.body, url).not.toContain('hidden');
    }
  });

  it('does not answer other methods with the portal', async () => {
    const r = await app.inject({ method: 'POST', url: '/search', payload: {} });
    expect(r.statusCode).not.toBe(200);
  });
});

describe('webRoutes without a build', () => {
  beforeEach(async () => {
    app = await build(path.join(dir, 'absent'));
  });

  it('answers GET / and app routes with 503 and says how to build', async () => {
    for (const url of ['/', '/search']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(503);
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
      expect(r.body).toContain('npm run build');
    }
  });

  it('keeps the API working and unknown API paths a 404', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/nope' })).statusCode).toBe(404);
  });
});
