import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../core/raw-record.js';
import { decodeRecord, encodeRecords } from './raw-codec.js';

const record = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 30 }),
    tenant: fc.string({ minLength: 1 }),
    source: fc.string(),
    format: fc.string({ minLength: 1 }),
    received: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    data: fc.string({ unit: 'grapheme', maxLength: 2000 }),
    peer: fc.string({ minLength: 1 }),
    timezone: fc.string({ minLength: 1 }),
    labels: fc.dictionary(fc.string({ minLength: 1 }), fc.string()),
    truncatedFrom: fc.integer({ min: 1, max: 0xffffffff }),
    resent: fc.constant(true),
  },
  { requiredKeys: ['id', 'tenant', 'source', 'format', 'received', 'data'] },
);

describe('bus record codec', () => {
  it('decodes what it encoded, for any batch of records', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 20 }), (records) => {
        const decoded = encodeRecords(records as RawRecord[]).map(decodeRecord);
        expect(decoded).toEqual(records);
      }),
    );
  });

  it('keeps Japanese text, U+FFFD and control characters byte for byte', () => {
    const data = 'ログイン失敗 \ufffd\u0000\t"quoted" \\ 🙂';
    const [view] = encodeRecords([{ id: 'x', tenant: 't', source: 's', format: 'auto', received: 1.5, data }]);
    expect(decodeRecord(view)).toEqual({ id: 'x', tenant: 't', source: 's', format: 'auto', received: 1.5, data });
  });

  it('still reads the JSON records of earlier releases', () => {
    const old: RawRecord = { id: 'o', tenant: 't', source: 's', format: 'rfc3164', received: 7, data: 'old line', labels: { a: 'b' } };
    expect(decodeRecord(Buffer.from(JSON.stringify(old)))).toEqual(old);
  });

  it('still reads version 1 records (no flags byte) left on the bus by the previous release', () => {
    const fields = ['id1', 'tenant', 'src', 'rfc3164', 'line', '', '', ''];
    const parts = [Buffer.from([1]), Buffer.alloc(8), Buffer.alloc(4)];
    parts[1].writeDoubleLE(42);
    for (const f of fields) {
      const len = Buffer.alloc(4);
      len.writeUInt32LE(Buffer.byteLength(f));
      parts.push(len, Buffer.from(f));
    }
    expect(decodeRecord(Buffer.concat(parts))).toEqual({ id: 'id1', tenant: 'tenant', source: 'src', format: 'rfc3164', received: 42, data: 'line' });
  });

  it('refuses an unknown version instead of guessing', () => {
    expect(() => decodeRecord(Buffer.from([9, 0, 0]))).toThrow(/version 9/);
  });
});
