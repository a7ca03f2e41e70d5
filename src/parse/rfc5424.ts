import type { MamoriEvent } from '../core/event.js';
import { flattenInto, DROPPED_FIELDS, type FlattenState } from './flatten.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { parseUint, readPri, setPri, syslogEvent } from './syslog.js';
import { isoFromMs, readIso } from './time.js';

const SD_PREFIX = 'log.syslog.structured_data.';
const CEE_COOKIE = '@cee:';
const NILVALUE = 45; // '-'
const SP = 32;

/** End of the space-terminated header field at `i`; throws when it is empty or unterminated. */
function fieldEnd(line: string, i: number, name: string): number {
  const end = line.indexOf(' ', i);
  if (end <= i) throw new ParseError(end === i ? `empty ${name}` : `missing ${name}`);
  return end;
}

/** A header field's value, undefined for the NILVALUE `-`. */
function fieldValue(line: string, start: number, end: number): string | undefined {
  return end === start + 1 && line.charCodeAt(start) === NILVALUE ? undefined : line.slice(start, end);
}

/** Adds an SD-PARAM; a name repeated inside one element (RFC 5424 allows it) becomes an array. */
function addParam(event: MamoriEvent, field: string, value: string): void {
  const prev = event[field];
  if (prev === undefined) event[field] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else event[field] = [prev as string, value];
}

/**
 * Reads a PARAM-VALUE after its opening quote; `\"`, `\\` and `\]` are
 * unescaped, any other backslash is kept (RFC 5424 §6.3.3).
 */
function readParamValue(line: string, i: number): { value: string; end: number } {
  const n = line.length;
  let chunkStart = i;
  let value = '';
  for (let k = i; k < n; k++) {
    const c = line.charCodeAt(k);
    if (c === 34) return { value: value + line.slice(chunkStart, k), end: k + 1 };
    if (c === 92) {
      const e = line.charCodeAt(k + 1);
      if (e === 34 || e === 92 || e === 93) {
        value += line.slice(chunkStart, k);
        chunkStart = k + 1;
        k++;
      }
    }
  }
  throw new ParseError('unterminated SD-PARAM value');
}

/** Reads STRUCTURED-DATA (one or more `[id name="value" ...]`) at `i`; returns the index after it. */
function readStructuredData(event: MamoriEvent, line: string, i: number): number {
  while (line.charCodeAt(i) === 91) {
    let k = i + 1;
    while (k < line.length) {
      const c = line.charCodeAt(k);
      if (c === SP || c === 93 || c === 61 || c === 34) break;
      k++;
    }
    if (k === i + 1) throw new ParseError('empty SD-ID');
    const prefix = SD_PREFIX + line.slice(i + 1, k) + '.';
    while (line.charCodeAt(k) === SP) {
      const nameStart = k + 1;
      const eq = line.indexOf('=', nameStart);
      if (eq <= nameStart) throw new ParseError('missing SD-PARAM name');
      const name = line.slice(nameStart, eq);
      if (name.includes(' ') || name.includes(']') || name.includes('"')) throw new ParseError('invalid SD-PARAM name');
      if (line.charCodeAt(eq + 1) !== 34) throw new ParseError('SD-PARAM value must be quoted');
      const param = readParamValue(line, eq + 2);
      addParam(event, prefix + name, param.value);
      k = param.end;
    }
    if (line.charCodeAt(k) !== 93) throw new ParseError('unterminated SD-ELEMENT');
    i = k + 1;
  }
  return i;
}

/**
 * Parses the RFC 5424 header and structured data into `event`; returns
 * where MSG starts (the line's length when there is none). Exported for
 * parsers that meet an RFC 5424 header in front of their own payload.
 */
