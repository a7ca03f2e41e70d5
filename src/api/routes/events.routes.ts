import type { FastifyPluginAsync } from 'fastify';
import { MamoriError } from '../../core/errors.js';
import { parseDuration, parseTimeArg } from '../../store/query/time.js';
import { ctxOf, type ApiDeps } from '../app.js';
import type { EventRequest } from '../services/event.service.js';
import { eventQuerySchema, responses } from './schemas.js';

interface EventQueryString {
  q: string;
  from: string;
  to: string;
  tenant?: string;
}

function requestOf(query: EventQueryString): EventRequest {
  const now = Date.now();
  return { q: query.q, from: time(query.from, now, 'from'), to: time(query.to, now, 'to'), tenant: query.tenant };
}

function time(text: string, now: number, name: string): number {
  try {
    return parseTimeArg(text, now);
  } catch (err) {
    throw new MamoriError('MAMORI_E_INVALID', `${name}: ${(err as Error).message}`);
  }
}

const withProps = (extra: Record<string, object>) => ({ ...eventQuerySchema, properties: { ...eventQuerySchema.properties, ...extra } });

export const eventRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    app.get<{ Querystring: EventQueryString & { limit: number; order: 'asc' | 'desc' } }>(
      '/events',
      {
        schema: {
          tags: ['events'],
          summary: 'Search stored events',
          querystring: withProps({
            limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 },
            order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
          }),
          response: responses({ type: 'object', properties: { events: { type: 'array', items: { type: 'object', additionalProperties: true } } } }),
        },
      },
      async (request) => ({
        events: await deps.events.search(ctxOf(request), requestOf(request.query), request.query.limit, request.query.order),
      }),
    );

    app.get<{ Querystring: EventQueryString }>(
      '/events/count',
      { schema: { tags: ['events'], summary: 'Count matching events', querystring: eventQuerySchema, response: responses({ type: 'object', properties: { count: { type: 'integer' } } }) } },
      async (request) => ({ count: await deps.events.count(ctxOf(request), requestOf(request.query)) }),
    );

    app.get<{ Querystring: EventQueryString & { interval: string } }>(
      '/events/histogram',
      {
        schema: {
          tags: ['events'],
          summary: 'Counts of matching events over time',
          querystring: withProps({ interval: { type: 'string', default: '5m', description: 'Bucket width: 30s, 5m, 1h, 1d' } }),
          response: responses({
            type: 'object',
            properties: { buckets: { type: 'array', items: { type: 'object', properties: { time: { type: 'string' }, count: { type: 'integer' } } } } },
          }),
        },
      },
      async (request) => {
        let interval: number;
        try {
          interval = parseDuration(request.query.interval);
        } catch (err) {
          throw new MamoriError('MAMORI_E_INVALID', `interval: ${(err as Error).message}`);
        }
        return { buckets: await deps.events.histogram(ctxOf(request), requestOf(request.query), interval) };
      },
    );

    app.get<{ Querystring: EventQueryString & { field: string; limit: number } }>(
      '/events/top',
      {
        schema: {
          tags: ['events'],
          summary: 'Most frequent values of a field among matching events',
          querystring: {
            ...withProps({ field: { type: 'string', maxLength: 200 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 10 } }),
            required: ['field'],
          },
          response: responses({
            type: 'object',
            properties: { field: { type: 'string' }, values: { type: 'array', items: { type: 'object', properties: { value: { type: 'string' }, count: { type: 'integer' } } } } },
          }),
        },
      },
      async (request) => ({
        field: request.query.field,
        values: await deps.events.top(ctxOf(request), requestOf(request.query), request.query.field, request.query.limit),
      }),
    );
  };
