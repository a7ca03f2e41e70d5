import type { MamoriEvent } from '../core/event.js';
import { hostEvent, readHostLine, sniffTag, wrongProgram } from './host-log.js';
import { readKv } from './kv.js';
import { ENDPOINT_FIELDS, parseDecimal, setSmtpReply, setTlsVersion, type ReplyFields } from './mail-fields.js';
import { fieldTable, setMapped, type FieldTable } from './mapping.js';
import { isIp, parsePort } from './net.js';
import type { ParseContext, Parser } from './parser.js';
import { parseUint } from './syslog.js';

const PREFIX = 'postfix.';
const REPLY_FIELDS: ReplyFields = { code: 'postfix.reply_code', dsn: 'postfix.dsn' };

/** Pair keys with a plain ECS home; every other key goes to `postfix.<key>`. */
const PAIRS: FieldTable = fieldTable([
  ['from', 'email.from.address', 'string'],
  ['to', 'email.to.address', 'string'],
  ['message-id', 'email.message_id', 'string'],
  ['sasl_username', 'user.name', 'string'],
  ['uid', 'user.id', 'string'],
  ['size', 'postfix.size', 'uint'],
  ['nrcpt', 'postfix.nrcpt', 'uint'],
  ['conn_use', 'postfix.conn_use', 'uint'],
]);

/** Delivery and queue `status=` words → event.outcome. */
const STATUS_OUTCOME = new Map([
  ['sent', 'success'],
  ['deliverable', 'success'],
  ['deferred', 'failure'],
  ['bounced', 'failure'],
  ['expired', 'failure'],
  ['undeliverable', 'failure'],
]);

/** Access-table, header/body-check and milter actions logged as `<action>: <stage> from <client>: ...`. */
const ACTION_TYPE = new Map([
  ['reject', 'denied'],
  ['milter-reject', 'denied'],
  ['discard', 'denied'],
  ['milter-discard', 'denied'],
  ['reject_warning', 'info'],
  ['warning', 'info'],
  ['info', 'info'],
  ['hold', 'info'],
  ['milter-hold', 'info'],
  ['filter', 'info'],
  ['redirect', 'info'],
  ['replace', 'info'],
]);

const LEVELS = ['warning', 'error', 'fatal', 'panic'];

/** postscreen verdicts: text prefix → event.action, event.type. */
const POSTSCREEN: ReadonlyArray<readonly [string, string, string]> = [
  ['PASS NEW ', 'pass_new', 'allowed'],
  ['PASS OLD ', 'pass_old', 'allowed'],
  ['DNSBL rank ', 'dnsbl', 'info'],
  ['HANGUP after ', 'hangup', 'end'],
  ['DISCONNECT ', 'disconnect', 'end'],
  ['PREGREET ', 'pregreet', 'info'],
  ['WHITELISTED ', 'allowlisted', 'allowed'],
  ['ALLOWLISTED ', 'allowlisted', 'allowed'],
  ['BLACKLISTED ', 'denylisted', 'denied'],
  ['DENYLISTED ', 'denylisted', 'denied'],
  ['WHITELIST VETO ', 'allowlist_veto', 'info'],
  ['ALLOWLIST VETO ', 'allowlist_veto', 'info'],
  ['COMMAND PIPELINING ', 'command_pipelining', 'info'],
  ['NON-SMTP COMMAND ', 'non_smtp_command', 'info'],
  ['BARE NEWLINE ', 'bare_newline', 'info'],
  ['COMMAND TIME LIMIT ', 'command_time_limit', 'info'],
  ['COMMAND COUNT LIMIT ', 'command_count_limit', 'info'],
  ['COMMAND LENGTH LIMIT ', 'command_length_limit', 'info'],
];

/** smtpd session ends: text prefix → event.action. */
const SESSION_ENDS: ReadonlyArray<readonly [string, string]> = [
  ['lost connection after ', 'lost_connection'],
  ['timeout after ', 'timeout'],
  ['too many errors after ', 'too_many_errors'],
];

