/**
 * One error root with stable codes. A code never changes meaning once
 * published; messages say what to do.
 */
export type ErrorCode =
  | 'MAMORI_E_CONFIG'
  | 'MAMORI_E_PARSE'
  | 'MAMORI_E_QUERY'
  | 'MAMORI_E_NOT_FOUND'
  | 'MAMORI_E_CONFLICT'
  | 'MAMORI_E_UNAUTHENTICATED'
  | 'MAMORI_E_FORBIDDEN'
  | 'MAMORI_E_INVALID'
  | 'MAMORI_E_OVERLOADED'
  | 'MAMORI_E_RATE_LIMITED'
  | 'MAMORI_E_TOO_LARGE'
  | 'MAMORI_E_STORE'
  | 'MAMORI_E_BUS'
  | 'MAMORI_E_UNKNOWN_PART';

export class MamoriError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'MamoriError';
  }
}

/** HTTP status for each code, used by the API's error handler. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  MAMORI_E_CONFIG: 500,
  MAMORI_E_PARSE: 400,
  MAMORI_E_QUERY: 400,
  MAMORI_E_NOT_FOUND: 404,
  MAMORI_E_CONFLICT: 409,
  MAMORI_E_UNAUTHENTICATED: 401,
  MAMORI_E_FORBIDDEN: 403,
  MAMORI_E_INVALID: 400,
  // 429 rather than 503: senders (agents, HTTP clients) retry a 429 after Retry-After without treating it as an outage.
  MAMORI_E_OVERLOADED: 429,
  MAMORI_E_RATE_LIMITED: 429,
  MAMORI_E_TOO_LARGE: 413,
  MAMORI_E_STORE: 500,
  MAMORI_E_BUS: 500,
  MAMORI_E_UNKNOWN_PART: 400,
};
