/**
 * What the web server and proxy access logs (Apache, nginx, Squid, Blue
 * Coat) share: a field reader for space separated lines with "quoted" and
 * [bracketed] fields, the Common/Combined Log Format, the HTTP request line
 * and URL splitting into the ECS `url.*` fields. One forward pass per line,
 * no regex.
 */
import type { MamoriEvent } from '../core/event.js';
import { applyDeviceEnvelope, readSyslogEnvelope } from './envelope.js';
import { isIp, parsePort } from './net.js';
import { ParseError, type ParseContext } from './parser.js';
import { parseUint } from './syslog.js';
import { digits2, digits4, isValidMs, localToUtc, readIso, readOffset } from './time.js';

const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const SLASH = 47;
const COLON = 58;
const OPEN_BRACKET = 91;
const BACKSLASH = 92;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** `-` is how every one of these formats writes "no value". */
export function present(value: string | undefined): value is string {
  return value !== undefined && value.length > 0 && value !== '-';
}

/** Undoes the two escapes Apache and nginx JSON logs use inside quotes (`\"`, `\\`); `\xHH` stays as written. */
function unescapeQuoted(s: string): string {
  let out = '';
  let chunk = 0;
  for (let i = 0; i < s.length - 1; i++) {
    if (s.charCodeAt(i) !== BACKSLASH) continue;
    const next = s.charCodeAt(i + 1);
    if (next === QUOTE || next === BACKSLASH) {
      out += s.slice(chunk, i);
      chunk = i + 1;
    }
    i++;
  }
  return out + s.slice(chunk);
}

/**
 * Reads the fields of one line left to right. A field is a run of
 * non-blanks, a double-quoted string (which may hold blanks; a quote only
 * closes it when a blank or the end of the line follows, so a stray quote
 * inside a badly escaped value does not derail the rest of the line), or a
 * [bracketed] string. Runs of blanks separate fields.
 */
export class FieldReader {
  pos: number;

  constructor(
    readonly line: string,
    start = 0,
  ) {
    this.pos = start;
    this.skipBlanks();
  }

  private skipBlanks(): void {
    const line = this.line;
    while (this.pos < line.length && isBlank(line.charCodeAt(this.pos))) this.pos++;
  }

  atEnd(): boolean {
    return this.pos >= this.line.length;
  }

  /** Char code of the next field's first character (NaN at the end). */
  peek(): number {
    return this.line.charCodeAt(this.pos);
  }

  /** The next field, quotes removed and `\"` `\\` undone; undefined at the end of the line. */
  next(): string | undefined {
    const line = this.line;
    const n = line.length;
    const start = this.pos;
    if (start >= n) return undefined;
    let value: string;
    if (line.charCodeAt(start) === QUOTE) {
      let i = start + 1;
      let escaped = false;
      for (; i < n; i++) {
        const c = line.charCodeAt(i);
        if (c === BACKSLASH) {
          escaped = true;
          i++;
        } else if (c === QUOTE && (i + 1 === n || isBlank(line.charCodeAt(i + 1)))) {
          break;
        }
      }
      // An unterminated quote runs to the end of the line (a truncated record).
      const end = Math.min(i, n);
      value = line.slice(start + 1, end);
      if (escaped) value = unescapeQuoted(value);
      this.pos = end + 1;
    } else {
      let i = start + 1;
      while (i < n && !isBlank(line.charCodeAt(i))) i++;
      value = line.slice(start, i);
      this.pos = i;
    }
    this.skipBlanks();
    return value;
  }

  /** The content of a `[...]` field, or undefined when the next field is not one. */
  nextBracketed(): string | undefined {
    if (this.peek() !== OPEN_BRACKET) return undefined;
    const close = this.line.indexOf(']', this.pos + 1);
    if (close < 0) return undefined;
    const value = this.line.slice(this.pos + 1, close);
    this.pos = close + 1;
    this.skipBlanks();
    return value;
  }

  /** Everything not read yet, trailing blanks removed. */
  rest(): string {
    let end = this.line.length;
    while (end > this.pos && this.line.charCodeAt(end - 1) <= SPACE) end--;
    return this.line.slice(this.pos, end);
  }
}


const MONTHS = new Map<number, number>(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, n) => [monthKey(m, 0), n]),
);

function monthKey(s: string, i: number): number {
  return ((s.charCodeAt(i) | 32) << 16) | ((s.charCodeAt(i + 1) | 32) << 8) | (s.charCodeAt(i + 2) | 32);
}

