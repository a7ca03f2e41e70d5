import type { TenantScope } from '../../core/scope.js';

/** A time-ranged query in the search language of docs/search.md. */
export interface EventQuery {
  /** Query text; empty matches everything. */
  q: string;
  /** Inclusive start, milliseconds since the epoch. */
  from: number;
  /** Exclusive end, milliseconds since the epoch. */
  to: number;
}

export interface SearchOptions extends EventQuery {
  limit: number;
  order?: 'asc' | 'desc';
}

/** A stored event as returned by search: flat ECS fields. */
export type StoredEvent = Record<string, unknown>;

export interface HistogramBucket {
  /** Bucket start, ISO 8601. */
  time: string;
  count: number;
}

export interface TopValue {
  value: string;
  count: number;
}

/**
 * A batch ready to insert: TabSeparated rows in table column order (one
 * line per event, see toTsvRow) plus the id of each line, for idempotency.
 */
export interface RowBatch {
  rows: Uint8Array;
  ids: string[];
  tenants: string[];
  /** Smallest and largest `@timestamp` in the batch (ms), to bound the duplicate check. */
  minTime: number;
  maxTime: number;
}

/**
 * The event store. The embedded default is chDB; the scale-out one is a
 * ClickHouse server. Both run the same SQL and pass the same contract suite
 * (src/store/events/event-store.contract.ts).
 */
export interface EventStore {
  readonly name: string;
  init(): Promise<void>;
  /** Inserts rows; an event whose id is already stored is not stored again. */
  insert(batch: RowBatch, options?: { checkDuplicates?: boolean }): Promise<{ inserted: number; duplicates: number }>;
  search(scope: TenantScope, options: SearchOptions): Promise<StoredEvent[]>;
  count(scope: TenantScope, query: EventQuery): Promise<number>;
  histogram(scope: TenantScope, query: EventQuery, intervalSeconds: number): Promise<HistogramBucket[]>;
  top(scope: TenantScope, query: EventQuery, field: string, limit: number): Promise<TopValue[]>;
  close(): Promise<void>;
}
