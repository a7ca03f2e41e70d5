import type { MamoriEvent } from '../core/event.js';
import { FieldReader, durationNs, present, readClf, setClfFields, setProxyDestination, setStatus, setUrl, stripSyslog } from './access-log.js';
import { isIp } from './net.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { parseUint } from './syslog.js';
import { isoFromMs, parseEpochText } from './time.js';
import { setDomainUser } from './user-domain.js';

const NS_PER_MS = 1_000_000;
/** Fields of the native format: time elapsed client code/status bytes method URL user hierarchy/peer type. */
const NATIVE_FIELDS = 10;
/** Squid's reply size is headers plus body: ECS `http.response.bytes`, and what the server side sent. */
const REPLY_BYTES = ['http.response.bytes', 'destination.bytes'];

function squidEvent(): MamoriEvent {
  return {
    '@timestamp': undefined,
    'event.kind': 'event',
    'event.module': 'squid',
    'event.dataset': 'squid.access',
    'event.category': ['web', 'network'],
    'observer.vendor': 'Squid',
    'observer.product': 'Squid',
    'observer.type': 'proxy',
  };
}

/** `TCP_MISS` (`%Ss`): DENIED codes are the proxy refusing the request. */
function setResultCode(event: MamoriEvent, code: string): void {
  if (!present(code)) return;
  event['squid.result_code'] = code;
  event['event.action'] = code;
  if (code.includes('DENIED')) {
    event['event.type'] = ['access', 'denied'];
    event['event.outcome'] = 'failure';
  }
}

/** `HIER_DIRECT/93.184.216.34` (`%Sh/%<a`): how Squid reached the server, and which server or peer. */
function setHierarchy(event: MamoriEvent, code: string, peer: string | undefined): void {
  if (present(code)) event['squid.hierarchy_code'] = code;
  if (!present(peer)) return;
  if (isIp(peer)) event['destination.ip'] = peer;
  else event['squid.peer_host'] = peer;
}

/** `1714557600.123    345 10.0.0.5 TCP_MISS/200 1234 GET http://example.com/ - HIER_DIRECT/93.184.216.34 text/html` */
function parseNative(event: MamoriEvent, reader: FieldReader, ms: number): void {
  const fields: string[] = [];
  while (fields.length < NATIVE_FIELDS - 1) {
    const field = reader.next();
    if (field === undefined) break;
    fields.push(field);
  }
  if (fields.length < NATIVE_FIELDS - 1) throw new ParseError(`not a Squid access log line: ${fields.length + 1} of ${NATIVE_FIELDS} fields`);
  const [elapsed, client, result, bytes, method, url, user, hierarchy, type] = fields;
  event['@timestamp'] = isoFromMs(ms);
  const duration = durationNs(elapsed, NS_PER_MS);
  if (duration !== undefined) event['event.duration'] = duration;
  if (isIp(client)) event['source.ip'] = client;
  else if (present(client)) event['source.domain'] = client;

  const slash = result.indexOf('/');
  const status = slash >= 0 ? parseUint(result.slice(slash + 1), 999) : undefined;
  if (status === undefined) throw new ParseError(`not a Squid access log line: "${result.slice(0, 40)}" is not CODE/STATUS`);
  setStatus(event, status);
  setResultCode(event, result.slice(0, slash));

  const size = parseUint(bytes, Number.MAX_SAFE_INTEGER);
  if (size !== undefined) for (const field of REPLY_BYTES) event[field] = size;
  // `NONE` / `-` stand for "no request was read" (a client that hung up, a TLS error).
  if (present(method) && method !== 'NONE') event['http.request.method'] = method;
  setUrl(event, url, method === 'CONNECT');
  if (present(user)) setDomainUser(event, 'user.', user);
  const peerSlash = hierarchy.indexOf('/');
  if (peerSlash < 0) setHierarchy(event, hierarchy, undefined);
  else setHierarchy(event, hierarchy.slice(0, peerSlash), hierarchy.slice(peerSlash + 1));
  if (present(type)) event['http.response.mime_type'] = type;
  const extra = reader.rest();
  if (extra.length > 0) event['squid.extra'] = extra;
}

/** `common` / `combined` logformat: CLF followed by `%Ss:%Sh`. */
function parseClf(event: MamoriEvent, reader: FieldReader, ctx: ParseContext): void {
  const clf = readClf(reader, ctx);
  event['@timestamp'] = isoFromMs(clf.ms);
  setClfFields(event, clf, 'squid.', REPLY_BYTES);
  const codes = reader.next();
  if (codes !== undefined) {
    const colon = codes.indexOf(':');
    if (colon < 0) setResultCode(event, codes);
    else {
      setResultCode(event, codes.slice(0, colon));
      setHierarchy(event, codes.slice(colon + 1), undefined);
    }
  }
  const extra = reader.rest();
  if (extra.length > 0) event['squid.extra'] = extra;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `<9-10 digits>.<3 digits>` then blanks and the elapsed ms: how every native line starts. */
function startsNative(line: string): boolean {
  let i = 0;
  while (i < 10 && isDigit(line.charCodeAt(i))) i++;
  if (i < 9 || line.charCodeAt(i) !== 46) return false;
  if (!isDigit(line.charCodeAt(i + 1)) || !isDigit(line.charCodeAt(i + 2)) || !isDigit(line.charCodeAt(i + 3))) return false;
  i += 4;
  if (line.charCodeAt(i) !== 32) return false;
  while (line.charCodeAt(i) === 32) i++;
  return isDigit(line.charCodeAt(i));
}

export const squid: Parser = {
  name: 'squid',
  description: 'Squid proxy access.log: native format, and the common / combined logformats',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const event = squidEvent();
    const reader = new FieldReader(stripSyslog(event, line, ctx, 'observer'));
    const mark = reader.pos;
    const first = reader.next();
    if (first === undefined) throw new ParseError('empty line');
    const ms = parseEpochText(first);
    if (Number.isNaN(ms)) {
      reader.pos = mark;
      parseClf(event, reader, ctx);
    } else {
      parseNative(event, reader, ms);
    }
    // Status 000 means no reply: the proxy neither served nor refused a request (a client gone, a TLS error).
    if (event['event.type'] === undefined) event['event.type'] = event['http.response.status_code'] === undefined ? ['access'] : ['access', 'allowed'];
    setProxyDestination(event);
    return event;
  },
  sniff(line: string): boolean {
    return startsNative(line) || line.indexOf(':HIER_') > 0;
  },
};