function classify(event: MamoriEvent, category: string[], type: string[], action: string | undefined): void {
  event['event.category'] = category;
  event['event.type'] = type;
  if (action !== undefined) event['event.action'] = action;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

interface Endpoint {
  /** The name part; absent when Postfix logs `unknown` or nothing. */
  host: string | undefined;
  /** The bracketed address as written (checked by the caller). */
  address: string;
  port: number | undefined;
  end: number;
}

/** Reads `host[addr]`, `host[addr]:port` or `[addr]:port` at `i`; undefined when there is no bracket before a blank. */
function readEndpoint(text: string, i: number): Endpoint | undefined {
  let open = i;
  while (open < text.length && text.charCodeAt(open) !== 91) {
    if (isBlank(text.charCodeAt(open))) return undefined;
    open++;
  }
  const close = text.indexOf(']', open + 1);
  if (open >= text.length || close < 0) return undefined;
  let address = text.slice(open + 1, close);
  if (address.startsWith('IPv6:') || address.startsWith('ipv6:')) address = address.slice(5);
  let end = close + 1;
  let port: number | undefined;
  if (text.charCodeAt(end) === 58) {
    let k = end + 1;
    while (k < text.length && k - end <= 5 && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
    port = parsePort(text.slice(end + 1, k));
    if (port !== undefined) end = k;
  }
  const host = open > i && !text.startsWith('unknown[', i) ? text.slice(i, open) : undefined;
  return { host, address, port, end };
}

/** The endpoint of the first `[` at or after `from` (postscreen writes `[addr]:port` after varying words). */
function findEndpoint(text: string, from: number): Endpoint | undefined {
  const open = text.indexOf('[', from);
  if (open < 0) return undefined;
  let start = open;
  while (start > from && !isBlank(text.charCodeAt(start - 1))) start--;
  return readEndpoint(text, start);
}

/** Copies an endpoint to `source.*` or `destination.*`; an address that is no IP goes to `postfix.<rawKey>`. */
function setEndpoint(event: MamoriEvent, side: 'source' | 'destination', endpoint: Endpoint, rawKey: string): void {
  const fields = ENDPOINT_FIELDS[side];
  if (endpoint.host !== undefined) event[fields.domain] = endpoint.host;
  if (isIp(endpoint.address)) event[fields.ip] = endpoint.address;
  else event[PREFIX + rawKey] = endpoint.address;
  if (endpoint.port !== undefined) event[fields.port] = endpoint.port;
}

/** Whether a Postfix `key=value` key can start at `i` (letters, digits, `_`, `-`). */
function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

interface Pairs {
  /** Index where reading stopped: the line's end, or a `:` after a value (header/body check lines). */
  end: number;
  /** The trailing `(...)` comment: the remote reply of a delivery, `queue active`, ... */
  detail: string | undefined;
}

/**
 * Reads Postfix's `key=value` lists (`, ` separated in qmgr/smtp/postscreen,
 * blank separated in smtpd's `from=<> to=<> proto= helo=<>`). A value in
 * `<...>` ends at a `>` followed by a separator, so addresses may hold
 * blanks; a `(` starts the comment that runs to the last `)` of the line;
 * words without `=` (`returned to sender`) are skipped.
 */
function readPairs(text: string, start: number, visit: (key: string, value: string) => void): Pairs {
  const n = text.length;
  let i = start;
  while (i < n) {
    let c = text.charCodeAt(i);
    while (i < n && (c === 32 || c === 44 || c === 9)) c = text.charCodeAt(++i);
    if (i >= n) break;
    if (c === 40) {
      const close = text.lastIndexOf(')');
      return { end: n, detail: text.slice(i + 1, close > i ? close : n) };
    }
    if (c === 58) return { end: i, detail: undefined };
    const keyStart = i;
    while (i < n && isKeyChar(text.charCodeAt(i))) i++;
    if (i === keyStart || text.charCodeAt(i) !== 61) {
      while (i < n && !isBlank(text.charCodeAt(i)) && text.charCodeAt(i) !== 44) i++;
      continue;
    }
    const key = text.slice(keyStart, i);
    i++;
    let value: string;
    if (text.charCodeAt(i) === 60) {
      let close = text.indexOf('>', i + 1);
      while (close >= 0 && close + 1 < n) {
        const after = text.charCodeAt(close + 1);
        if (after === 32 || after === 44 || after === 58) break;
        close = text.indexOf('>', close + 1);
      }
      if (close < 0) close = n;
      value = text.slice(i + 1, close);
      i = close + 1;
    } else {
      const valueStart = i;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 32 || d === 44 || d === 9) break;
        i++;
      }
      value = text.slice(valueStart, i);
    }
    visit(key, value);
  }
  return { end: n, detail: undefined };
}

