import { describe, expect, it } from 'vitest';
import { dropDuplicates, linesOf, rejectedRow, splitBatch } from './row-batch.js';
import { toTsvRow } from './schema.js';

const text = (b: Uint8Array) => Buffer.from(b).toString();

describe('row batches', () => {
  const rows = Buffer.from('a\t1\nb\t2\nc\t3\n');

  it('drops exactly the lines of stored ids and the repeats of an id', () => {
    const drop = (ids: string[], stored: string[]) => {
      const r = dropDuplicates(rows, ids, new Set(stored));
      return [text(r.rows), r.dropped];
    };
    expect(drop(['a', 'b', 'c'], ['b'])).toEqual(['a\t1\nc\t3\n', 1]);
    expect(drop(['a', 'b', 'c'], ['a', 'c'])).toEqual(['b\t2\n', 2]);
    expect(drop(['a', 'b', 'a'], [])).toEqual(['a\t1\nb\t2\n', 1]);
    expect(drop(['a', 'b', 'c'], [])).toEqual([text(rows), 0]);
  });

  it('splits a batch into halves that keep each line with its id', () => {
    const [left, right] = splitBatch({ rows, ids: ['a', 'b', 'c'], tenants: ['t'], minTime: 1, maxTime: 2 });
    expect([text(left.rows), left.ids]).toEqual(['a\t1\nb\t2\n', ['a', 'b']]);
    expect([text(right.rows), right.ids]).toEqual(['c\t3\n', ['c']]);
    expect(linesOf(right.rows)).toHaveLength(1);
  });

  it('turns a refused row into a pipeline_error event with the same id, tenant and original line', () => {
    const original = 'raw\tline with\nnewline and \\ backslash';
    const { line } = toTsvRow({ 'event.id': 'e1', 'tenant.id': 'acme', 'event.original': original, 'event.ingested': 7_000 }, 5);
    const replacement = rejectedRow(Buffer.from(line), 'Cannot parse input', 1_000);
    const expected = toTsvRow(
      {
        'event.id': 'e1',
        'tenant.id': 'acme',
        'event.kind': 'pipeline_error',
        'event.original': original,
        'error.message': 'event store rejected the event: Cannot parse input',
        'event.ingested': 7_000,
      },
      7_000,
    );
    expect(text(replacement.rows)).toBe(expected.line + '\n');
    expect(replacement.ids).toEqual(['e1']);
    expect(replacement.tenants).toEqual(['acme']);
    expect(replacement.minTime).toBe(7_000);
  });

  it('falls back to the given time when the receive time is unreadable too', () => {
    const replacement = rejectedRow(Buffer.from('garbage'), 'x', 1_234);
    expect(replacement.minTime).toBe(1_234);
  });
});
