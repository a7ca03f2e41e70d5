/**
 * The syslog header many devices put in front of their own payload
 * (FortiGate key/values, Cisco `%ASA-...` messages, CEF, LEEF, JSON, ...).
 * A vendor parser reads the header here, keeps what it wants and parses the
 * rest itself.
 */
import type { MamoriEvent } from '../core/event.js';
import { ParseError, type ParseContext } from './parser.js';
import { parseBsdInto } from './rfc3164.js';
import { parseRfc5424Header } from './rfc5424.js';
import { readPri } from './syslog.js';

export interface SyslogEnvelope {
  /**
   * Header fields: `@timestamp`, `log.syslog.*`, `host.name` (the sender)
   * and, for RFC 3164, `process.name`/`process.pid`/`event.provider` from
   * the tag and, for RFC 5424, APP-NAME, PROCID, MSGID and structured data.
   */
  header: MamoriEvent;
  /** The payload after the header (after the tag for RFC 3164). */
  body: string;
}

/** Month initials a BSD timestamp can start with. */
function mayStartBsd(c: number): boolean {
  return c === 74 || c === 70 || c === 77 || c === 65 || c === 83 || c === 79 || c === 78 || c === 68;
}

/**
 * Reads a leading RFC 5424 or RFC 3164 header (with or without PRI; BSD or
 * ISO timestamp). Undefined when the line does not start with one, so the
 * caller can parse a bare payload (a file export, an HTTP post) the same way.
 */
export function readSyslogEnvelope(line: string, ctx: ParseContext): SyslogEnvelope | undefined {
  const first = line.charCodeAt(0);
  if (first !== 60 && !(first >= 48 && first <= 57) && !mayStartBsd(first)) return undefined;
  const header: MamoriEvent = {};
  try {
    const pri = readPri(line, 0);
    const c = pri ? line.charCodeAt(pri.end) : 0;
    if (pri && c >= 49 && c <= 57 && line.charCodeAt(pri.end + 1) === 32) {
      const start = parseRfc5424Header(header, line, ctx);
      let body = line.slice(start);
      if (body.charCodeAt(0) === 0xfeff) body = body.slice(1);
      return { header, body };
    }
    parseBsdInto(header, line, ctx);
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    return undefined;
  }
  const body = header.message as string;
  delete header.message;
  return { header, body };
}

/**
 * Copies the envelope's time and `log.syslog.*` fields into `event`, and
 * the sending host as `observer.hostname`: for a network device the syslog
 * host is the device reporting, not the host the event is about.
 */
export function applyDeviceEnvelope(event: MamoriEvent, envelope: SyslogEnvelope): void {
  const header = envelope.header;
  for (const key in header) {
    if (key === '@timestamp' || key.startsWith('log.syslog.')) event[key] = header[key];
  }
  if (header['host.name'] !== undefined) event['observer.hostname'] = header['host.name'];
}

/**
 * The event of a payload format found at `at` in the line (CEF, LEEF):
 * module and dataset named after it, and time and reporting device from
 * the syslog header in front of it. A header that cannot be read does not
 * make the payload unreadable.
 */
export function payloadEvent(module: string, line: string, at: number, ctx: ParseContext): MamoriEvent {
  const event: MamoriEvent = { '@timestamp': undefined, 'event.kind': 'event', 'event.module': module, 'event.dataset': module };
  if (at > 0) {
    const envelope = readSyslogEnvelope(line.slice(0, at), ctx);
    if (envelope) applyDeviceEnvelope(event, envelope);
  }
  return event;
}
