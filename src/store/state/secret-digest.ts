import { createHash } from 'node:crypto';

/**
 * The store keeps a digest of each secret (ingest tokens, API tokens, session
 * ids), never the secret. Secrets are long random strings (see newSecret in
 * src/core/ids.ts), so an unsalted SHA-256 is enough and keeps lookup by
 * digest a single indexed equality.
 */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Length of the secret prefix kept so that people can tell their tokens apart. */
const HINT_LENGTH = 8;

export function secretHint(secret: string): string {
  return secret.slice(0, HINT_LENGTH);
}
