import { mkdirSync } from 'node:fs';
import { Session } from 'chdb';
import { MamoriError } from '../../core/errors.js';
import type { TenantScope } from '../../core/scope.js';
import { DATA_ERROR_CODES, type EventQuery, type EventStore, type HistogramBucket, type RowBatch, type SearchOptions, type StoredEvent, type TopValue } from './event-store.js';
import { dropDuplicates } from './row-batch.js';
import {
  COLUMN_NAMES_SQL,
  EVENTS_TABLE,
  PART_SETTINGS_SQL,
  addMissingColumnsSql,
  countSql,
  createTableSql,
  existingIdsSql,
  histogramSql,
  rowToEvent,
  searchSql,
  topSql,
} from './event-sql.js';

/**
 * Settings for every statement. Output timestamps in ISO form; read epoch-ms
 * numbers and ISO strings on input; never reach out to the network.
 */
const SETTINGS = "SETTINGS date_time_output_format = 'iso', date_time_input_format = 'best_effort', output_format_json_quote_64bit_integers = 0";

/**
 * The embedded event store: ClickHouse in-process through chDB. chDB binds one
 * data directory per process and must stay on the main thread, so one
 * instance owns the directory for the life of the process.
 */
export class ChdbEventStore implements EventStore {
  readonly name = 'chdb';
  private session: Session | undefined;

  constructor(private readonly dir: string) {}

  async init(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.session = new Session(this.dir);
    await this.exec(createTableSql());
    const existing = new Set((await this.rows<{ name: string }>(COLUMN_NAMES_SQL)).map((r) => r.name));
    for (const statement of addMissingColumnsSql(existing)) await this.exec(statement);
    await this.exec(PART_SETTINGS_SQL);
  }

  async insert(batch: RowBatch, options: { checkDuplicates?: boolean } = {}): Promise<{ inserted: number; duplicates: number }> {
    if (batch.ids.length === 0) return { inserted: 0, duplicates: 0 };
    let rows = batch.rows;
    let duplicates = 0;
    if (options.checkDuplicates) {
      const deduplicated = dropDuplicates(rows, batch.ids, await this.storedIds(batch));
      rows = deduplicated.rows;
      duplicates = deduplicated.dropped;
      if (duplicates === batch.ids.length) return { inserted: 0, duplicates };
    }
    try {
      // Zero-copy hand-over of the bytes. Parallel parsing only adds thread
      // overhead here (the other cores are busy parsing logs), and ids within
      // a batch are unique (checkDuplicates removes repeats of resent records),
      // so the per-insert deduplication pass is skipped.
      await this.live.insert({
        table: EVENTS_TABLE,
        values: rows,
        format: 'TabSeparated',
        settings: { input_format_parallel_parsing: 0, optimize_on_insert: 0 },
      });
    } catch (err) {
      throw storeError(err);
    }
    return { inserted: batch.ids.length - duplicates, duplicates };
  }

  /** Ids of the batch already stored, looked up in slices that keep each query well under max_query_size. */
  private async storedIds(batch: RowBatch): Promise<Set<string>> {
    const known = new Set<string>();
    for (let i = 0; i < batch.ids.length; i += ID_LOOKUP_SLICE) {
      const slice = batch.ids.slice(i, i + ID_LOOKUP_SLICE);
      for (const r of await this.rows<{ id: string }>(existingIdsSql(batch.tenants, slice, batch.minTime, batch.maxTime))) known.add(r.id);
    }
    return known;
  }

  async search(scope: TenantScope, options: SearchOptions): Promise<StoredEvent[]> {
    const rows = await this.rows<Record<string, unknown>>(searchSql(scope, options));
    return rows.map(rowToEvent);
  }

  async count(scope: TenantScope, query: EventQuery): Promise<number> {
    const [row] = await this.rows<{ count: number }>(countSql(scope, query));
    return Number(row?.count ?? 0);
  }

  async histogram(scope: TenantScope, query: EventQuery, intervalSeconds: number): Promise<HistogramBucket[]> {
    const rows = await this.rows<{ t: number; count: number }>(histogramSql(scope, query, intervalSeconds));
    return fillBuckets(rows, query, intervalSeconds);
  }

  async top(scope: TenantScope, query: EventQuery, field: string, limit: number): Promise<TopValue[]> {
    const rows = await this.rows<{ value: string; count: number }>(topSql(scope, query, field, limit));
    return rows.map((r) => ({ value: String(r.value), count: Number(r.count) }));
  }

  async close(): Promise<void> {
    this.session?.close();
    this.session = undefined;
  }

  private get live(): Session {
    if (!this.session) throw new MamoriError('MAMORI_E_STORE', 'event store is not open');
    return this.session;
  }

  private async exec(sql: string): Promise<void> {
    try {
      await this.live.queryAsync(sql);
    } catch (err) {
      throw storeError(err);
    }
  }

  private async rows<T>(sql: string): Promise<T[]> {
    let text: string;
    try {
      const result = await this.live.queryAsync(`${sql} ${SETTINGS}`, { format: 'JSONEachRow' });
      text = result.text();
    } catch (err) {
      throw storeError(err);
    }
    if (text === '') return [];
    return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as T);
  }
}

/** Ids per duplicate lookup: 20-character ids quoted make about 24 bytes each, far below the 256 KiB query limit. */
const ID_LOOKUP_SLICE = 5_000;

function storeError(err: unknown): MamoriError {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { clickhouseCode?: number }).clickhouseCode;
  return new MamoriError('MAMORI_E_STORE', `event store: ${message.split('\n')[0].slice(0, 500)}`, {
    clickhouseCode: code,
    rejectedData: code !== undefined && DATA_ERROR_CODES.has(code),
  });
}

/** Adds the empty buckets ClickHouse leaves out so a histogram is continuous. */
export function fillBuckets(rows: { t: number; count: number }[], query: EventQuery, intervalSeconds: number): HistogramBucket[] {
  const step = intervalSeconds * 1000;
  const byTime = new Map(rows.map((r) => [Number(r.t) * 1000, Number(r.count)]));
  const start = Math.floor(query.from / step) * step;
  const buckets: HistogramBucket[] = [];
  // Bounded: the API caps the number of buckets before calling the store.
  for (let t = start; t < query.to; t += step) {
    buckets.push({ time: new Date(t).toISOString(), count: byTime.get(t) ?? 0 });
  }
  return buckets;
}