/** Month (0-11) of the English three-letter month name at `i`, or -1. */
export function monthAt(s: string, i: number): number {
  return MONTHS.get(monthKey(s, i)) ?? -1;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch ms of a wall-clock date and time given as numbers (month 0-11,
 * `frac` in ms); NaN when any part is out of range. The caller applies the offset or zone.
 */
export function wallClockMs(year: number, month: number, day: number, h: number, m: number, sec: number, frac: number): number {
  if (year < 0 || month < 0 || month > 11 || day < 1 || day > DAYS_IN_MONTH[month]) return NaN;
  if (month === 1 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return NaN;
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60) return NaN;
  return Date.UTC(year, month, day, h, m, Math.min(sec, 59)) + frac;
}

/**
 * Reads `.fff...` at `i` (any number of digits, kept to ms). Returns the
 * milliseconds and the index after the digits; `{0, i}` when there is no fraction.
 */
export function readFraction(s: string, i: number): { ms: number; end: number } {
  if (s.charCodeAt(i) !== 46) return { ms: 0, end: i };
  let end = i + 1;
  let ms = 0;
  let scale = 100;
  for (let c = s.charCodeAt(end) - 48; c >= 0 && c <= 9; c = s.charCodeAt(++end) - 48) {
    ms += c * scale;
    scale /= 10;
  }
  return { ms: Math.floor(ms), end };
}

/**
 * The time of a CLF `[...]` field: `dd/Mon/yyyy:hh:mm:ss[.fff] ±hhmm`, or
 * ISO 8601 (nginx `$time_iso8601` in brackets). A time without an offset
 * is read in `zone`. NaN when the text is neither.
 */
export function parseClfTime(s: string, zone: string | undefined): number {
  if (s.charCodeAt(4) === 45) {
    const iso = readIso(s, 0, zone);
    return iso && iso.end === s.length ? iso.ms : NaN;
  }
  if (s.charCodeAt(2) !== SLASH || s.charCodeAt(6) !== SLASH || s.charCodeAt(11) !== COLON) return NaN;
  if (s.charCodeAt(14) !== COLON || s.charCodeAt(17) !== COLON) return NaN;
  const frac = readFraction(s, 20);
  const local = wallClockMs(digits4(s, 7), monthAt(s, 3), digits2(s, 0), digits2(s, 12), digits2(s, 15), digits2(s, 18), frac.ms);
  if (Number.isNaN(local)) return NaN;
  let ms: number;
  if (frac.end === s.length) {
    ms = localToUtc(local, zone);
  } else {
    const offset = s.charCodeAt(frac.end) === SPACE ? readOffset(s, frac.end + 1) : undefined;
    if (!offset || offset.end !== s.length || offset.end === frac.end + 1) return NaN;
    ms = local - offset.ms;
  }
  return isValidMs(ms) ? ms : NaN;
}

/** The fields of a Common / Combined Log Format line, as written (`-` included). */
export interface ClfLine {
  /** `%v` or `%v:%p` when the line starts with the virtual host. */
  vhost: string | undefined;
  client: string;
  ident: string;
  user: string;
  ms: number;
  request: string;
  status: string;
  bytes: string;
  referrer: string | undefined;
  userAgent: string | undefined;
}

/**
 * Reads `[vhost] host ident user [time] "request" status bytes ["referrer"
 * "user agent"]` from `reader`, leaving it at whatever the format appends.
 */
export function readClf(reader: FieldReader, ctx: ParseContext): ClfLine {
  const heads: string[] = [];
  while (!reader.atEnd() && reader.peek() !== OPEN_BRACKET && heads.length < 5) heads.push(reader.next() as string);
  if (heads.length !== 3 && heads.length !== 4) throw new ParseError(`not a Common Log Format line: ${heads.length > 4 ? 'more than 4' : heads.length} fields before [time] (3 or 4 expected)`);
  const time = reader.nextBracketed();
  if (time === undefined) throw new ParseError('not a Common Log Format line: no [time] field');
  const ms = parseClfTime(time, ctx.timezone);
  if (Number.isNaN(ms)) throw new ParseError(`invalid CLF time "${time.slice(0, 40)}"`);
  if (reader.peek() !== QUOTE) throw new ParseError('not a Common Log Format line: no "request" after the time');
  const request = reader.next() as string;
  const status = reader.next();
  const bytes = reader.next();
  if (status === undefined || bytes === undefined) throw new ParseError('not a Common Log Format line: status or size missing');
  if (status !== '-' && parseUint(status, 999) === undefined) throw new ParseError(`invalid HTTP status "${status.slice(0, 20)}"`);
  if (bytes !== '-' && parseUint(bytes, Number.MAX_SAFE_INTEGER) === undefined) throw new ParseError(`invalid response size "${bytes.slice(0, 20)}"`);
  const referrer = reader.peek() === QUOTE ? reader.next() : undefined;
  const userAgent = referrer !== undefined && reader.peek() === QUOTE ? reader.next() : undefined;
  const vhost = heads.length === 4 ? heads[0] : undefined;
  const base = heads.length - 3;
  return { vhost, client: heads[base], ident: heads[base + 1], user: heads[base + 2], ms, request, status, bytes, referrer, userAgent };
}

/**
 * Maps the CLF fields every access log shares. `bytesFields` are where the
 * size goes: a web server logs the body size, a proxy the whole reply.
 * `prefix` (`apache.access.`) holds what has no ECS field (ident, an
 * unsplittable request line).
 */
export function setClfFields(event: MamoriEvent, clf: ClfLine, prefix: string, bytesFields: readonly string[]): void {
  if (isIp(clf.client)) event['source.ip'] = clf.client;
  else if (present(clf.client)) event['source.domain'] = clf.client;
  if (present(clf.ident)) event[prefix + 'ident'] = clf.ident;
  if (present(clf.user)) event['user.name'] = clf.user;
  setRequestLine(event, clf.request, prefix);
  const status = parseUint(clf.status, 999);
  if (status !== undefined) setStatus(event, status);
  const bytes = parseUint(clf.bytes, Number.MAX_SAFE_INTEGER);
  if (bytes !== undefined) for (const field of bytesFields) event[field] = bytes;
  if (present(clf.referrer)) event['http.request.referrer'] = clf.referrer;
  if (present(clf.userAgent)) event['user_agent.original'] = clf.userAgent;
  if (clf.vhost !== undefined) setVhost(event, clf.vhost);
}

/** `%v:%p`: the server name the request was for, and the port it came in on. */
function setVhost(event: MamoriEvent, vhost: string): void {
  const colon = vhost.lastIndexOf(':');
  const port = colon > 0 && vhost.indexOf(':') === colon ? parsePort(vhost.slice(colon + 1)) : undefined;
  const name = port === undefined ? vhost : vhost.slice(0, colon);
  if (present(name) && event['url.domain'] === undefined) event['url.domain'] = name;
  if (port !== undefined) event['destination.port'] = port;
}

/** HTTP status code and the ECS outcome web servers derive from it (4xx and 5xx fail). */
export function setStatus(event: MamoriEvent, status: number): void {
  if (status < 100) return;
  event['http.response.status_code'] = status;
  event['event.outcome'] = status < 400 ? 'success' : 'failure';
}

/** RFC 9110 token characters, the only ones a method may have. */
function isTokenChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ||
    c === 33 || (c >= 35 && c <= 39) || c === 42 || c === 43 || c === 45 || c === 46 || c === 94 || c === 95 || c === 96 || c === 124 || c === 126
  );
}

