import { randomBytes } from 'node:crypto';

/**
 * Event ids: time-ordered, unique across processes, 20 characters.
 * Layout: 9 chars of base-36 milliseconds, 6 chars of process-random prefix,
 * 5 chars of a base-36 counter. Ids are generated at collection only, so the
 * cost per event is one string concatenation.
 */
const processPrefix = randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(-6);
let counter = 0;

export function newEventId(now = Date.now()): string {
  counter = (counter + 1) % 60_466_176; // 36^5
  return now.toString(36).padStart(9, '0') + processPrefix + counter.toString(36).padStart(5, '0');
}

/** A random opaque secret (tokens, session ids), URL-safe. */
export function newSecret(prefix: string, bytes = 24): string {
  return prefix + randomBytes(bytes).toString('base64url');
}
