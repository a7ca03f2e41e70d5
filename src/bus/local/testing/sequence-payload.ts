/** Payloads that carry their own sequence number, for the crash test and its child process. */
const PAYLOAD_BYTES = 300;
const PREFIX = 'seq:';

export function sequencePayload(seq: number): Buffer {
  return Buffer.from(`${PREFIX}${seq}:`.padEnd(PAYLOAD_BYTES, '.'));
}

/** The sequence number a payload carries; NaN for anything that is not such a payload. */
export function sequenceOf(payload: Buffer): number {
  const text = payload.toString('latin1');
  const end = text.indexOf(':', PREFIX.length);
  return text.startsWith(PREFIX) && end > PREFIX.length && payload.length === PAYLOAD_BYTES ? Number(text.slice(PREFIX.length, end)) : NaN;
}
