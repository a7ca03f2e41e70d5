import type { FastifyPluginAsync } from 'fastify';
import { MamoriError } from '../../core/errors.js';
import { credentialOf, type ApiDeps } from '../app.js';
import type { IngestTarget } from '../services/ingest.service.js';
import { errorSchema } from './schemas.js';

const BODY_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/json', 'text/plain'];

export const ingestRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    // Ingest bodies are never parsed as one JSON document: lines go to the bus as they are.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(BODY_TYPES, { parseAs: 'buffer', bodyLimit: deps.maxBodyBytes }, (_req, body, done) => done(null, body));
    app.addContentTypeParser('*', (_req, _payload, done) => {
      done(new MamoriError('MAMORI_E_INVALID', `send one event per line as ${BODY_TYPES.join(' or ')}`), undefined);
    });

    app.post<{ Querystring: { tenant?: string; format?: string; timezone?: string; label?: string | string[] }; Body: Buffer }>(
      '/ingest',
      {
        config: { public: true },
        schema: {
          tags: ['ingest'],
          summary: 'Send events: NDJSON or plain lines (one event per line), optionally gzip-compressed',
          description:
            'With a source ingest token (Bearer mmi_...) the data belongs to that source\'s tenant and is parsed with its format. ' +
            'A signed-in SOC user may instead name tenant and format (file import).',
          querystring: {
            type: 'object',
            properties: {
              tenant: { type: 'string', maxLength: 63 },
              format: { type: 'string', maxLength: 64 },
              timezone: { type: 'string', maxLength: 64 },
              label: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'key=value labels stored as labels.<key>' },
            },
          },
          response: { 200: { type: 'object', properties: { accepted: { type: 'integer' } } }, '4xx': errorSchema, '5xx': errorSchema },
        },
      },
      async (request) => {
        const target = await resolveTarget(deps, request.query, credentialOf(request), request.ip);
        const accepted = await deps.ingest.ingest(target, request.body ?? Buffer.alloc(0), request.headers['content-encoding']);
        return { accepted };
      },
    );

    app.post<{ Body: Buffer; Headers: { 'x-mamori-retry'?: string } }>(
      '/ingest/agent',
      {
        config: { public: true },
        schema: {
          tags: ['ingest'],
          summary: 'Batches from `mamori agent`: gzip NDJSON envelopes carrying agent-assigned event ids (docs/agent.md)',
          description:
            'Authenticated by a source ingest token. With `X-Mamori-Retry: 1` (a batch that may have been delivered before) records whose id is already stored are dropped, so resending is safe.',
          response: {
            200: { type: 'object', properties: { accepted: { type: 'integer' }, invalid: { type: 'integer' } } },
            '4xx': errorSchema,
            '5xx': errorSchema,
          },
        },
      },
      async (request) => {
        const credential = credentialOf(request);
        const target = credential.bearer ? await deps.ingest.targetForToken(credential.bearer) : undefined;
        if (!target) {
          deps.ingest.countRejected('unauthenticated');
          throw new MamoriError('MAMORI_E_UNAUTHENTICATED', 'the agent needs a source ingest token: Authorization: Bearer mmi_...');
        }
        const resent = request.headers['x-mamori-retry'] === '1';
        return deps.ingest.ingestAgent(target, request.body ?? Buffer.alloc(0), request.headers['content-encoding'], resent);
      },
    );
  };

async function resolveTarget(
  deps: ApiDeps,
  query: { tenant?: string; format?: string; timezone?: string; label?: string | string[] },
  credential: { session?: string; bearer?: string },
  ip: string,
): Promise<IngestTarget> {
  if (credential.bearer) {
    const byToken = await deps.ingest.targetForToken(credential.bearer);
    if (byToken) return byToken;
  }
  const ctx = await deps.auth.authenticate(credential, ip);
  if (!ctx) {
    deps.ingest.countRejected('unauthenticated');
    throw new MamoriError('MAMORI_E_UNAUTHENTICATED', 'send a source ingest token: Authorization: Bearer mmi_...');
  }
  if (!query.tenant || !query.format) {
    throw new MamoriError('MAMORI_E_INVALID', 'a user (not a source token) must give ?tenant= and ?format=');
  }
  return deps.ingest.targetForUser(ctx, query.tenant, query.format, labelsOf(query.label), query.timezone);
}

function labelsOf(label: string | string[] | undefined): Record<string, string> | undefined {
  if (label === undefined) return undefined;
  const labels: Record<string, string> = {};
  for (const item of Array.isArray(label) ? label : [label]) {
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq) : '';
    if (!/^[a-z][a-z0-9_]{0,40}$/.test(key)) throw new MamoriError('MAMORI_E_INVALID', `label "${item}": use key=value with a lowercase key`);
    labels[key] = item.slice(eq + 1, eq + 201);
  }
  return labels;
}
