import { gunzipSync } from 'node:zlib';
import { MamoriError } from '../core/errors.js';
import { newEventId } from '../core/ids.js';
import type { RawRecord } from '../core/raw-record.js';

/** The tenant, source and parsing facts an ingest request is bound to. */
export interface IngestBinding {
  tenant: string;
  source: string;
  format: string;
  timezone?: string;
  labels?: Record<string, string>;
}

export interface IngestLimits {
  maxBodyBytes: number;
  maxLineBytes: number;
}

/**
 * Turns an HTTP ingest body into raw records: NDJSON or plain text, one
 * event per line, optionally gzip-compressed. Decompression is bounded by
 * maxBodyBytes (a zip bomb gets 413, not an out-of-memory). Lines longer
 * than maxLineBytes are cut and flagged, never dropped.
 */
export function recordsFromBody(
  body: Buffer,
  contentEncoding: string | undefined,
  decode: (bytes: Buffer) => string,
  binding: IngestBinding,
  limits: IngestLimits,
  received = Date.now(),
): RawRecord[] {
  const records: RawRecord[] = [];
  forEachLine(inflate(body, contentEncoding, limits.maxBodyBytes), limits.maxLineBytes, (line, length) => {
    const data = decode(line);
    if (data.trim() === '') return;
    const record: RawRecord = {
      id: newEventId(received),
      tenant: binding.tenant,
      source: binding.source,
      format: binding.format,
      received,
      data,
    };
    if (binding.timezone) record.timezone = binding.timezone;
    if (binding.labels) record.labels = binding.labels;
    if (length > line.length) record.truncatedFrom = length;
    records.push(record);
  });
  return records;
}

/**
 * Calls `visit` with each non-empty line of `bytes` (LF or CRLF ends a
 * line), cut to `maxLineBytes`, and the line's full length.
 */
export function forEachLine(bytes: Buffer, maxLineBytes: number, visit: (line: Buffer, length: number) => void): void {
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    let stop = end;
    if (stop > start && bytes[stop - 1] === 0x0d) stop--;
    const length = stop - start;
    if (length > 0) visit(bytes.subarray(start, length > maxLineBytes ? start + maxLineBytes : stop), length);
    start = end + 1;
  }
}

export function inflate(body: Buffer, encoding: string | undefined, max: number): Buffer {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === 'identity' || enc === '') return body;
  if (enc !== 'gzip' && enc !== 'x-gzip') {
    throw new MamoriError('MAMORI_E_INVALID', `unsupported Content-Encoding "${encoding}": send identity or gzip`);
  }
  try {
    return gunzipSync(body, { maxOutputLength: max });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger/.test((err as Error).message)) {
      throw new MamoriError('MAMORI_E_TOO_LARGE', `decompressed body exceeds ${max} bytes: split the upload`);
    }
    throw new MamoriError('MAMORI_E_INVALID', `body is not valid gzip: ${(err as Error).message}`);
  }
}
