import type { MamoriEvent } from '../core/event.js';

/** Facility keywords by code (RFC 5424 §6.2.1, the names syslog daemons print). */
const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5',
  'local6', 'local7',
];
const SEVERITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];

export interface Pri {
  value: number;
  /** Index just after the closing `>`. */
  end: number;
}

/** Reads `<PRI>` (1 to 3 digits, 0..191) at `i`; undefined when there is none. */
export function readPri(line: string, i: number): Pri | undefined {
  if (line.charCodeAt(i) !== 60) return undefined;
  let value = 0;
  let p = i + 1;
  for (; p < i + 5; p++) {
    const d = line.charCodeAt(p) - 48;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
  }
  if (p === i + 1 || p > i + 4 || line.charCodeAt(p) !== 62 || value > 191) return undefined;
  return { value, end: p + 1 };
}

/** Fills the `log.syslog.priority/facility/severity` fields from a PRI value. */
export function setPri(event: MamoriEvent, pri: number): void {
  const facility = pri >> 3;
  const severity = pri & 7;
  event['log.syslog.priority'] = pri;
  event['log.syslog.facility.code'] = facility;
  event['log.syslog.facility.name'] = FACILITIES[facility];
  event['log.syslog.severity.code'] = severity;
  event['log.syslog.severity.name'] = SEVERITIES[severity];
}

/** A non-negative decimal integer made only of digits (no sign, no spaces), else undefined. */
export function parseUint(s: string, max: number): number | undefined {
  if (s.length === 0 || s.length > 16) return undefined;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n <= max ? n : undefined;
}

/**
 * The event a syslog parser starts from. `@timestamp` comes first so that
 * it leads the field order of every syslog event.
 */
export function syslogEvent(module: 'rfc3164' | 'rfc5424'): MamoriEvent {
  return { '@timestamp': undefined, 'event.kind': 'event', 'event.module': module, 'event.dataset': 'syslog' };
}
