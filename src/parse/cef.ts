import type { MamoriEvent } from '../core/event.js';
import { payloadEvent } from './envelope.js';
import { fieldTable, setMapped, type FieldTable } from './mapping.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { parseUint } from './syslog.js';
import { isoFromMs } from './time.js';

/** [key spellings (short and full both appear in the wild), ECS field, kind]. */
const EXTENSIONS: FieldTable = fieldTable([
  [['src', 'sourceAddress'], 'source.ip', 'ip'],
  [['dst', 'destinationAddress'], 'destination.ip', 'ip'],
  [['spt', 'sourcePort'], 'source.port', 'port'],
  [['dpt', 'destinationPort'], 'destination.port', 'port'],
  [['proto', 'transportProtocol'], 'network.transport', 'transport'],
  [['app', 'applicationProtocol'], 'network.protocol', 'lower'],
  [['suser', 'sourceUserName'], 'source.user.name', 'string'],
  [['duser', 'destinationUserName'], 'destination.user.name', 'string'],
  [['suid', 'sourceUserId'], 'source.user.id', 'string'],
  [['duid', 'destinationUserId'], 'destination.user.id', 'string'],
  [['shost', 'sourceHostName'], 'source.domain', 'string'],
  [['dhost', 'destinationHostName'], 'destination.domain', 'string'],
  [['smac', 'sourceMacAddress'], 'source.mac', 'string'],
  [['dmac', 'destinationMacAddress'], 'destination.mac', 'string'],
  ['sourceTranslatedAddress', 'source.nat.ip', 'ip'],
  ['sourceTranslatedPort', 'source.nat.port', 'port'],
  ['destinationTranslatedAddress', 'destination.nat.ip', 'ip'],
  ['destinationTranslatedPort', 'destination.nat.port', 'port'],
  [['request', 'requestUrl'], 'url.full', 'string'],
  ['requestMethod', 'http.request.method', 'string'],
  ['requestClientApplication', 'user_agent.original', 'string'],
  ['requestContext', 'http.request.referrer', 'string'],
  [['act', 'deviceAction'], 'event.action', 'string'],
  [['outcome', 'eventOutcome'], 'event.outcome', 'outcome'],
  ['reason', 'event.reason', 'string'],
  [['in', 'bytesIn'], 'source.bytes', 'uint'],
  [['out', 'bytesOut'], 'destination.bytes', 'uint'],
  [['rt', 'receiptTime'], '@timestamp', 'time'],
  [['start', 'startTime'], 'event.start', 'time'],
  [['end', 'endTime'], 'event.end', 'time'],
  [['msg', 'message'], 'message', 'string'],
  [['fname', 'fileName'], 'file.name', 'string'],
  ['filePath', 'file.path', 'string'],
  [['fsize', 'fileSize'], 'file.size', 'uint'],
  ['fileHash', 'file.hash', 'hash'],
  ['deviceExternalId', 'observer.name', 'string'],
  [['dvchost', 'deviceHostName'], 'observer.hostname', 'string'],
  [['dvc', 'deviceAddress'], 'observer.ip', 'ip'],
  [['dvcmac', 'deviceMacAddress'], 'observer.mac', 'string'],
  ['deviceInboundInterface', 'observer.ingress.interface.name', 'string'],
  ['deviceOutboundInterface', 'observer.egress.interface.name', 'string'],
  ['deviceDirection', 'network.direction', 'direction'],
  [['dproc', 'destinationProcessName'], 'process.name', 'string'],
  [['dpid', 'destinationProcessId'], 'process.pid', 'uint'],
  ['deviceProcessName', 'process.name', 'string'],
]);

const UNMAPPED_PREFIX = 'cef.extensions.';
const TEXT_SEVERITY = new Map([['low', 3], ['medium', 6], ['high', 8], ['very-high', 10]]);
const BACKSLASH = 92;
const PIPE = 124;
const EQUALS = 61;
const SPACE = 32;

/**
 * Index of the `CEF:` that opens a CEF payload (at the start, or after a
 * space or the `>` of a PRI), searching the first `limit` characters; -1 if none.
 */
export function findCef(line: string, limit = line.length): number {
  let at = line.indexOf('CEF:');
  while (at >= 0 && at < limit) {
    const before = at === 0 ? SPACE : line.charCodeAt(at - 1);
    if (before === SPACE || before === 62 || before === 9) return at;
    at = line.indexOf('CEF:', at + 4);
  }
  return -1;
}

/** Undoes header escapes (`\|`, `\\`); other backslashes stay. */
function unescapeHeader(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (c === BACKSLASH && (next === PIPE || next === BACKSLASH)) {
      out += s[i + 1];
      i++;
    } else {
      out += s[i];
    }
  }
  return out;
}

