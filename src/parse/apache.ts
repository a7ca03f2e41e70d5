import type { MamoriEvent } from '../core/event.js';
import { FieldReader, monthAt, readClf, readFraction, setClfFields, stripSyslog, wallClockMs } from './access-log.js';
import { isIp, parsePort } from './net.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { parseUint } from './syslog.js';
import { digits2, isoFromMs, isValidMs, localToUtc } from './time.js';

const ACCESS_PREFIX = 'apache.access.';
const BODY_BYTES = ['http.response.body.bytes'];
const NS_PER_US = 1000;
/** Brackets read at the start of an error line (time, level, pid, client); a longer run is message text. */
const MAX_HEADER_BRACKETS = 4;
const REFERER_SUFFIX = ', referer: ';

function apacheEvent(dataset: string, type: string): MamoriEvent {
  return {
    '@timestamp': undefined,
    'event.kind': 'event',
    'event.module': 'apache',
    'event.dataset': dataset,
    'event.category': ['web'],
    'event.type': [type],
  };
}

/**
 * `common`, `combined`, `vhost_combined` (`%v:%p` first) and any of them
 * followed by `%D` (µs taken). Anything else appended stays in `apache.access.extra`.
 */
function parseAccess(event: MamoriEvent, body: string, ctx: ParseContext): MamoriEvent {
  const reader = new FieldReader(body);
  const clf = readClf(reader, ctx);
  event['@timestamp'] = isoFromMs(clf.ms);
  setClfFields(event, clf, ACCESS_PREFIX, BODY_BYTES);
  const rest = reader.rest();
  const micros = parseUint(rest, Number.MAX_SAFE_INTEGER);
  if (micros !== undefined) event['event.duration'] = micros * NS_PER_US;
  else if (rest.length > 0) event[ACCESS_PREFIX + 'extra'] = rest;
  return event;
}

function singleDigit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : -1;
}

/**
 * `Wed Oct 11 14:32:52 2000` (2.2) or `Wed May 01 10:00:00.123456 2024`
 * (2.4): local time of the server, so read in the source's zone. NaN when not a time.
 */
export function parseErrorTime(s: string, zone: string | undefined): number {
  if (s.charCodeAt(3) !== 32 || s.charCodeAt(7) !== 32 || s.charCodeAt(10) !== 32) return NaN;
  // The day of month may be space padded (`May  1`).
  const day = s.charCodeAt(8) === 32 ? singleDigit(s.charCodeAt(9)) : digits2(s, 8);
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const frac = readFraction(s, 19);
  if (s.charCodeAt(frac.end) !== 32 || s.length !== frac.end + 5) return NaN;
  const yearHi = digits2(s, frac.end + 1);
  const yearLo = digits2(s, frac.end + 3);
  if (yearHi < 0 || yearLo < 0) return NaN;
  const local = wallClockMs(yearHi * 100 + yearLo, monthAt(s, 4), day, digits2(s, 11), digits2(s, 14), digits2(s, 17), frac.ms);
  if (Number.isNaN(local)) return NaN;
  const ms = localToUtc(local, zone);
  return isValidMs(ms) ? ms : NaN;
}

/** `core:error` (2.4, module may be empty) or `error` (2.2). */
function setLevel(event: MamoriEvent, text: string): void {
  const colon = text.lastIndexOf(':');
  const level = text.slice(colon + 1).toLowerCase();
  if (level.length > 0) event['log.level'] = level;
  if (colon > 0) event['apache.error.module'] = text.slice(0, colon);
}

/** `pid 123:tid 456` or `pid 123`. */
function setPid(event: MamoriEvent, text: string): void {
  const colon = text.indexOf(':');
  const pid = parseUint(text.slice(4, colon < 0 ? text.length : colon), Number.MAX_SAFE_INTEGER);
  if (pid !== undefined) event['process.pid'] = pid;
  if (colon > 0 && text.startsWith('tid ', colon + 1)) {
    const tid = parseUint(text.slice(colon + 5), Number.MAX_SAFE_INTEGER);
    if (tid !== undefined) event['process.thread.id'] = tid;
  }
}

/**
 * `client 10.0.0.1:5000` (2.4 always adds the port, also after an IPv6
 * address), `client 127.0.0.1` (2.2) or `remote ...` (2.4, the peer when
 * it differs from the client). Text that is not an address stays in `apache.error.client`.
 */