/** Puts one pair of a queue or session record into its field. */
function setPair(event: MamoriEvent, key: string, value: string, ctx: ParseContext): void {
  if (value.length === 0) return;
  if (key === 'client' || key === 'relay') {
    const endpoint = readEndpoint(value, 0);
    if (endpoint !== undefined && endpoint.end === value.length) setEndpoint(event, key === 'client' ? 'source' : 'destination', endpoint, key);
    else event[PREFIX + key] = value;
  } else if (key === 'delay') {
    const delay = parseDecimal(value);
    event['postfix.delay'] = delay ?? value;
  } else if (key === 'status') {
    event['postfix.status'] = value;
    const outcome = STATUS_OUTCOME.get(value);
    if (outcome !== undefined) event['event.outcome'] = outcome;
  } else {
    setMapped(event, PAIRS, PREFIX, key, value, ctx);
  }
}

/** End of a queue id (`3F1C21A0B2C`, long form `4Vd1xq3bQYz9sWM`) followed by `: ` at `i`, or -1. */
function queueIdEnd(text: string, i: number): number {
  let k = i;
  let upperOrDigit = false;
  while (k < text.length && k - i <= 20) {
    const c = text.charCodeAt(k);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90)) upperOrDigit = true;
    else if (c < 97 || c > 122) break;
    k++;
  }
  const length = k - i;
  if (length < 5 || length > 20 || !upperOrDigit || text.charCodeAt(k) !== 58 || text.charCodeAt(k + 1) !== 32) return -1;
  // Warnings and statistics are lower-case words; NOQUEUE is the absence of an id.
  return length === 7 && text.startsWith('NOQUEUE', i) ? -1 : k;
}

/** A lower-case word (`reject`, `milter-reject`) followed by `: ` at `i`: its end, or -1. */
function actionEnd(text: string, i: number): number {
  let k = i;
  while (k < text.length && k - i < 16) {
    const c = text.charCodeAt(k);
    if ((c < 97 || c > 122) && c !== 45 && c !== 95) break;
    k++;
  }
  return k > i && text.charCodeAt(k) === 58 && text.charCodeAt(k + 1) === 32 ? k : -1;
}

/**
 * `<action>: RCPT from host[ip]: 554 5.7.1 <x>: text; from=<a> to=<b> proto=ESMTP helo=<h>`
 * and the header/body-check form
 * `<action>: header Subject: text from host[ip]; from=<a> to=<b> proto=ESMTP helo=<h>: 5.7.1 text`.
 */
function readAction(event: MamoriEvent, body: string, i: number, action: string, ctx: ParseContext): void {
  classify(event, ['email', 'network'], [ACTION_TYPE.get(action) ?? 'info'], action.replace('-', '_'));
  if (ACTION_TYPE.get(action) === 'denied') event['event.outcome'] = 'failure';
  let stageEnd = i;
  while (stageEnd < body.length && !isBlank(body.charCodeAt(stageEnd))) stageEnd++;
  const stage = body.slice(i, stageEnd);
  if (stage.length === 0) return;
  event['postfix.stage'] = stage;
  let pairsAt = body.lastIndexOf('; from=<');
  if (pairsAt < stageEnd) pairsAt = body.lastIndexOf('; proto=');
  const contentCheck = stage === 'header' || stage === 'body';
  const clientLimit = pairsAt > stageEnd ? pairsAt : body.length;
  const fromAt = contentCheck ? body.lastIndexOf(' from ', clientLimit) : body.indexOf(' from ', stageEnd);
  let replyStart = -1;
  if (fromAt >= stageEnd && fromAt < clientLimit) {
    if (contentCheck) event['postfix.content'] = body.slice(stageEnd + 1, fromAt);
    const client = readEndpoint(body, fromAt + 6);
    if (client !== undefined) {
      setEndpoint(event, 'source', client, 'client');
      if (!contentCheck && body.charCodeAt(client.end) === 58) replyStart = client.end + 2;
    }
  }
  let reply = replyStart > 0 && replyStart <= clientLimit ? body.slice(replyStart, clientLimit) : '';
  if (pairsAt > stageEnd) {
    const pairs = readPairs(body, pairsAt + 2, (key, value) => setPair(event, key, value, ctx));
    if (contentCheck && pairs.end < body.length) reply = body.slice(pairs.end + 2);
  }
  setSmtpReply(event, REPLY_FIELDS, reply);
}