export function parseRfc5424Header(event: MamoriEvent, line: string, ctx: ParseContext): number {
  const pri = readPri(line, 0);
  if (!pri) throw new ParseError('missing PRI');
  setPri(event, pri.value);
  let i = pri.end;
  const versionEnd = line.indexOf(' ', i);
  const version = versionEnd > i && versionEnd - i <= 3 ? parseUint(line.slice(i, versionEnd), 999) : undefined;
  if (!version) throw new ParseError('missing VERSION after PRI');
  event['log.syslog.version'] = version;
  i = versionEnd + 1;

  if (line.charCodeAt(i) === NILVALUE && line.charCodeAt(i + 1) === SP) {
    event['@timestamp'] = isoFromMs(ctx.received);
    i += 2;
  } else {
    const time = readIso(line, i, ctx.timezone);
    if (!time || line.charCodeAt(time.end) !== SP) throw new ParseError('invalid TIMESTAMP');
    event['@timestamp'] = isoFromMs(time.ms);
    i = time.end + 1;
  }

  let end = fieldEnd(line, i, 'HOSTNAME');
  const host = fieldValue(line, i, end);
  if (host !== undefined) event['host.name'] = host;
  i = end + 1;

  end = fieldEnd(line, i, 'APP-NAME');
  const app = fieldValue(line, i, end);
  if (app !== undefined) {
    event['log.syslog.appname'] = app;
    event['process.name'] = app;
    event['event.provider'] = app;
  }
  i = end + 1;

  end = fieldEnd(line, i, 'PROCID');
  const procid = fieldValue(line, i, end);
  if (procid !== undefined) {
    event['log.syslog.procid'] = procid;
    const pid = parseUint(procid, Number.MAX_SAFE_INTEGER);
    if (pid !== undefined) event['process.pid'] = pid;
  }
  i = end + 1;

  end = fieldEnd(line, i, 'MSGID');
  const msgid = fieldValue(line, i, end);
  if (msgid !== undefined) event['log.syslog.msgid'] = msgid;
  i = end + 1;

  const sd = line.charCodeAt(i);
  if (sd === NILVALUE) i++;
  else if (sd === 91) i = readStructuredData(event, line, i);
  else throw new ParseError('missing STRUCTURED-DATA');
  if (i >= line.length) return line.length;
  if (line.charCodeAt(i) !== SP) throw new ParseError('missing space after STRUCTURED-DATA');
  return i + 1;
}

type Json = { [key: string]: unknown };

/**
 * CEE members that have an obvious ECS home. The shape is the Windows
 * event log one written by NXLog / Snare-style forwarders (`@cee:` JSON).
 */
function mapCee(event: MamoriEvent, cee: Json): void {
  const str = (key: string): string | undefined => {
    const v = cee[key];
    return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
  };
  const id = str('id');
  if (id !== undefined) event['event.code'] = id;
  const msg = str('msg');
  if (msg !== undefined) event.message = msg;
  const source = str('source');
  if (source !== undefined) event['host.name'] = source;
  const proc = str('sourceproc');
  if (proc !== undefined) event['event.provider'] = proc;
  const channel = str('nteventlogtype');
  if (channel !== undefined) event['winlog.channel'] = channel;
  const level = str('level');
  if (level !== undefined) event['log.level'] = level;
  const sid = str('user_sid');
  if (sid !== undefined) event['user.id'] = sid;
  const user = str('user');
  // "N\A" is how the forwarder says "no user".
  if (user !== undefined && user !== 'N\\A') {
    const slash = user.indexOf('\\');
    if (slash > 0) {
      event['user.domain'] = user.slice(0, slash);
      event['user.name'] = user.slice(slash + 1);
    } else {
      event['user.name'] = user;
    }
  }
}

/**
 * Decodes an `@cee:` JSON payload into `cee.*` plus mapped ECS fields.
 * A payload that is not a JSON object stays in `message` only: the syslog
 * part of the line is still valid.
 */
function decodeCee(event: MamoriEvent, text: string): void {
  let cee: unknown;
  try {
    cee = JSON.parse(text);
  } catch {
    return;
  }
  if (typeof cee !== 'object' || cee === null || Array.isArray(cee)) return;
  const state: FlattenState = { fields: 0, dropped: 0 };
  flattenInto(event, cee as Json, 'cee.', state);
  if (state.dropped > 0) event[DROPPED_FIELDS] = state.dropped;
  mapCee(event, cee as Json);
}

export const rfc5424: Parser = {
  name: 'rfc5424',
  description: 'IETF syslog (RFC 5424) with structured data, BOM and @cee: JSON payloads',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const event = syslogEvent('rfc5424');
    const start = parseRfc5424Header(event, line, ctx);
    if (start >= line.length) return event;
    let msg = line.slice(start);
    if (msg.charCodeAt(0) === 0xfeff) msg = msg.slice(1);
    event.message = msg;
    if (msg.startsWith(CEE_COOKIE)) decodeCee(event, msg.slice(CEE_COOKIE.length));
    return event;
  },
};
