import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeDecoder } from './decode.js';
import { recordsFromBody } from './http-ingest.js';

const binding = { tenant: 'acme', source: 'src-1', format: 'rfc5424', timezone: 'Asia/Tokyo', labels: { import_id: 'x1' } };
const limits = { maxBodyBytes: 1_000_000, maxLineBytes: 100 };
const utf8 = makeDecoder('utf-8');

describe('HTTP ingest bodies', () => {
  it('makes one record per non-empty line, CRLF or LF, bound to the tenant and source', () => {
    const records = recordsFromBody(Buffer.from('one\r\n\r\ntwo\n  \nthree'), undefined, utf8, binding, limits, 1_000);
    expect(records.map((r) => r.data)).toEqual(['one', 'two', 'three']);
    expect(records[0]).toMatchObject({ tenant: 'acme', source: 'src-1', format: 'rfc5424', received: 1_000, timezone: 'Asia/Tokyo', labels: { import_id: 'x1' } });
    expect(new Set(records.map((r) => r.id)).size).toBe(3);
  });

  it('cuts an oversized line, flags it with its size, and keeps the lines around it', () => {
    const records = recordsFromBody(Buffer.from(`before\n${'x'.repeat(5_000)}\nafter\n`), undefined, utf8, binding, limits);
    expect(records.map((r) => r.data.length)).toEqual([6, 100, 5]);
    expect(records[1].truncatedFrom).toBe(5_000);
    expect(records[0].truncatedFrom).toBeUndefined();
  });

  it('decompresses gzip within the size limit and refuses a bomb, a bad stream and other encodings', () => {
    expect(recordsFromBody(gzipSync('a\nb\n'), 'gzip', utf8, binding, limits).map((r) => r.data)).toEqual(['a', 'b']);
    expect(() => recordsFromBody(gzipSync(Buffer.alloc(2_000_000, 0x61)), 'gzip', utf8, binding, limits)).toThrow(expect.objectContaining({ code: 'MAMORI_E_TOO_LARGE' }));
    expect(() => recordsFromBody(Buffer.from('not gzip'), 'gzip', utf8, binding, limits)).toThrow(expect.objectContaining({ code: 'MAMORI_E_INVALID' }));
    expect(() => recordsFromBody(Buffer.from('x'), 'br', utf8, binding, limits)).toThrow(/unsupported Content-Encoding "br"/);
  });

  it('decodes with the source charset and marks undecodable bytes instead of dropping the line', () => {
    const sjis = makeDecoder('shift_jis');
    expect(recordsFromBody(Buffer.from([0x83, 0x8d, 0x83, 0x4f, 0x0a]), undefined, sjis, binding, limits)[0].data).toBe('ログ');
    expect(recordsFromBody(Buffer.from([0x61, 0xff, 0x62]), undefined, utf8, binding, limits)[0].data).toBe('a\ufffdb');
  });
});
