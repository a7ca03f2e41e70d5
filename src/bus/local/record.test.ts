import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, tableCrc32 } from './crc32.js';
import { CORRUPT, HEADER_BYTES, INCOMPLETE, claimedSize, encodeBatch, frameAt } from './record.js';

/** Walks a framed buffer the way readers do; returns the payloads, or where it stopped. */
function decodeAll(buf: Buffer): { payloads: Buffer[]; stop: number } {
  const payloads: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const size = frameAt(buf, pos, buf.length);
    if (size < 0) return { payloads, stop: size };
    payloads.push(buf.subarray(pos + HEADER_BYTES, pos + size));
    pos += size;
  }
  return { payloads, stop: 0 };
}

const messages = fc.array(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), { maxLength: 20 });

describe('crc32', () => {
  it('the table fallback matches zlib, also when chained', () => {
    const table = tableCrc32();
    const native = (zlib as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;
    expect(table(Buffer.from('123456789'))).toBe(0xcbf43926);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), fc.uint8Array({ maxLength: 500 }), (a, b) => {
        expect(table(b, table(a))).toBe(table(Buffer.concat([a, b])));
        expect(crc32(b, crc32(a))).toBe(table(Buffer.concat([a, b])));
        if (native) expect(native(a)).toBe(table(a));
      }),
    );
  });
});

describe('record framing', () => {
  it('decodes exactly what was encoded', () => {
    fc.assert(
      fc.property(messages, (batch) => {
        const { payloads, stop } = decodeAll(encodeBatch(batch));
        expect(stop).toBe(0);
        expect(payloads).toEqual(batch);
      }),
    );
  });

  it('detects any single flipped bit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (payload, at, bit) => {
        const buf = encodeBatch([Buffer.from(payload)]);
        const i = at % buf.length;
        buf[i] ^= 1 << bit;
        // A flipped length bit may make the record look longer (incomplete) or impossible, never valid.
        expect(frameAt(buf, 0, buf.length)).toBeLessThan(0);
      }),
    );
  });

  it('reports a cut record as incomplete and zero-filled bytes as corrupt', () => {
    const buf = encodeBatch([Buffer.from('hello'), Buffer.from('world')]);
    expect(frameAt(buf, 0, 3)).toBe(INCOMPLETE);
    expect(frameAt(buf, 0, HEADER_BYTES + 4)).toBe(INCOMPLETE);
    expect(frameAt(buf, HEADER_BYTES + 5, buf.length - 1)).toBe(INCOMPLETE);
    expect(frameAt(Buffer.alloc(64), 0, 64)).toBe(CORRUPT);
  });

  it('treats lengths beyond the message limit as corrupt without reading further', () => {
    const header = Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    expect(claimedSize(header, 0, header.length)).toBe(CORRUPT);
    expect(frameAt(header, 0, header.length)).toBe(CORRUPT);
  });

  it('rejects messages that are not bytes', () => {
    expect(() => encodeBatch(['text' as unknown as Buffer])).toThrow(expect.objectContaining({ code: 'MAMORI_E_INVALID' }));
    expect(() => encodeBatch([null as unknown as Buffer])).toThrow(expect.objectContaining({ code: 'MAMORI_E_INVALID' }));
  });
});
