import { MamoriError } from '../../core/errors.js';
import { narrowScope } from '../../core/scope.js';
import type { EventQuery, EventStore } from '../../store/events/event-store.js';
import { requirePermission, type RequestContext } from '../context.js';

export const MAX_SEARCH_LIMIT = 10_000;
export const MAX_BUCKETS = 5_000;
export const MAX_TOP = 1_000;

export interface EventRequest extends EventQuery {
  tenant?: string;
}

/** Search over stored events, always scoped to the caller's tenants. */
export class EventService {
  constructor(private readonly store: EventStore) {}

  async search(ctx: RequestContext, request: EventRequest, limit: number, order: 'asc' | 'desc' = 'desc') {
    requirePermission(ctx, 'events:read');
    checkRange(request);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
      throw new MamoriError('MAMORI_E_INVALID', `limit must be from 1 to ${MAX_SEARCH_LIMIT}`);
    }
    return this.store.search(narrowScope(ctx.scope, request.tenant), { ...request, limit, order });
  }

  async count(ctx: RequestContext, request: EventRequest) {
    requirePermission(ctx, 'events:read');
    checkRange(request);
    return this.store.count(narrowScope(ctx.scope, request.tenant), request);
  }

  async histogram(ctx: RequestContext, request: EventRequest, intervalMs: number) {
    requirePermission(ctx, 'events:read');
    checkRange(request);
    if (!Number.isFinite(intervalMs) || intervalMs < 1000) throw new MamoriError('MAMORI_E_INVALID', 'interval must be at least 1s');
    if ((request.to - request.from) / intervalMs > MAX_BUCKETS) {
      throw new MamoriError('MAMORI_E_INVALID', `interval too small for the time range: more than ${MAX_BUCKETS} buckets`);
    }
    return this.store.histogram(narrowScope(ctx.scope, request.tenant), request, Math.round(intervalMs / 1000));
  }

  async top(ctx: RequestContext, request: EventRequest, field: string, limit: number) {
    requirePermission(ctx, 'events:read');
    checkRange(request);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TOP) throw new MamoriError('MAMORI_E_INVALID', `limit must be from 1 to ${MAX_TOP}`);
    return this.store.top(narrowScope(ctx.scope, request.tenant), request, field, limit);
  }
}

function checkRange(q: EventQuery): void {
  if (!Number.isFinite(q.from) || !Number.isFinite(q.to) || q.from >= q.to) {
    throw new MamoriError('MAMORI_E_INVALID', 'the time range is empty: "from" must be before "to"');
  }
}