const MAX_METHOD = 32;

/**
 * Splits `METHOD target HTTP/x.y` into `http.request.method`, `http.version`
 * and the `url.*` fields. A line that is not a request (a TLS handshake
 * sent to a plain HTTP port, a scanner's junk) is kept whole in
 * `<prefix>request`: the event still tells who sent what.
 */
export function setRequestLine(event: MamoriEvent, request: string, prefix: string): void {
  if (!present(request)) return;
  const first = request.indexOf(' ');
  let valid = first > 0 && first <= MAX_METHOD;
  for (let i = 0; valid && i < first; i++) valid = isTokenChar(request.charCodeAt(i));
  const last = request.lastIndexOf(' ');
  const versioned = last > first && request.startsWith('HTTP/', last + 1);
  const targetEnd = versioned ? last : request.length;
  if (!valid || targetEnd <= first + 1) {
    event[prefix + 'request'] = request;
    return;
  }
  const method = request.slice(0, first);
  event['http.request.method'] = method;
  if (versioned) event['http.version'] = request.slice(last + 6);
  setUrl(event, request.slice(first + 1, targetEnd), method === 'CONNECT');
}

/** A URI scheme: a letter, then letters, digits, `+`, `-`, `.`. */
function isScheme(s: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i) | 32;
    if (!((c >= 97 && c <= 122) || (i > 0 && ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)))) return false;
  }
  return end > 0;
}

const MAX_SCHEME = 16;

/**
 * Fills `url.original` and the parts of `target`: `/path?query#fragment`
 * (origin form), `scheme://[user@]host[:port]/path?query` (absolute form,
 * which also goes to `url.full`), or `host:port` (CONNECT's authority
 * form). Anything else (`*`, `error:invalid-request`) stays in `url.original` only.
 */
