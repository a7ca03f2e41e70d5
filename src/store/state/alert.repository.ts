import type { Kysely, Selectable } from 'kysely';
import type { EcsValue, MamoriEvent } from '../../core/event.js';
import { MamoriError } from '../../core/errors.js';
import { newEventId } from '../../core/ids.js';
import { narrowScope, type TenantScope } from '../../core/scope.js';
import { attackOf, killChainPhases, type KillChainPhase, type Tactic } from '../../detect/attack.js';
import { translateViolations } from './db-errors.js';
import { visibleTenants } from './scope-filter.js';
import { ALERT_LEVELS, type AlertLevel, type AlertsTable, type StateSchema } from './schema.js';
import { integer, isoTime, jsonArray, jsonObject, key, oneOf, tenantId, text } from './validate.js';

/** An alert as the queue shows it: everything but the matching events themselves. */
export interface AlertSummary {
  id: string;
  tenantId: string;
  ruleId: string;
  ruleTitle: string;
  ruleLevel: AlertLevel;
  /** Rule pack name or rule file. */
  ruleSource: string;
  tags: string[];
  /** ATT&CK tactic short names, derived from the tags when the alert was created. */
  tactics: Tactic[];
  /** ATT&CK technique ids (`T1059.001`), derived from the tags when the alert was created. */
  techniques: string[];
  /** Kill-chain phases of the tactics, in attack order. */
  phases: KillChainPhase[];
  /** Number of matching events (the length of `eventIds`). */
  eventCount: number;
  /** Correlation group-by values; empty for single-event rules. */
  groupBy: Record<string, EcsValue>;
  firstEventAt: string;
  lastEventAt: string;
  createdAt: string;
}

export interface Alert extends AlertSummary {
  /** `event.id` of every matching event. */
  eventIds: string[];
  /** The matching events as detection saw them (at most ALERT_EVENTS_MAX), so triage needs no search. */
  events: MamoriEvent[];
}

export interface NewAlert {
  tenantId: string;
  ruleId: string;
  ruleTitle: string;
  ruleLevel: AlertLevel;
  ruleSource: string;
  tags?: readonly string[];
  eventIds: readonly string[];
  events: readonly MamoriEvent[];
  groupBy?: Record<string, EcsValue>;
  firstEventAt: Date;
  lastEventAt: Date;
}

/** Where a page ended: the next page holds the alerts strictly older than this one. */
export interface AlertCursor {
  createdAt: Date;
  id: string;
}

export interface AlertFilter {
  /** Inclusive, on the creation time. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** Only this tenant (within the scope). */
  tenant?: string;
  /** Only these levels; absent or empty means every level. */
  levels?: readonly AlertLevel[];
  ruleId?: string;
}

export interface AlertQuery extends AlertFilter {
  limit: number;
  before?: AlertCursor;
}

export interface AlertPage {
  /** Newest first. */
  items: AlertSummary[];
  /** Cursor of the next page; null on the last page. */
  next: AlertCursor | null;
}

export const ALERT_LIST_MAX = 1_000;
export const ALERT_EVENT_IDS_MAX = 1_000;
export const ALERT_EVENTS_MAX = 20;
export const ALERT_EVENTS_MAX_BYTES = 256 * 1024;
const RULE_ID_MAX = 200;
const RULE_TITLE_MAX = 500;
const RULE_SOURCE_MAX = 500;
const EVENT_ID_MAX = 128;
const TAGS_MAX = 100;
const TAG_MAX = 200;
const GROUP_BY_MAX_BYTES = 16 * 1024;
/** Rows per INSERT: 15 columns each stays far below SQLite's 32,766 bound parameters. */
const INSERT_CHUNK = 500;

export class AlertRepository {
  constructor(
    private readonly db: Kysely<StateSchema>,
    private readonly clock: () => Date,
  ) {}

