import { MamoriError } from '../../core/errors.js';
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

/**
 * True when the store refused an insert because of what the rows contain
 * (a value it cannot parse), as opposed to the store being unavailable:
 * retrying the same rows would fail forever, so the caller splits the batch.
 */
export function isRejectedData(err: unknown): boolean {
  return err instanceof MamoriError && err.code === 'MAMORI_E_STORE' && err.details?.rejectedData === true;
}

/** ClickHouse error codes that mean "this input cannot be read", not "try again later". */
export const DATA_ERROR_CODES: ReadonlySet<number> = new Set([
  6, // CANNOT_PARSE_TEXT
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  33, // CANNOT_READ_ALL_DATA
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  130, // CANNOT_READ_ARRAY_FROM_TEXT
  190, // SIZES_OF_ARRAYS_DONT_MATCH
  675, // CANNOT_PARSE_IPV4
  676, // CANNOT_PARSE_IPV6
]);
