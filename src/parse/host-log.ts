/**
 * Shared by the host log parsers (postfix, sendmail, linux-auth): lines a
 * host's syslog daemon wrote, either sent as syslog (RFC 3164 with or
 * without PRI, rsyslog ISO times, RFC 5424) or read from /var/log/maillog,
 * auth.log or secure by the agent. Unlike network devices, the syslog host
 * is the host the event is about (`host.name`) and the tag is the program
 * that logged it (`process.name` / `process.pid`).
 */
import type { MamoriEvent } from '../core/event.js';
import { readSyslogEnvelope } from './envelope.js';
import { ParseError, type ParseContext } from './parser.js';
import { parseUint, readPri } from './syslog.js';

export interface HostLine {
  /** The syslog tag (RFC 3164) or APP-NAME (RFC 5424), e.g. `postfix/smtpd`, `sshd`. */
  program: string;
  /** The program's own text, with rsyslog's "message repeated N times: [ ... ]" unwrapped. */
  body: string;
  /** N of "message repeated N times", else undefined. */
  repeated: number | undefined;
  header: MamoriEvent;
}

/** rsyslog's reduction of identical consecutive lines. */
const REPEATED = 'message repeated ';

/**
 * Reads the syslog header of a host log line. Throws a ParseError naming
 * `format` when the line has no header or no program tag, so a user who
 * picked the wrong parser sees why.
 */
export function readHostLine(line: string, ctx: ParseContext, format: string): HostLine {
  const envelope = readSyslogEnvelope(line, ctx);
  if (envelope === undefined) throw new ParseError(`not a ${format} line: no syslog header`);
  const program = envelope.header['process.name'];
  if (typeof program !== 'string' || program.length === 0) throw new ParseError(`not a ${format} line: no program tag`);
  let body = envelope.body;
  let repeated: number | undefined;
  if (body.startsWith(REPEATED)) {
    const unwrapped = unwrapRepeated(body);
    if (unwrapped !== undefined) {
      body = unwrapped.body;
      repeated = unwrapped.count;
    }
  }
  return { program, body, repeated, header: envelope.header };
}

/** rsyslog's `message repeated 3 times: [ text]` → 3 and `text`. */
function unwrapRepeated(body: string): { count: number; body: string } | undefined {
  const timesAt = body.indexOf(' times: [', REPEATED.length);
  if (timesAt < 0 || timesAt > REPEATED.length + 10) return undefined;
  const count = parseUint(body.slice(REPEATED.length, timesAt), Number.MAX_SAFE_INTEGER);
  if (count === undefined) return undefined;
  let start = timesAt + ' times: ['.length;
  if (body.charCodeAt(start) === 32) start++;
  const end = body.charCodeAt(body.length - 1) === 93 ? body.length - 1 : body.length;
  return { count, body: body.slice(start, end) };
}

export function wrongProgram(format: string, program: string): ParseError {
  return new ParseError(`not a ${format} line: program is "${program.slice(0, 64)}"`);
}

/**
 * The event every host log parser starts from: time, `log.syslog.*` (PRI,
 * RFC 5424 fields), the sending host as `host.name`, and the program as
 * `process.name` / `process.pid`.
 */
export function hostEvent(module: string, dataset: string, host: HostLine, processName: string): MamoriEvent {
  const header = host.header;
  const event: MamoriEvent = {
    '@timestamp': header['@timestamp'],
    'event.kind': 'event',
    'event.module': module,
    'event.dataset': dataset,
  };
  for (const key in header) if (key.startsWith('log.syslog.')) event[key] = header[key];
  if (header['host.name'] !== undefined) event['host.name'] = header['host.name'];
  event['process.name'] = processName;
  if (header['process.pid'] !== undefined) event['process.pid'] = header['process.pid'];
  event.message = host.body;
  return event;
}

/** Characters scanned for a tag by `sniffTag`: a syslog header is never longer. */
const SNIFF_LIMIT = 256;

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** The last line whose tag was looked for, and where its tag is (-1: none): `auto` asks several host-log sniffers about the same line in a row. */
let lastLine: string | undefined;
let lastStart = -1;
let lastEnd = -1;

/**
 * Where the program tag of a syslog line is, without allocating: RFC 3164,
 * the first token that ends in `:` or holds `[` (time, host and ISO stamps
 * never do), up to the `[pid]`; RFC 5424, the APP-NAME field.
 */
function findTag(line: string): void {
  lastLine = line;
  lastStart = -1;
  const limit = Math.min(line.length, SNIFF_LIMIT);
  const pri = readPri(line, 0);
  let i = pri ? pri.end : 0;
  let fieldsToSkip = -1;
  const v = line.charCodeAt(i);
  // RFC 5424: VERSION, TIMESTAMP and HOSTNAME come before APP-NAME.
  if (pri && v >= 49 && v <= 57 && line.charCodeAt(i + 1) === 32) fieldsToSkip = 3;
  while (i < limit) {
    while (i < limit && isBlank(line.charCodeAt(i))) i++;
    const start = i;
    let bracket = -1;
    while (i < limit && !isBlank(line.charCodeAt(i))) {
      if (bracket < 0 && line.charCodeAt(i) === 91) bracket = i;
      i++;
    }
    if (i === start) return;
    if (fieldsToSkip > 0) {
      fieldsToSkip--;
      continue;
    }
    const end = fieldsToSkip === 0 ? i : bracket > start ? bracket : line.charCodeAt(i - 1) === 58 && i - 1 > start ? i - 1 : -1;
    if (end >= 0) {
      lastStart = start;
      lastEnd = end;
      return;
    }
    if (fieldsToSkip === 0) return;
  }
}

/** For `sniff`: asks `accept` about the program tag of a syslog line (`line`, start, end of the name without `[pid]`). */
export function sniffTag(line: string, accept: (line: string, start: number, end: number) => boolean): boolean {
  if (line !== lastLine) findTag(line);
  return lastStart >= 0 && accept(line, lastStart, lastEnd);
}

/** True when `line[start, end)` equals `word`. */
export function spanIs(line: string, start: number, end: number, word: string): boolean {
  return end - start === word.length && line.startsWith(word, start);
}