  /**
   * Stores alerts all or none: every alert is validated before any SQL, and
   * more than one INSERT runs in one transaction.
   */
  async createMany(alerts: readonly NewAlert[]): Promise<Alert[]> {
    if (!Array.isArray(alerts)) throw new MamoriError('MAMORI_E_INVALID', 'alerts must be an array', { field: 'alerts' });
    if (alerts.length === 0) return [];
    const createdAt = isoTime('created at', this.clock());
    const now = Date.parse(createdAt);
    const rows = alerts.map((alert) => toRow(alert, newEventId(now), createdAt));
    const insert = async (db: Kysely<StateSchema>) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await db.insertInto('alerts').values(rows.slice(i, i + INSERT_CHUNK)).execute();
      }
    };
    await translateViolations(
      () => (rows.length <= INSERT_CHUNK || this.db.isTransaction ? insert(this.db) : this.db.transaction().execute(insert)),
      { missing: `tenant not found: ${[...new Set(rows.map((row) => row.tenant_id))].join(', ')}`, conflict: 'an alert with this id already exists' },
    );
    return rows.map(toAlert);
  }

  async get(scope: TenantScope, id: string): Promise<Alert | undefined> {
    const alertId = key('alert id', id);
    const tenants = visibleTenants(scope);
    if (tenants?.length === 0) return undefined;
    const row = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('id', '=', alertId)
      .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
      .executeTakeFirst();
    return row && toAlert(row);
  }

  /** Alerts the scope sees that match the query, newest first, one page at a time. */
  async list(scope: TenantScope, query: AlertQuery): Promise<AlertPage> {
    const limit = integer('limit', query.limit, 1, ALERT_LIST_MAX);
    const before = query.before && { createdAt: isoTime('before', query.before.createdAt), id: key('before id', query.before.id) };
    const filtered = this.filtered(scope, query);
    if (!filtered) return { items: [], next: null };
    const rows = await filtered
      .select(['id', 'tenant_id', 'rule_id', 'rule_title', 'rule_level', 'rule_source', 'tags', 'tactics', 'techniques', 'event_ids'])
      .select(['group_by', 'first_event_at', 'last_event_at', 'created_at'])
      .$if(before !== undefined, (q) =>
        q.where((eb) =>
          eb.or([eb('created_at', '<', before!.createdAt), eb.and([eb('created_at', '=', before!.createdAt), eb('id', '<', before!.id)])]),
        ),
      )
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      // One row more than asked says whether another page exists.
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map((row) => toSummary(row));
    const last = items.at(-1);
    return { items, next: rows.length > limit && last ? { createdAt: new Date(last.createdAt), id: last.id } : null };
  }

  /** Matching alerts per level; every level is present, with 0 when none. */
  async countByLevel(scope: TenantScope, filter: AlertFilter): Promise<Record<AlertLevel, number>> {
    const counts = Object.fromEntries(ALERT_LEVELS.map((level) => [level, 0])) as Record<AlertLevel, number>;
    const filtered = this.filtered(scope, filter);
    if (!filtered) return counts;
    const rows = await filtered
      .select((eb) => ['rule_level', eb.fn.countAll<number | string | bigint>().as('n')])
      .groupBy('rule_level')
      .execute();
    // PostgreSQL returns count(*) as a bigint string.
    for (const row of rows) counts[row.rule_level] = Number(row.n);
    return counts;
  }

  /** The filter as a query, or undefined when it can match nothing (no visible tenant, empty range). */
  private filtered(scope: TenantScope, filter: AlertFilter) {
    const from = isoTime('from', filter.from);
    const to = isoTime('to', filter.to);
    const tenant = filter.tenant === undefined ? undefined : tenantId(filter.tenant, 'tenant');
    const levels = filter.levels === undefined ? [] : [...new Set(filter.levels.map((level) => oneOf('level', level, ALERT_LEVELS)))];
    const ruleId = filter.ruleId === undefined ? undefined : text('rule id', filter.ruleId, RULE_ID_MAX);
    const tenants = visibleTenants(narrowScope(scope, tenant));
    if (tenants?.length === 0 || from >= to) return undefined;
    return this.db
      .selectFrom('alerts')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
      .$if(levels.length > 0, (q) => q.where('rule_level', 'in', levels))
      .$if(ruleId !== undefined, (q) => q.where('rule_id', '=', ruleId!));
  }
}