/** Undoes extension escapes (`\=`, `\\`, `\n`, `\r`); other backslashes stay. */
function unescapeValue(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  let chunk = 0;
  for (let i = 0; i < s.length - 1; i++) {
    if (s.charCodeAt(i) !== BACKSLASH) continue;
    const next = s.charCodeAt(i + 1);
    const replacement = next === EQUALS ? '=' : next === BACKSLASH ? '\\' : next === 110 ? '\n' : next === 114 ? '\r' : null;
    if (replacement === null) continue;
    out += s.slice(chunk, i) + replacement;
    chunk = i + 2;
    i++;
  }
  return out + s.slice(chunk);
}

/** Characters an extension key is made of (letters, digits, `_`, `.`, `-`), by char code below 128. */
const KEY_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  KEY_CHAR[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 ? 1 : 0;
}

function isKeyChar(c: number): boolean {
  return c < 128 && KEY_CHAR[c] === 1;
}

/**
 * Splits the extension into key/value pairs in one forward pass. Values may
 * contain spaces, so a value ends only where a space is followed by `key=`;
 * an `=` not preceded by ` key` (as in a URL query) belongs to the value.
 */
function readExtension(ext: string, event: MamoriEvent, ctx: ParseContext): void {
  const n = ext.length;
  let key = '';
  let valueStart = -1;
  /** Start of the current space-delimited token, and whether it is all key characters so far. */
  let tokenStart = 0;
  let tokenIsKey = true;
  for (let i = 0; i < n; i++) {
    const c = ext.charCodeAt(i);
    if (c === SPACE) {
      tokenStart = i + 1;
      tokenIsKey = true;
    } else if (c === EQUALS && tokenIsKey && i > tokenStart) {
      if (valueStart >= 0) setMapped(event, EXTENSIONS, UNMAPPED_PREFIX, key, valueOf(ext, valueStart, tokenStart - 1), ctx);
      key = ext.slice(tokenStart, i);
      valueStart = i + 1;
      tokenIsKey = false;
    } else if (c === BACKSLASH) {
      i++;
      tokenIsKey = false;
    } else if (tokenIsKey && !isKeyChar(c)) {
      tokenIsKey = false;
    }
  }
  if (valueStart >= 0) setMapped(event, EXTENSIONS, UNMAPPED_PREFIX, key, valueOf(ext, valueStart, n), ctx);
}

/** The value between `start` and `end`, trailing whitespace dropped, escapes undone. */
function valueOf(ext: string, start: number, end: number): string {
  while (end > start && ext.charCodeAt(end - 1) <= SPACE) end--;
  return unescapeValue(ext.slice(start, end));
}

function severity(text: string): number | undefined {
  return parseUint(text, 10) ?? TEXT_SEVERITY.get(text.toLowerCase());
}

/** A syslog header in front of `CEF:` is never longer than this. */
const CEF_SEARCH_LIMIT = 512;

export const cef: Parser = {
  name: 'cef',
  description: 'ArcSight Common Event Format (CEF), with or without a syslog header',
  sniff: (line) => findCef(line, CEF_SEARCH_LIMIT) >= 0,
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const at = findCef(line);
    if (at < 0) throw new ParseError('no "CEF:" header');
    const event = payloadEvent('cef', line, at, ctx);

    const header: string[] = [];
    let start = at + 4;
    for (let i = start; i < line.length && header.length < 7; i++) {
      const c = line.charCodeAt(i);
      if (c === BACKSLASH) i++;
      else if (c === PIPE) {
        header.push(line.slice(start, i));
        start = i + 1;
      }
    }
    let ext = '';
    if (header.length === 7) ext = line.slice(start);
    // A missing final `|` before an empty extension is common enough to accept.
    else if (header.length === 6) header.push(line.slice(start));
    else throw new ParseError(`incomplete CEF header: ${header.length} of 7 "|" separators`);
    const version = parseUint(header[0], 99);
    if (version === undefined) throw new ParseError(`invalid CEF version "${header[0].slice(0, 20)}"`);

    event['cef.version'] = version;
    event['observer.vendor'] = unescapeHeader(header[1]);
    event['observer.product'] = unescapeHeader(header[2]);
    event['observer.version'] = unescapeHeader(header[3]);
    const signature = unescapeHeader(header[4]);
    event['rule.id'] = signature;
    event['event.code'] = signature;
    const name = unescapeHeader(header[5]);
    event['rule.name'] = name;
    event.message = name;
    const sev = severity(header[6].trim());
    if (sev !== undefined) event['event.severity'] = sev;

    readExtension(ext, event, ctx);
    const user = event['source.user.name'] ?? event['destination.user.name'];
    if (user !== undefined) event['user.name'] = user;
    if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
    return event;
  },
};
