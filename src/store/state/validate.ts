import { isIP } from 'node:net';
import { MamoriError } from '../../core/errors.js';

/**
 * Input checks shared by the repositories. They run before any SQL so that
 * both dialects reject the same values with the same MAMORI_E_INVALID error
 * instead of a driver error (PostgreSQL refuses NUL in text; node-pg would
 * silently turn a lone UTF-16 surrogate into U+FFFD).
 */

/** NUL, or a UTF-16 surrogate without its pair. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TENANT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** `Date#toISOString()` for years 0000–9999; other years would break text ordering. */
const ISO_LENGTH = 24;

function invalid(field: string, why: string): MamoriError {
  return new MamoriError('MAMORI_E_INVALID', `${field} ${why}`, { field });
}

/** A string of 1..max UTF-16 units (0..max when `allowEmpty`) that both databases store unchanged. */
export function text(field: string, value: unknown, max: number, allowEmpty = false): string {
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  if (value.length === 0 && !allowEmpty) throw invalid(field, 'must not be empty');
  if (value.length > max) throw invalid(field, `must be at most ${max} characters`);
  if (UNSTORABLE.test(value)) throw invalid(field, 'must not contain NUL characters or unpaired surrogates');
  return value;
}

export function optionalText(field: string, value: unknown, max: number): string | null {
  return value === undefined || value === null ? null : text(field, value, max);
}

/** Tenant ids are slugs: they appear in URLs, file names and ClickHouse literals. */
export function tenantId(value: unknown, field = 'tenant id'): string {
  if (typeof value !== 'string' || !TENANT_ID.test(value)) {
    throw invalid(field, 'must be 1-63 characters of a-z, 0-9 and "-", starting with a letter or digit');
  }
  return value;
}

/** The SHA-256 hex digest the store keeps instead of a secret. */
export function sha256Hex(field: string, value: unknown): string {
  if (typeof value !== 'string' || !SHA256_HEX.test(value)) {
    throw invalid(field, 'must be a lowercase hex SHA-256 digest');
  }
  return value;
}

export function integer(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function flag(field: string, value: unknown): 0 | 1 {
  if (typeof value !== 'boolean') throw invalid(field, 'must be true or false');
  return value ? 1 : 0;
}

/** The stored form of a time: ISO 8601 UTC with milliseconds. */
export function isoTime(field: string, value: unknown): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw invalid(field, 'must be a valid Date');
  const iso = value.toISOString();
  if (iso.length !== ISO_LENGTH) throw invalid(field, 'must be between years 0000 and 9999');
  return iso;
}

export function optionalIsoTime(field: string, value: unknown): string | null {
  return value === undefined || value === null ? null : isoTime(field, value);
}

export function optionalIp(field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || isIP(value) === 0) throw invalid(field, 'must be an IPv4 or IPv6 address');
  return value;
}

/** A plain object serialised to JSON text of at most `maxBytes` UTF-8 bytes. */
export function jsonObject(field: string, value: unknown, maxBytes: number): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(field, 'must be an object');
  return jsonText(field, value, maxBytes, '{', 'must be an object');
}

/** An array of at most `maxItems` items serialised to JSON text of at most `maxBytes` UTF-8 bytes. */
export function jsonArray(field: string, value: unknown, maxItems: number, maxBytes: number): string {
  if (!Array.isArray(value)) throw invalid(field, 'must be an array');
  if (value.length > maxItems) throw invalid(field, `must have at most ${maxItems} items`);
  return jsonText(field, value, maxBytes, '[', 'must be an array');
}

function jsonText(field: string, value: object, maxBytes: number, opening: '{' | '[', shape: string): string {
  let json: string | undefined;
  try {
    // JSON.stringify escapes NUL and lone surrogates, so the text is always storable.
    json = JSON.stringify(value);
  } catch (error) {
    // Cycles, BigInt values, nesting deep enough to exhaust the stack.
    throw invalid(field, `cannot be serialised to JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  // A toJSON() may return undefined or a value of another shape.
  if (json === undefined || json[0] !== opening) throw invalid(field, shape);
  if (Buffer.byteLength(json, 'utf8') > maxBytes) throw invalid(field, `must be at most ${maxBytes} bytes as JSON`);
  return json;
}

/** Longest row id or lookup key accepted; generated ids are UUIDs and digests. */
const KEY_MAX = 128;

/** A lookup key (row id, login). Checked like stored text so PostgreSQL never sees NUL. */
export function key(field: string, value: unknown): string {
  return text(field, value, KEY_MAX);
}
