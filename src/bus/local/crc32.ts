import * as zlib from 'node:zlib';

/**
 * CRC-32 (IEEE 802.3, the zlib polynomial), chainable: `crc32(b, crc32(a))`
 * equals `crc32(a ++ b)`. Node has a native one from 20.15; older 20.x
 * releases get a table-driven fallback with identical results, so segment
 * files stay portable between Node versions.
 */
export type Crc32 = (data: Uint8Array, initial?: number) => number;

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

export const crc32: Crc32 = typeof native === 'function' ? (data, initial = 0) => native(data, initial) : tableCrc32();

/** Exported for tests, which check it against the native implementation. */
export function tableCrc32(): Crc32 {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return (data, initial = 0) => {
    let c = ~initial >>> 0;
    for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
    return ~c >>> 0;
  };
}
