import type { FastifyPluginAsync } from 'fastify';
import { MamoriError } from '../../core/errors.js';
import { parseTimeArg } from '../../store/query/time.js';
import type { Alert, AlertFilter, AlertSummary } from '../../store/state/alert.repository.js';
import { ALERT_LEVELS, type AlertLevel } from '../../store/state/schema.js';
import { ctxOf, type ApiDeps } from '../app.js';
import { responses } from './schemas.js';

interface FilterQueryString {
  tenant?: string;
  level?: AlertLevel[];
  rule?: string;
  from: string;
  to: string;
}

const filterProperties = {
  tenant: { type: 'string', maxLength: 63, description: 'Only this tenant (within what the caller may see).' },
  level: {
    type: 'array',
    items: { type: 'string', enum: ALERT_LEVELS },
    maxItems: ALERT_LEVELS.length,
    description: 'Only these levels; repeat the parameter for several (level=high&level=critical).',
  },
  rule: { type: 'string', maxLength: 200, description: 'Only alerts of this rule id.' },
  from: { type: 'string', default: 'now-24h', description: 'Created at or after: ISO 8601, epoch ms, now-15m, or a duration ago (1h).' },
  to: { type: 'string', default: 'now', description: 'Created before (exclusive), same forms as from.' },
} as const;

const summaryProperties = {
  id: { type: 'string' },
  tenant_id: { type: 'string' },
  rule_id: { type: 'string' },
  rule_title: { type: 'string' },
  rule_level: { type: 'string', enum: ALERT_LEVELS },
  rule_source: { type: 'string' },
  tags: { type: 'array', items: { type: 'string' } },
  tactics: { type: 'array', items: { type: 'string' }, description: 'ATT&CK tactic short names.' },
  techniques: { type: 'array', items: { type: 'string' }, description: 'ATT&CK technique ids (T1059.001).' },
  kill_chain_phases: { type: 'array', items: { type: 'string' }, description: 'Lockheed Martin kill-chain phases of the tactics.' },
  event_count: { type: 'integer' },
  group_by: { type: 'object', additionalProperties: true, description: 'Correlation group-by values; empty for single-event rules.' },
  first_event_at: { type: 'string' },
  last_event_at: { type: 'string' },
  created_at: { type: 'string' },
} as const;

const alertSummarySchema = { type: 'object', properties: summaryProperties } as const;

const alertSchema = {
  type: 'object',
  properties: {
    ...summaryProperties,
    event_ids: { type: 'array', items: { type: 'string' } },
    events: { type: 'array', items: { type: 'object', additionalProperties: true }, description: 'The matching events as detected (at most 20).' },
  },
} as const;

/** Same time forms as /api/v1/events; errors name the parameter. */
function filterOf(query: FilterQueryString): AlertFilter {
  const now = Date.now();
  const time = (name: 'from' | 'to') => {
    try {
      return new Date(parseTimeArg(query[name], now));
    } catch (err) {
      throw new MamoriError('MAMORI_E_INVALID', `${name}: ${(err as Error).message}`);
    }
  };
  return { tenant: query.tenant, levels: query.level, ruleId: query.rule, from: time('from'), to: time('to') };
}

function publicSummary(alert: AlertSummary) {
  return {
    id: alert.id,
    tenant_id: alert.tenantId,
    rule_id: alert.ruleId,
    rule_title: alert.ruleTitle,
    rule_level: alert.ruleLevel,
    rule_source: alert.ruleSource,
    tags: alert.tags,
    tactics: alert.tactics,
    techniques: alert.techniques,
    kill_chain_phases: alert.phases,
    event_count: alert.eventCount,
    group_by: alert.groupBy,
    first_event_at: alert.firstEventAt,
    last_event_at: alert.lastEventAt,
    created_at: alert.createdAt,
  };
}

function publicAlert(alert: Alert) {
  return { ...publicSummary(alert), event_ids: alert.eventIds, events: alert.events };
}

export const alertRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    app.get<{ Querystring: FilterQueryString & { limit: number; before?: string } }>(
      '/alerts',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Alerts the caller may see, newest first',
          querystring: {
            type: 'object',
            properties: {
              ...filterProperties,
              limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
              before: { type: 'string', maxLength: 400, description: 'The "next" value of the previous page.' },
            },
          },
          response: responses({
            type: 'object',
            properties: { items: { type: 'array', items: alertSummarySchema }, next: { type: 'string', nullable: true } },
          }),
        },
      },
      async (request) => {
        const { limit, before } = request.query;
        const page = await deps.alerts.list(ctxOf(request), { ...filterOf(request.query), limit, before });
        return { items: page.items.map(publicSummary), next: page.next };
      },
    );

    app.get<{ Querystring: FilterQueryString }>(
      '/alerts/summary',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Numbers of matching alerts by level',
          querystring: { type: 'object', properties: filterProperties },
          response: responses({
            type: 'object',
            properties: {
              counts: { type: 'object', properties: Object.fromEntries(ALERT_LEVELS.map((level) => [level, { type: 'integer' }])) },
              total: { type: 'integer' },
            },
          }),
        },
      },
      async (request) => deps.alerts.countByLevel(ctxOf(request), filterOf(request.query)),
    );

    app.get<{ Params: { id: string } }>(
      '/alerts/:id',
      {
        schema: {
          tags: ['alerts'],
          summary: 'One alert with its matching events',
          params: { type: 'object', properties: { id: { type: 'string', maxLength: 128 } }, required: ['id'] },
          response: responses(alertSchema),
        },
      },
      async (request) => publicAlert(await deps.alerts.get(ctxOf(request), request.params.id)),
    );
  };
