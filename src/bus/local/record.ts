import { MamoriError } from '../../core/errors.js';
import { crc32 } from './crc32.js';

/**
 * On-disk record framing: payload length (u32 LE), CRC-32 (u32 LE), payload.
 * The CRC covers the length field as well as the payload, so a zero-filled
 * region (what some filesystems expose after a crash) never reads back as a
 * run of valid empty records: the CRC of four zero bytes is not zero.
 */
export const HEADER_BYTES = 8;

/** Largest single message; bounds what a corrupted length field can make a reader allocate. */
export const MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;

/** Largest batch accepted by one append, so one write never needs a buffer beyond Node's limits. */
export const MAX_BATCH_BYTES = 1024 * 1024 * 1024;

/** `frameAt`/`claimedSize` result: the bytes examined end before the record does. */
export const INCOMPLETE = -1;
/** `frameAt`/`claimedSize` result: the record cannot be valid (impossible length or CRC mismatch). */
export const CORRUPT = -2;

/** Frames a batch into one buffer so it reaches the file in one write. */
export function encodeBatch(messages: readonly Uint8Array[]): Buffer {
  let total = 0;
  for (const message of messages) {
    if (!(message instanceof Uint8Array)) {
      throw new MamoriError('MAMORI_E_INVALID', 'bus messages must be Buffers');
    }
    if (message.length > MAX_PAYLOAD_BYTES) {
      throw new MamoriError('MAMORI_E_TOO_LARGE', `bus message of ${message.length} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
    }
    total += HEADER_BYTES + message.length;
  }
  if (total > MAX_BATCH_BYTES) {
    throw new MamoriError('MAMORI_E_TOO_LARGE', `bus batch of ${total} bytes exceeds ${MAX_BATCH_BYTES}; split it`);
  }
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  for (const message of messages) {
    out.writeUInt32LE(message.length, pos);
    const crc = crc32(message, crc32(out.subarray(pos, pos + 4)));
    out.writeUInt32LE(crc, pos + 4);
    out.set(message, pos + HEADER_BYTES);
    pos += HEADER_BYTES + message.length;
  }
  return out;
}

/**
 * Total size the record at `pos` claims from its header alone, without
 * checking its CRC; INCOMPLETE when `buf[pos, end)` does not hold a whole
 * header, CORRUPT when the length is impossible.
 */
export function claimedSize(buf: Buffer, pos: number, end: number): number {
  if (end - pos < HEADER_BYTES) return INCOMPLETE;
  const length = buf.readUInt32LE(pos);
  return length > MAX_PAYLOAD_BYTES ? CORRUPT : HEADER_BYTES + length;
}

/**
 * Size of the record at `pos` when `buf[pos, end)` holds it whole and its
 * CRC matches; INCOMPLETE when more bytes are needed, CORRUPT otherwise.
 */
export function frameAt(buf: Buffer, pos: number, end: number): number {
  const size = claimedSize(buf, pos, end);
  if (size < 0) return size;
  if (end - pos < size) return INCOMPLETE;
  const crc = crc32(buf.subarray(pos + HEADER_BYTES, pos + size), crc32(buf.subarray(pos, pos + 4)));
  return crc === buf.readUInt32LE(pos + 4) ? size : CORRUPT;
}