/** Lines carrying a queue id: queue records, delivery results, rejects, bounces. */
function readQueueRecord(event: MamoriEvent, body: string, i: number, process: string, ctx: ParseContext): void {
  const actionAt = actionEnd(body, i);
  const action = actionAt > 0 ? body.slice(i, actionAt) : '';
  if (ACTION_TYPE.has(action)) {
    readAction(event, body, actionAt + 2, action, ctx);
    return;
  }
  if (body.startsWith('removed', i) && body.length === i + 7) {
    classify(event, ['email'], ['info'], 'removed');
    return;
  }
  const notice = body.indexOf(' notification: ', i);
  if (notice > i && notice - i < 40 && !body.includes('=', i)) {
    classify(event, ['email'], ['info'], body.lastIndexOf('non-delivery', notice) >= i ? 'non_delivery_notification' : 'delivery_status_notification');
    event['postfix.notification_queue_id'] = body.slice(notice + ' notification: '.length);
    return;
  }
  const pairs = readPairs(body, i, (key, value) => setPair(event, key, value, ctx));
  if (pairs.detail !== undefined) event['postfix.detail'] = pairs.detail;
  const status = event['postfix.status'];
  if (status !== undefined) {
    classify(event, ['email'], ['info'], event['email.to.address'] !== undefined ? 'delivery' : String(status));
    if (event['event.outcome'] === 'failure' && pairs.detail !== undefined) event['event.reason'] = pairs.detail;
  } else if (event['postfix.client'] !== undefined || event['source.ip'] !== undefined) {
    const authenticated = event['user.name'] !== undefined;
    classify(event, authenticated ? ['email', 'authentication'] : ['email'], ['info'], 'receive');
    if (authenticated) event['event.outcome'] = 'success';
  } else if (event['email.message_id'] !== undefined) {
    classify(event, ['email'], ['info'], 'cleanup');
  } else if (process === 'pickup' && event['user.id'] !== undefined) {
    classify(event, ['email'], ['info'], 'pickup');
  } else if (event['email.from.address'] !== undefined || event['postfix.nrcpt'] !== undefined) {
    classify(event, ['email'], ['info'], pairs.detail === 'queue active' ? 'queue_active' : 'queued');
  } else {
    classify(event, ['email'], ['info'], undefined);
  }
}

/** `host[ip]: SASL LOGIN authentication failed: reason[, sasl_username=u]`. */
function readSaslFailure(event: MamoriEvent, body: string, client: Endpoint): boolean {
  const saslAt = client.end + 2;
  if (body.charCodeAt(client.end) !== 58 || !body.startsWith('SASL ', saslAt)) return false;
  const failedAt = body.indexOf(' authentication failed', saslAt);
  if (failedAt < 0) return false;
  classify(event, ['email', 'authentication'], ['start'], 'sasl_login');
  event['event.outcome'] = 'failure';
  setEndpoint(event, 'source', client, 'client');
  event['postfix.sasl_method'] = body.slice(saslAt + 5, failedAt);
  let reason = body.slice(Math.min(body.length, failedAt + ' authentication failed: '.length));
  const userAt = reason.lastIndexOf(', sasl_username=');
  if (userAt >= 0) {
    const user = reason.slice(userAt + ', sasl_username='.length);
    if (user.length > 0) event['user.name'] = user;
    reason = reason.slice(0, userAt);
  }
  if (reason.length > 0) event['event.reason'] = reason;
  return true;
}

/** `hostname X does not resolve to address Y[: reason]` (forward-confirmed reverse DNS failed). */
function readUnresolved(event: MamoriEvent, body: string, i: number): void {
  classify(event, ['email', 'network'], ['info'], 'hostname_does_not_resolve');
  const nameEnd = body.indexOf(' does not resolve to address ', i + 9);
  if (nameEnd < 0) return;
  event['source.domain'] = body.slice(i + 9, nameEnd);
  const ipStart = nameEnd + ' does not resolve to address '.length;
  // `: ` and not `:` ends the address, which may be IPv6.
  const reasonAt = body.indexOf(': ', ipStart);
  const ip = body.slice(ipStart, reasonAt < 0 ? body.length : reasonAt);
  if (isIp(ip)) event['source.ip'] = ip;
  if (reasonAt > 0) event['event.reason'] = body.slice(reasonAt + 2);
}

