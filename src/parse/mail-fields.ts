/**
 * Small readers shared by the mail server parsers (postfix, sendmail):
 * addresses in angle brackets, SMTP replies and decimal numbers.
 */
import type { MamoriEvent } from '../core/event.js';

/** `<a@b>` → `a@b`; text without brackets is returned as it is. */
export function unbracket(value: string): string {
  return value.length >= 2 && value.charCodeAt(0) === 60 && value.charCodeAt(value.length - 1) === 62 ? value.slice(1, -1) : value;
}

/** A non-negative decimal such as `0.52` or `12` (delays), else undefined. */
export function parseDecimal(value: string): number | undefined {
  const n = value.length;
  if (n === 0 || n > 20) return undefined;
  let dot = false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 46 && !dot && i > 0 && i < n - 1) dot = true;
    else if (c < 48 || c > 57) return undefined;
  }
  return Number(value);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** End of an enhanced status code (`5.7.1`, RFC 3463) at `i`, or -1. */
export function dsnEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if ((c !== 50 && c !== 52 && c !== 53) || text.charCodeAt(i + 1) !== 46) return -1;
  let k = i + 2;
  for (let part = 0; part < 2; part++) {
    const start = k;
    while (k < text.length && k - start < 3 && isDigit(text.charCodeAt(k))) k++;
    if (k === start) return -1;
    if (part === 0) {
      if (text.charCodeAt(k) !== 46) return -1;
      k++;
    }
  }
  return k < text.length && isDigit(text.charCodeAt(k)) ? -1 : k;
}

/** Where a parser keeps the parts of an SMTP reply. */
export interface ReplyFields {
  code: string;
  dsn: string;
}

/** Field names per side, spelled out: keys built per line would be hashed per line. */
export const ENDPOINT_FIELDS = {
  source: { domain: 'source.domain', ip: 'source.ip', port: 'source.port' },
  destination: { domain: 'destination.domain', ip: 'destination.ip', port: 'destination.port' },
} as const;

/**
 * An SMTP reply (`554 5.7.1 <x@y>: Relay access denied`): the whole text
 * as `event.reason`, the reply code and the enhanced status code (DSN)
 * in `fields` when present.
 */
export function setSmtpReply(event: MamoriEvent, fields: ReplyFields, reply: string): void {
  if (reply.length === 0) return;
  event['event.reason'] = reply;
  let i = 0;
  if (isDigit(reply.charCodeAt(0)) && isDigit(reply.charCodeAt(1)) && isDigit(reply.charCodeAt(2)) && (reply.length === 3 || reply.charCodeAt(3) === 32)) {
    event[fields.code] = Number(reply.slice(0, 3));
    i = 4;
  }
  const end = dsnEnd(reply, i);
  if (end > 0) event[fields.dsn] = reply.slice(i, end);
}

/** `TLSv1.3` → ECS `tls.version` 1.3 and `tls.version_protocol` tls; other spellings stay as `raw`. */
export function setTlsVersion(event: MamoriEvent, value: string): void {
  const lower = value.toLowerCase();
  if (lower.startsWith('tlsv') || lower.startsWith('sslv')) {
    event['tls.version_protocol'] = lower.slice(0, 3);
    event['tls.version'] = value.slice(4);
  } else {
    event['tls.version'] = value;
  }
}
