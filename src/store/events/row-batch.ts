import { PIPELINE_ERROR } from '../../core/event.js';
import type { RowBatch } from './event-store.js';
import { COLUMNS, toTsvRow } from './schema.js';

/**
 * Operations on TabSeparated row batches (line i holds ids[i]). Values never
 * contain a raw newline (TSV escapes it), so lines are rows.
 */
export function linesOf(rows: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  while (start < rows.length) {
    let end = rows.indexOf(0x0a, start);
    if (end < 0) end = rows.length;
    lines.push(rows.subarray(start, end));
    start = end + 1;
  }
  return lines;
}

function joinLines(lines: Uint8Array[]): Uint8Array {
  const out = Buffer.allocUnsafe(lines.reduce((n, l) => n + l.length + 1, 0));
  let at = 0;
  for (const l of lines) {
    out.set(l, at);
    at += l.length;
    out[at++] = 0x0a;
  }
  return out;
}

/**
 * The batch without the rows whose id is in `stored` and without repeats of
 * an id within the batch (a resent record next to its first delivery), and
 * how many rows were dropped.
 */
export function dropDuplicates(rows: Uint8Array, ids: string[], stored: ReadonlySet<string>): { rows: Uint8Array; dropped: number } {
  const seen = new Set<string>();
  const kept = linesOf(rows).filter((_, i) => {
    const id = ids[i];
    if (stored.has(id) || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { rows: kept.length === ids.length ? rows : joinLines(kept), dropped: ids.length - kept.length };
}

/** Two halves of a batch (time bounds and tenants are kept: they only narrow duplicate lookups). */
export function splitBatch(batch: RowBatch): [RowBatch, RowBatch] {
  const lines = linesOf(batch.rows);
  const mid = Math.ceil(lines.length / 2);
  const half = (from: number, to: number): RowBatch => ({ ...batch, rows: joinLines(lines.slice(from, to)), ids: batch.ids.slice(from, to) });
  return [half(0, mid), half(mid, lines.length)];
}

const ID = COLUMNS.findIndex((c) => c.field === 'event.id');
const TENANT = COLUMNS.findIndex((c) => c.field === 'tenant.id');
const ORIGINAL = COLUMNS.findIndex((c) => c.field === 'event.original');
const INGESTED = COLUMNS.findIndex((c) => c.field === 'event.ingested');
const UNESCAPES: Record<string, string> = { '\\\\': '\\', '\\t': '\t', '\\n': '\n', '\\r': '\r' };

/**
 * The row that replaces one the store refused: a pipeline_error event with
 * the same id, tenant and original line, and the store's reason, so the
 * line stays searchable and counted instead of blocking the pipeline. It is
 * stored at its receive time (`event.ingested`), as any event without a
 * usable time is, or at `fallbackTime` when that cell is unreadable too.
 */
export function rejectedRow(line: Uint8Array, reason: string, fallbackTime: number): RowBatch {
  const cells = Buffer.from(line.buffer, line.byteOffset, line.byteLength).toString('utf8').split('\t');
  const unescape = (cell: string | undefined) => (cell ?? '').replace(/\\[\\tnr]/g, (e) => UNESCAPES[e]);
  const id = unescape(cells[ID]);
  const tenant = unescape(cells[TENANT]);
  const ingested = Date.parse(`${unescape(cells[INGESTED]).replace(' ', 'T')}Z`);
  const received = Number.isFinite(ingested) && ingested > 0 ? ingested : fallbackTime;
  const row = toTsvRow(
    {
      'event.id': id,
      'tenant.id': tenant,
      'event.kind': PIPELINE_ERROR,
      'event.original': unescape(cells[ORIGINAL]),
      'error.message': `event store rejected the event: ${reason}`,
      'event.ingested': received,
    },
    received,
  );
  return { rows: Buffer.from(row.line + '\n'), ids: [id], tenants: [tenant], minTime: row.time, maxTime: row.time };
}