export function setUrl(event: MamoriEvent, target: string, authorityForm: boolean): void {
  if (!present(target)) return;
  event['url.original'] = target;
  if (authorityForm) {
    setHostPort(event, target, 0, target.length);
    return;
  }
  if (target.charCodeAt(0) === SLASH) {
    setPathQuery(event, target, 0);
    return;
  }
  const sep = target.indexOf('://');
  if (sep <= 0 || sep > MAX_SCHEME || !isScheme(target, sep)) return;
  event['url.full'] = target;
  event['url.scheme'] = target.slice(0, sep).toLowerCase();
  const start = sep + 3;
  let end = start;
  for (; end < target.length; end++) {
    const c = target.charCodeAt(end);
    if (c === SLASH || c === 63 || c === 35) break;
  }
  // The password stays in url.original and url.full only; it is not copied into a field of its own.
  const at = target.lastIndexOf('@', end - 1);
  let hostStart = start;
  if (at >= start) {
    const colon = target.indexOf(':', start);
    const userEnd = colon >= 0 && colon < at ? colon : at;
    if (userEnd > start) event['url.username'] = target.slice(start, userEnd);
    hostStart = at + 1;
  }
  setHostPort(event, target, hostStart, end);
  if (end < target.length) setPathQuery(event, target, end);
}

/** `host`, `host:port`, `[v6]` or `[v6]:port` between `start` and `end` to `url.domain` / `url.port`. */
function setHostPort(event: MamoriEvent, s: string, start: number, end: number): void {
  let hostEnd = end;
  let port: number | undefined;
  if (s.charCodeAt(start) === OPEN_BRACKET) {
    const close = s.indexOf(']', start);
    if (close < 0 || close >= end) return;
    hostEnd = close + 1;
    if (s.charCodeAt(hostEnd) === COLON) port = parsePort(s.slice(hostEnd + 1, end));
  } else {
    const colon = s.lastIndexOf(':', end - 1);
    // A bare IPv6 address has several colons and no port.
    if (colon >= start && s.indexOf(':', start) === colon) {
      hostEnd = colon;
      port = parsePort(s.slice(colon + 1, end));
    }
  }
  if (hostEnd > start) event['url.domain'] = s.slice(start, hostEnd);
  if (port !== undefined) event['url.port'] = port;
}

/** `/path?query#fragment` from `start` to `url.path`, `url.query`, `url.fragment` (empty parts left out). */
function setPathQuery(event: MamoriEvent, s: string, start: number): void {
  let hash = s.indexOf('#', start);
  if (hash < 0) hash = s.length;
  let query = s.indexOf('?', start);
  if (query < 0 || query > hash) query = hash;
  if (query > start) event['url.path'] = s.slice(start, query);
  if (hash - query > 1) event['url.query'] = s.slice(query + 1, hash);
  if (s.length - hash > 1) event['url.fragment'] = s.slice(hash + 1);
}

const DEFAULT_PORTS = new Map([['http', 80], ['https', 443], ['ftp', 21]]);

/**
 * For a proxy, the server a request went to is the event's destination:
 * `destination.domain` or `destination.ip` from `url.domain`, and the
 * port (the scheme's default when the URL has none).
 */
export function setProxyDestination(event: MamoriEvent): void {
  const domain = event['url.domain'];
  if (typeof domain === 'string') {
    const bare = domain.charCodeAt(0) === OPEN_BRACKET ? domain.slice(1, -1) : domain;
    if (isIp(bare)) {
      if (event['destination.ip'] === undefined) event['destination.ip'] = bare;
    } else {
      event['destination.domain'] = domain;
    }
  }
  const port = event['url.port'] ?? DEFAULT_PORTS.get(event['url.scheme'] as string);
  if (port !== undefined && event['destination.port'] === undefined) event['destination.port'] = port;
}

/**
 * Reads the syslog header in front of lines a server or proxy sends over
 * syslog (`<PRI>` first; a bare file line never starts with `<`) and
 * returns the payload. The sender is `observer.hostname` for a proxy (a
 * device reporting) and `host.name` for a web server (the host the event is
 * about, its syslog tag the server's process).
 */
export function stripSyslog(event: MamoriEvent, line: string, ctx: ParseContext, sender: 'observer' | 'host'): string {
  if (line.charCodeAt(0) !== 60) return line;
  const envelope = readSyslogEnvelope(line, ctx);
  if (!envelope) return line;
  if (sender === 'observer') {
    applyDeviceEnvelope(event, envelope);
  } else {
    const header = envelope.header;
    for (const key in header) {
      if (key === '@timestamp' || key === 'host.name' || key === 'process.name' || key === 'process.pid' || key.startsWith('log.syslog.')) {
        event[key] = header[key];
      }
    }
  }
  return envelope.body;
}

/** Nanoseconds (ECS `event.duration`) from a count of `unitNs`-long units written as text; undefined when not a number. */
export function durationNs(text: string, unitNs: number): number | undefined {
  const whole = parseUint(text, Number.MAX_SAFE_INTEGER);
  if (whole !== undefined) return whole * unitNs;
  const dot = text.indexOf('.');
  if (dot <= 0) return undefined;
  const int = parseUint(text.slice(0, dot), Number.MAX_SAFE_INTEGER);
  const frac = parseUint(text.slice(dot + 1), Number.MAX_SAFE_INTEGER);
  if (int === undefined || frac === undefined) return undefined;
  return Math.round(Number(text) * unitNs);
}