/** `Anonymous TLS connection established from host[ip]: TLSv1.3 with cipher X (256/256 bits)`. */
function readTls(event: MamoriEvent, body: string, i: number, marker: number): void {
  classify(event, ['email', 'network'], ['protocol'], 'tls_established');
  event['postfix.tls.trust'] = body.slice(i, marker);
  const directionAt = marker + ' TLS connection established '.length;
  const inbound = body.startsWith('from ', directionAt);
  const endpoint = readEndpoint(body, directionAt + (inbound ? 5 : 3));
  if (endpoint === undefined) return;
  setEndpoint(event, inbound ? 'source' : 'destination', endpoint, inbound ? 'client' : 'relay');
  if (body.charCodeAt(endpoint.end) !== 58) return;
  const versionStart = endpoint.end + 2;
  const versionEnd = body.indexOf(' with cipher ', versionStart);
  if (versionEnd < 0) return;
  setTlsVersion(event, body.slice(versionStart, versionEnd));
  const cipherStart = versionEnd + ' with cipher '.length;
  let cipherEnd = cipherStart;
  while (cipherEnd < body.length && !isBlank(body.charCodeAt(cipherEnd))) cipherEnd++;
  if (cipherEnd > cipherStart) event['tls.cipher'] = body.slice(cipherStart, cipherEnd);
}

/** `statistics: max connection rate 1/60s for (smtp:203.0.113.5) at May  1 10:00:00`. */
function readStatistics(event: MamoriEvent, body: string, i: number): void {
  classify(event, ['email'], ['info'], 'statistics');
  const open = body.indexOf(' for (', i);
  if (open < 0) return;
  const colon = body.indexOf(':', open);
  const close = body.indexOf(')', open);
  if (colon < 0 || close < colon) return;
  event['postfix.service'] = body.slice(open + 6, colon);
  const ip = body.slice(colon + 1, close);
  if (isIp(ip)) event['source.ip'] = ip;
}

function readPostscreen(event: MamoriEvent, body: string, i: number): boolean {
  if (body.startsWith('CONNECT from ', i)) {
    classify(event, ['email', 'network'], ['connection', 'start'], 'connect');
    const client = readEndpoint(body, i + 13);
    if (client === undefined) return true;
    setEndpoint(event, 'source', client, 'client');
    if (body.startsWith(' to ', client.end)) {
      const server = readEndpoint(body, client.end + 4);
      if (server !== undefined) setEndpoint(event, 'destination', server, 'server');
    }
    return true;
  }
  for (const [prefix, action, type] of POSTSCREEN) {
    if (!body.startsWith(prefix, i)) continue;
    classify(event, ['email', 'network'], type === 'end' ? ['connection', 'end'] : [type], action);
    const client = findEndpoint(body, i + prefix.length);
    if (client !== undefined) setEndpoint(event, 'source', client, 'client');
    if (action === 'dnsbl') {
      const rankStart = i + prefix.length;
      const rankEnd = body.indexOf(' ', rankStart);
      const rank = parseUint(body.slice(rankStart, rankEnd < 0 ? body.length : rankEnd), 1_000_000);
      if (rank !== undefined) event['postfix.dnsbl_rank'] = rank;
    }
    return true;
  }
  return false;
}

/** `disconnect from host[ip] ehlo=1 auth=0/1 quit=1 commands=2/3` (Postfix 3 command counts). */
function readDisconnect(event: MamoriEvent, body: string, i: number): void {
  classify(event, ['email', 'network'], ['connection', 'end'], 'disconnect');
  const client = readEndpoint(body, i);
  if (client === undefined) return;
  setEndpoint(event, 'source', client, 'client');
  readKv(body, client.end, {
    pair: (key, value) => {
      // `commands=` is the total of the counts before it.
      event['postfix.commands.' + (key === 'commands' ? 'total' : key)] = value;
    },
  });
}

function readMaster(event: MamoriEvent, body: string, i: number): boolean {
  let action: string;
  let type: string;
  if (body.startsWith('daemon started', i)) [action, type] = ['daemon_started', 'start'];
  else if (body.startsWith('reload', i)) [action, type] = ['daemon_reload', 'change'];
  else if (body.startsWith('terminating on signal', i)) [action, type] = ['daemon_stopped', 'end'];
  else return false;
  classify(event, ['process'], [type], action);
  const versionAt = body.indexOf('-- version ', i);
  if (versionAt >= 0) {
    const start = versionAt + '-- version '.length;
    const end = body.indexOf(',', start);
    event['postfix.version'] = body.slice(start, end < 0 ? body.length : end);
  }
  return true;
}