function invalid(field: string, why: string): MamoriError {
  return new MamoriError('MAMORI_E_INVALID', `${field} ${why}`, { field });
}

function toRow(alert: NewAlert, id: string, createdAt: string): Selectable<AlertsTable> {
  if (typeof alert !== 'object' || alert === null) throw invalid('alert', 'must be an object');
  const tags = stringList('tags', alert.tags ?? [], TAGS_MAX, TAG_MAX);
  const eventIds = stringList('event ids', alert.eventIds, ALERT_EVENT_IDS_MAX, EVENT_ID_MAX);
  if (eventIds.length === 0) throw invalid('event ids', 'must name at least one event');
  if (!Array.isArray(alert.events) || alert.events.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))) {
    throw invalid('events', 'must be an array of event objects');
  }
  const firstEventAt = isoTime('first event at', alert.firstEventAt);
  const lastEventAt = isoTime('last event at', alert.lastEventAt);
  if (firstEventAt > lastEventAt) throw invalid('first event at', 'must not be after last event at');
  const attack = attackOf(tags);
  return {
    id,
    tenant_id: tenantId(alert.tenantId),
    rule_id: text('rule id', alert.ruleId, RULE_ID_MAX),
    rule_title: text('rule title', alert.ruleTitle, RULE_TITLE_MAX),
    rule_level: oneOf('rule level', alert.ruleLevel, ALERT_LEVELS),
    rule_source: text('rule source', alert.ruleSource, RULE_SOURCE_MAX),
    tags: JSON.stringify(tags),
    tactics: JSON.stringify(attack.tactics),
    techniques: JSON.stringify(attack.techniques),
    event_ids: JSON.stringify(eventIds),
    events: jsonArray('events', alert.events, ALERT_EVENTS_MAX, ALERT_EVENTS_MAX_BYTES),
    group_by: jsonObject('group by', alert.groupBy ?? {}, GROUP_BY_MAX_BYTES),
    first_event_at: firstEventAt,
    last_event_at: lastEventAt,
    created_at: createdAt,
  };
}

/** A list of storable strings; checked one by one so the error names the bad value's field. */
function stringList(field: string, value: unknown, maxItems: number, maxLength: number): string[] {
  if (!Array.isArray(value)) throw invalid(field, 'must be an array');
  if (value.length > maxItems) throw invalid(field, `must have at most ${maxItems} items`);
  return value.map((item: unknown) => text(field, item, maxLength));
}

type SummaryRow = Omit<Selectable<AlertsTable>, 'events'>;

function toSummary(row: SummaryRow, eventIds: readonly string[] = JSON.parse(row.event_ids) as string[]): AlertSummary {
  const tactics = JSON.parse(row.tactics) as Tactic[];
  return {
    id: row.id,
    tenantId: row.tenant_id,
    ruleId: row.rule_id,
    ruleTitle: row.rule_title,
    ruleLevel: row.rule_level,
    ruleSource: row.rule_source,
    tags: JSON.parse(row.tags) as string[],
    tactics,
    techniques: JSON.parse(row.techniques) as string[],
    phases: killChainPhases(tactics),
    eventCount: eventIds.length,
    groupBy: JSON.parse(row.group_by) as Record<string, EcsValue>,
    firstEventAt: row.first_event_at,
    lastEventAt: row.last_event_at,
    createdAt: row.created_at,
  };
}

function toAlert(row: Selectable<AlertsTable>): Alert {
  const eventIds = JSON.parse(row.event_ids) as string[];
  return { ...toSummary(row, eventIds), eventIds, events: JSON.parse(row.events) as MamoriEvent[] };
}
