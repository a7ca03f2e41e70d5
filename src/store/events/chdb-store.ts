import { mkdirSync } from 'node:fs';
import { Session } from 'chdb';
import { MamoriError } from '../../core/errors.js';
import type { TenantScope } from '../../core/scope.js';
import type { EventQuery, EventStore, HistogramBucket, RowBatch, SearchOptions, StoredEvent, TopValue } from './event-store.js';
import {
  INSERT_SQL,
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
  }

  async insert(batch: RowBatch, options: { checkDuplicates?: boolean } = {}): Promise<{ inserted: number; duplicates: number }> {
    if (batch.ids.length === 0) return { inserted: 0, duplicates: 0 };
    let ndjson = batch.ndjson;
    let duplicates = 0;
    if (options.checkDuplicates) {
      const found = await this.rows<{ id: string }>(existingIdsSql(batch.tenants, batch.ids, batch.minTime, batch.maxTime));
      if (found.length > 0) {
        const known = new Set(found.map((r) => r.id));
        const lines = ndjson.split('\n');
        ndjson = lines.filter((_, i) => !known.has(batch.ids[i])).join('\n');
        duplicates = batch.ids.length - (ndjson === '' ? 0 : ndjson.split('\n').length);
        if (ndjson === '') return { inserted: 0, duplicates };
      }
    }
    await this.exec(INSERT_SQL + ndjson);
    return { inserted: batch.ids.length - duplicates, duplicates };
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

function storeError(err: unknown): MamoriError {
  const message = err instanceof Error ? err.message : String(err);
  return new MamoriError('MAMORI_E_STORE', `event store: ${message.split('\n')[0].slice(0, 500)}`);
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
