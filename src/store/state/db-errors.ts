import { MamoriError } from '../../core/errors.js';

type Violation = 'unique' | 'foreign_key';

/** SQLite extended result codes and PostgreSQL SQLSTATEs for the violations callers can cause. */
const VIOLATIONS: ReadonlyMap<string, Violation> = new Map([
  ['SQLITE_CONSTRAINT_UNIQUE', 'unique'],
  ['SQLITE_CONSTRAINT_PRIMARYKEY', 'unique'],
  ['SQLITE_CONSTRAINT_FOREIGNKEY', 'foreign_key'],
  ['23505', 'unique'],
  ['23503', 'foreign_key'],
]);

export interface ViolationMessages {
  /** Message for a unique or primary key violation (MAMORI_E_CONFLICT). */
  conflict?: string;
  /** Message for a reference to a missing row (MAMORI_E_NOT_FOUND). */
  missing?: string;
}

/**
 * Runs one write and turns constraint violations into MamoriErrors with the
 * same code and message on both dialects. Other errors pass through.
 */
export async function translateViolations<T>(write: () => Promise<T>, messages: ViolationMessages): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const violation = typeof code === 'string' ? VIOLATIONS.get(code) : undefined;
    if (violation === 'unique' && messages.conflict !== undefined) {
      throw withCause(new MamoriError('MAMORI_E_CONFLICT', messages.conflict), error);
    }
    if (violation === 'foreign_key' && messages.missing !== undefined) {
      throw withCause(new MamoriError('MAMORI_E_NOT_FOUND', messages.missing), error);
    }
    throw error;
  }
}

/**
 * Attaches the driver error as the standard `cause` rather than in `details`,
 * which the API may show to clients.
 */
export function withCause(error: MamoriError, cause: unknown): MamoriError {
  error.cause = cause;
  return error;
}
