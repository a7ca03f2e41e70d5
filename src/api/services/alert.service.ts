import { MamoriError } from '../../core/errors.js';
import type { Alert, AlertCursor, AlertFilter, AlertSummary } from '../../store/state/alert.repository.js';
import type { AlertLevel } from '../../store/state/schema.js';
import type { StateStore } from '../../store/state/state-store.js';
import { requirePermission, type RequestContext } from '../context.js';

export interface AlertListRequest extends AlertFilter {
  limit: number;
  /** The `next` of the previous page. */
  before?: string;
}

export interface AlertList {
  items: AlertSummary[];
  /** Pass as `before` for the next page; null on the last page. */
  next: string | null;
}

export interface AlertLevelCounts {
  counts: Record<AlertLevel, number>;
  total: number;
}

/** ISO creation time (always 24 characters) followed by the alert id. */
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)(.{1,128})$/s;

/** The alert queue, read through the caller's tenant scope. */
export class AlertService {
  constructor(private readonly state: StateStore) {}

  async list(ctx: RequestContext, request: AlertListRequest): Promise<AlertList> {
    requirePermission(ctx, 'alerts:read');
    const { before, ...query } = request;
    const page = await this.state.alerts.list(ctx.scope, { ...query, before: before === undefined ? undefined : decodeCursor(before) });
    return { items: page.items, next: page.next && encodeCursor(page.next) };
  }

  async get(ctx: RequestContext, id: string): Promise<Alert> {
    requirePermission(ctx, 'alerts:read');
    const alert = await this.state.alerts.get(ctx.scope, id);
    // Another tenant's alert and a missing one get the same answer: ids cannot be probed.
    if (!alert) throw new MamoriError('MAMORI_E_NOT_FOUND', `alert "${id.slice(0, 128)}" not found`);
    return alert;
  }

  async countByLevel(ctx: RequestContext, filter: AlertFilter): Promise<AlertLevelCounts> {
    requirePermission(ctx, 'alerts:read');
    const counts = await this.state.alerts.countByLevel(ctx.scope, filter);
    return { counts, total: Object.values(counts).reduce((sum, n) => sum + n, 0) };
  }
}

/** Opaque to clients (base64url), so its layout can change without breaking them. */
function encodeCursor(cursor: AlertCursor): string {
  return Buffer.from(cursor.createdAt.toISOString() + cursor.id, 'utf8').toString('base64url');
}

function decodeCursor(text: string): AlertCursor {
  const match = CURSOR.exec(Buffer.from(text, 'base64url').toString('utf8'));
  const createdAt = match ? new Date(match[1]!) : undefined;
  if (!match || Number.isNaN(createdAt!.getTime())) {
    throw new MamoriError('MAMORI_E_INVALID', 'before must be the "next" value of a previous page', { field: 'before' });
  }
  return { createdAt: createdAt!, id: match[2]! };
}