function setClient(event: MamoriEvent, text: string): void {
  const address = text.slice(text.indexOf(' ') + 1);
  const colon = address.lastIndexOf(':');
  const port = colon > 0 ? parsePort(address.slice(colon + 1)) : undefined;
  if (port !== undefined && isIp(address.slice(0, colon))) {
    event['source.ip'] = address.slice(0, colon);
    event['source.port'] = port;
  } else if (isIp(address)) {
    event['source.ip'] = address;
  } else {
    event['apache.error.client'] = address;
  }
}

/** `AH00126:` at the start of the message text: the error's documented code. */
function setErrorCode(event: MamoriEvent, message: string, at: number): void {
  if (message.charCodeAt(at) !== 65 || message.charCodeAt(at + 1) !== 72 || message.charCodeAt(at + 7) !== 58) return;
  for (let i = at + 2; i < at + 7; i++) {
    const c = message.charCodeAt(i);
    if (c < 48 || c > 57) return;
  }
  event['error.code'] = message.slice(at, at + 7);
}

/**
 * `[time] [module:level] [pid P:tid T] [client A:P] AH00126: message[, referer: R]`
 * (2.4) or `[time] [level] [client A] message` (2.2). The time is absent
 * when Apache logs to syslog. 2.4 may put an APR error (`(13)Permission
 * denied: `) before the client bracket; it stays in the message.
 */
function parseError(event: MamoriEvent, body: string, ctx: ParseContext): MamoriEvent {
  let pos = 0;
  let brackets = 0;
  let leveled = false;
  let message = '';
  let clientFound = false;
  while (brackets < MAX_HEADER_BRACKETS && body.charCodeAt(pos) === 91) {
    const close = body.indexOf(']', pos + 1);
    if (close < 0) break;
    const text = body.slice(pos + 1, close);
    if (brackets === 0 && !leveled && body.charCodeAt(pos + 4) === 32) {
      const ms = parseErrorTime(text, ctx.timezone);
      if (Number.isNaN(ms)) throw new ParseError(`invalid Apache error log time "${text.slice(0, 40)}"`);
      event['@timestamp'] = isoFromMs(ms);
    } else if (!leveled) {
      setLevel(event, text);
      leveled = true;
    } else if (text.startsWith('pid ')) {
      setPid(event, text);
    } else if (text.startsWith('client ') || text.startsWith('remote ')) {
      setClient(event, text);
      clientFound = true;
    } else {
      break;
    }
    brackets++;
    pos = close + 1;
    while (body.charCodeAt(pos) === 32) pos++;
  }
  if (!leveled) throw new ParseError('not an Apache error log line: no [level] field');

  // `(13)Permission denied: [client 10.0.0.1:5000] AH01276: ...`
  if (!clientFound && body.charCodeAt(pos) === 40) {
    const bracket = body.indexOf(': [client ', pos);
    const end = bracket < 0 ? -1 : body.indexOf(']', bracket + 3);
    if (end > 0) {
      setClient(event, body.slice(bracket + 3, end));
      let after = end + 1;
      while (body.charCodeAt(after) === 32) after++;
      message = body.slice(pos, bracket + 2) + body.slice(after);
      setErrorCode(event, message, bracket + 2 - pos);
    }
  }
  if (message.length === 0) {
    message = body.slice(pos);
    setErrorCode(event, message, 0);
  }
  const referer = message.lastIndexOf(REFERER_SUFFIX);
  if (referer > 0) event['http.request.referrer'] = message.slice(referer + REFERER_SUFFIX.length);
  if (message.length > 0) event.message = message;
  if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
  return event;
}

/** `[Www Mmm dd ` : the time bracket every error line written to a file starts with. */
function startsErrorLine(line: string): boolean {
  return line.charCodeAt(0) === 91 && line.charCodeAt(4) === 32 && line.charCodeAt(8) === 32 && monthAt(line, 5) >= 0;
}

/** `] "` closing a CLF time (`[01/May/2024:10:00:00 +0900] "`), looked for once. */
function looksClf(line: string): boolean {
  const close = line.indexOf('] "');
  return close > 20 && line.charCodeAt(close - 6) === 32 && line.charCodeAt(close - 15) === 58 && line.charCodeAt(close - 24) === 47;
}

export const apache: Parser = {
  name: 'apache',
  description: 'Apache httpd access logs (common, combined, vhost_combined, with %D) and error logs (2.2 and 2.4)',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const event = apacheEvent('apache.access', 'access');
    const body = stripSyslog(event, line, ctx, 'host');
    if (body.charCodeAt(0) !== 91) return parseAccess(event, body, ctx);
    event['event.dataset'] = 'apache.error';
    event['event.type'] = ['error'];
    return parseError(event, body, ctx);
  },
  sniff(line: string): boolean {
    return startsErrorLine(line) || looksClf(line);
  },
};