/** Lines without a queue id: sessions, postscreen, warnings, TLS, daemons. */
function readSessionRecord(event: MamoriEvent, body: string, i: number, warning: boolean): void {
  if (body.startsWith('connect from ', i)) {
    classify(event, ['email', 'network'], ['connection', 'start'], 'connect');
    const client = readEndpoint(body, i + 13);
    if (client !== undefined) setEndpoint(event, 'source', client, 'client');
    return;
  }
  if (body.startsWith('disconnect from ', i)) {
    readDisconnect(event, body, i + 16);
    return;
  }
  for (const [prefix, action] of SESSION_ENDS) {
    if (!body.startsWith(prefix, i)) continue;
    classify(event, ['email', 'network'], ['connection', 'end'], action);
    const stageStart = i + prefix.length;
    const fromAt = body.indexOf(' from ', stageStart);
    if (fromAt < 0) return;
    event['postfix.stage'] = body.slice(stageStart, fromAt);
    const client = readEndpoint(body, fromAt + 6);
    if (client !== undefined) setEndpoint(event, 'source', client, 'client');
    return;
  }
  if (readPostscreen(event, body, i)) return;
  if (warning && body.startsWith('hostname ', i)) {
    readUnresolved(event, body, i);
    return;
  }
  if (warning) {
    const client = readEndpoint(body, i);
    if (client !== undefined && readSaslFailure(event, body, client)) return;
  }
  const tlsAt = body.indexOf(' TLS connection established ', i);
  if (tlsAt > i && tlsAt - i <= 12) {
    readTls(event, body, i, tlsAt);
    return;
  }
  if (body.startsWith('statistics: ', i)) {
    readStatistics(event, body, i);
    return;
  }
  if (readMaster(event, body, i)) return;
  classify(event, ['email'], ['info'], undefined);
}

function readBody(event: MamoriEvent, body: string, process: string, ctx: ParseContext): void {
  let i = 0;
  let warning = false;
  for (const level of LEVELS) {
    if (body.startsWith(level, 0) && body.charCodeAt(level.length) === 58 && body.charCodeAt(level.length + 1) === 32) {
      event['log.level'] = level;
      warning = true;
      i = level.length + 2;
      break;
    }
  }
  const idEnd = queueIdEnd(body, i);
  if (idEnd > 0) {
    const id = body.slice(i, idEnd);
    event['postfix.queue_id'] = id;
    event['transaction.id'] = id;
    readQueueRecord(event, body, idEnd + 2, process, ctx);
    return;
  }
  if (body.startsWith('NOQUEUE: ', i)) {
    readQueueRecord(event, body, i + 9, process, ctx);
    return;
  }
  readSessionRecord(event, body, i, warning);
}

/** `postfix/smtpd`, `postfix/submission/smtpd`, `postfix-out/smtp` (multi-instance syslog_name). */
function isPostfixTag(tag: string): boolean {
  return tag.startsWith('postfix') && tag.lastIndexOf('/') > 6 && tag.charCodeAt(tag.length - 1) !== 47;
}

export const postfix: Parser = {
  name: 'postfix',
  description: 'Postfix mail server logs (smtpd, cleanup, qmgr, smtp/lmtp/local delivery, postscreen, ...) from syslog or /var/log/maillog',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const host = readHostLine(line, ctx, 'postfix');
    if (!isPostfixTag(host.program)) throw wrongProgram('postfix', host.program);
    const process = host.program.slice(host.program.lastIndexOf('/') + 1);
    const event = hostEvent('postfix', `postfix.${process}`, host, process);
    event['log.syslog.appname'] = host.program;
    if (host.repeated !== undefined) event['postfix.repeated'] = host.repeated;
    readBody(event, host.body, process, ctx);
    return event;
  },
  sniff(line: string): boolean {
    return sniffTag(line, (text, start, end) => {
      const slash = text.indexOf('/', start);
      return text.startsWith('postfix', start) && slash > start && slash < end - 1;
    });
  },
};
