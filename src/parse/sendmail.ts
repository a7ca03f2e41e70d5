import type { MamoriEvent } from '../core/event.js';
import { hostEvent, readHostLine, sniffTag, spanIs, wrongProgram } from './host-log.js';
import { ENDPOINT_FIELDS, setSmtpReply, setTlsVersion, unbracket, type ReplyFields } from './mail-fields.js';
import { fieldTable, setMapped, type FieldTable } from './mapping.js';
import { isIp } from './net.js';
import type { ParseContext, Parser } from './parser.js';

const PREFIX = 'sendmail.';
const REPLY_FIELDS: ReplyFields = { code: 'sendmail.reply_code', dsn: 'sendmail.dsn' };

/** Pair keys with a plain home; every other key goes to `sendmail.<key>`. */
const PAIRS: FieldTable = fieldTable([
  ['msgid', 'email.message_id', 'string'],
  [['authid', 'user'], 'user.name', 'string'],
  ['cipher', 'tls.cipher', 'string'],
  ['ruleset', 'rule.name', 'string'],
  ['size', 'sendmail.size', 'uint'],
  ['nrcpts', 'sendmail.nrcpts', 'uint'],
  ['pri', 'sendmail.pri', 'uint'],
  ['mech', 'sendmail.auth.mech', 'string'],
  ['AUTH', 'sendmail.auth.mode', 'string'],
  ['STARTTLS', 'sendmail.tls.mode', 'string'],
  ['verify', 'sendmail.tls.verify', 'string'],
]);

function classify(event: MamoriEvent, category: string[], type: string[], action: string | undefined): void {
  event['event.category'] = category;
  event['event.type'] = type;
  if (action !== undefined) event['event.action'] = action;
}

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/** Whether a `key=` starts at `i`. */
function keyAt(text: string, i: number): boolean {
  let k = i;
  while (k < text.length && k - i < 32 && isKeyChar(text.charCodeAt(k))) k++;
  return k > i && text.charCodeAt(k) === 61;
}

/**
 * Index where sendmail's `key=value, key=value` list starts: 0 when the
 * text opens with a pair, else just after the first `, ` that precedes a
 * `key=` outside parentheses (`AUTH failure (LOGIN): reason, user=alice,
 * relay=...`); -1 when there is none.
 */
function pairsStart(text: string, from: number): number {
  if (keyAt(text, from)) return from;
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41 && depth > 0) depth--;
    else if (c === 44 && depth === 0 && text.charCodeAt(i + 1) === 32 && keyAt(text, i + 2)) return i + 2;
  }
  return -1;
}

/**
 * Reads the pairs from `start`. A value runs to the next `, key=` outside
 * parentheses, so it may hold blanks and commas (`relay=host [1.2.3.4]`,
 * `stat=Sent (Ok: queued as 123, id=4)`, `to=<a@x>,<b@y>`).
 */
function readPairs(text: string, start: number, visit: (key: string, value: string) => void): void {
  const n = text.length;
  let i = start;
  while (i < n) {
    const eq = text.indexOf('=', i);
    if (eq < 0) return;
    const key = text.slice(i, eq);
    let depth = 0;
    let end = n;
    let next = n;
    for (let k = eq + 1; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c === 40) depth++;
      else if (c === 41 && depth > 0) depth--;
      else if (c === 44 && depth === 0 && text.charCodeAt(k + 1) === 32 && keyAt(text, k + 2)) {
        end = k;
        next = k + 2;
        break;
      }
    }
    visit(key, text.slice(eq + 1, end));
    i = next;
  }
}

/** `host [1.2.3.4]`, `[1.2.3.4]`, `mx.example.net. [IPv6:2001:db8::1]`, `host [1.2.3.4] (may be forged)`. */
function setRelay(event: MamoriEvent, side: 'source' | 'destination', value: string): void {
  const open = value.indexOf('[');
  const close = open < 0 ? -1 : value.indexOf(']', open);
  if (close < 0) {
    event['sendmail.relay'] = value;
    return;
  }
  let address = value.slice(open + 1, close);
  if (address.startsWith('IPv6:')) address = address.slice(5);
  let host = value.slice(0, open).trim();
  const at = host.lastIndexOf('@');
  if (at >= 0) {
    event['sendmail.relay_user'] = host.slice(0, at);
    host = host.slice(at + 1);
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  const fields = ENDPOINT_FIELDS[side];
  if (host.length > 0) event[fields.domain] = host;
  if (isIp(address)) event[fields.ip] = address;
  else event['sendmail.relay'] = value;
  if (value.includes('(may be forged)', close)) event['sendmail.relay_may_be_forged'] = true;
}

/** `to=<a@x>,<b@y>` → one address, or an array of them. */
function setRecipients(event: MamoriEvent, value: string): void {
  const addresses = value
    .split(',')
    .map((a) => unbracket(a.trim()))
    .filter((a) => a.length > 0);
  if (addresses.length > 0) event['email.to.address'] = addresses.length === 1 ? addresses[0] : addresses;
}

/** `Sent (Ok: queued as 4F3C)`, `Deferred: Connection refused by x`, `User unknown` → status, the server's reply, an outcome. */
function setStat(event: MamoriEvent, value: string): void {
  let statusEnd = value.indexOf(' (');
  let responseStart = statusEnd + 2;
  const colon = value.indexOf(': ');
  if (colon >= 0 && (statusEnd < 0 || colon < statusEnd)) {
    statusEnd = colon;
    responseStart = colon + 2;
  }
  const status = statusEnd < 0 ? value : value.slice(0, statusEnd);
  event['sendmail.status'] = status;
  if (statusEnd >= 0) {
    const close = value.lastIndexOf(')');
    const wrapped = value.charCodeAt(statusEnd) === 32 && close > responseStart;
    event['sendmail.response'] = value.slice(responseStart, wrapped ? close : value.length);
  }
  // The DSN, when the line has one, already said; `queued` (MSP hand-off) is no outcome yet.
  if (event['event.outcome'] !== undefined || status === 'queued') return;
  event['event.outcome'] = status === 'Sent' ? 'success' : 'failure';
}

/** `<alice@example.com> (1000/1000)`: the controlling address and its uid/gid. */
function setCtladdr(event: MamoriEvent, value: string): void {
  const open = value.indexOf(' (');
  event['sendmail.ctladdr'] = unbracket(open < 0 ? value : value.slice(0, open));
  if (open >= 0 && value.endsWith(')')) event['sendmail.ctladdr_ids'] = value.slice(open + 2, -1);
}

function setPair(event: MamoriEvent, key: string, value: string, relaySide: 'source' | 'destination', ctx: ParseContext): void {
  if (value.length === 0) return;
  switch (key) {
    case 'from': {
      const address = unbracket(value);
      if (address.length > 0) event['email.from.address'] = address;
      return;
    }
    case 'to':
      setRecipients(event, value);
      return;
    case 'msgid':
      event['email.message_id'] = unbracket(value);
      return;
    case 'relay':
      setRelay(event, relaySide, value);
      return;
    case 'stat':
      setStat(event, value);
      return;
    case 'dsn':
      event['sendmail.dsn'] = value;
      event['event.outcome'] = value.charCodeAt(0) === 50 ? 'success' : 'failure';
      return;
    case 'reject':
      setSmtpReply(event, REPLY_FIELDS, value);
      return;
    case 'version':
      setTlsVersion(event, value);
      return;
    case 'ctladdr':
      setCtladdr(event, value);
      return;
    case 'arg1':
      event[PREFIX + key] = unbracket(value);
      return;
    default:
      setMapped(event, PAIRS, PREFIX, key, value, ctx);
  }
}

/** The event a record's pairs describe, from the keys it has. */
function classifyPairs(event: MamoriEvent, has: (key: string) => boolean, lead: string): void {
  if (lead.startsWith('AUTH failure')) {
    classify(event, ['email', 'authentication'], ['start'], 'auth_failure');
    event['event.outcome'] = 'failure';
    const close = lead.indexOf('): ');
    if (lead.startsWith('AUTH failure (') && close > 0) {
      event['sendmail.auth.mech'] = lead.slice('AUTH failure ('.length, close);
      event['event.reason'] = lead.slice(close + 3);
    }
  } else if (has('reject')) {
    classify(event, ['email', 'network'], ['denied'], 'reject');
    event['event.outcome'] = 'failure';
  } else if (has('ruleset')) {
    classify(event, ['email'], ['info'], 'ruleset');
  } else if (has('AUTH')) {
    classify(event, ['email', 'authentication'], ['start'], 'auth');
    event['event.outcome'] = 'success';
  } else if (has('STARTTLS')) {
    classify(event, ['email', 'network'], ['protocol'], 'starttls');
  } else if (has('to')) {
    classify(event, ['email'], ['info'], 'delivery');
    const response = event['sendmail.response'];
    if (event['event.outcome'] === 'failure' && response !== undefined) event['event.reason'] = response;
  } else if (has('from')) {
    classify(event, ['email'], ['info'], 'receive');
  } else {
    classify(event, ['email'], ['info'], undefined);
  }
}

function readRecordPairs(event: MamoriEvent, body: string, i: number, start: number, ctx: ParseContext): void {
  const keys = new Set<string>();
  const lead = body.slice(i, start > i ? start - 2 : i);
  // Relays of `to=` lines are the next hop; elsewhere the connecting client.
  const relaySide = body.startsWith('to=', start) ? 'destination' : 'source';
  readPairs(body, start, (key, value) => {
    keys.add(key);
    setPair(event, key, value, relaySide, ctx);
  });
  classifyPairs(event, (key) => keys.has(key), lead);
}

/** `lost input channel from host [ip] to MTA after rcpt`. */
function readLostInput(event: MamoriEvent, body: string, i: number): void {
  classify(event, ['email', 'network'], ['connection', 'end'], 'lost_input_channel');
  const toAt = body.lastIndexOf(' to ');
  if (toAt < i) return;
  setRelay(event, 'source', body.slice(i, toAt));
  const afterAt = body.indexOf(' after ', toAt);
  event['sendmail.daemon'] = body.slice(toAt + 4, afterAt < 0 ? body.length : afterAt);
  if (afterAt > 0) event['sendmail.stage'] = body.slice(afterAt + 7);
}

/** `host [ip] did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA`. */
function readNoTransaction(event: MamoriEvent, body: string, i: number, at: number): void {
  classify(event, ['email', 'network'], ['connection', 'end'], 'no_mail_transaction');
  setRelay(event, 'source', body.slice(i, at));
  const toAt = body.lastIndexOf(' connection to ');
  if (toAt > at) event['sendmail.daemon'] = body.slice(toAt + ' connection to '.length);
}

/** `<bob@example.com>... User unknown`. */
function readAddressStatus(event: MamoriEvent, body: string, i: number): boolean {
  const dots = body.indexOf('>... ', i);
  if (body.charCodeAt(i) !== 60 || dots < 0) return false;
  const address = body.slice(i + 1, dots);
  const text = body.slice(dots + 5);
  event['event.reason'] = text;
  if (text.startsWith('User unknown')) {
    classify(event, ['email'], ['denied'], 'user_unknown');
    event['event.outcome'] = 'failure';
    event['email.to.address'] = address;
  } else {
    classify(event, ['email'], ['info'], 'address_status');
    event['sendmail.address'] = address;
  }
  return true;
}

/** End of a queue id (`44UA0Xq1012345`) followed by `: ` at `i`, or -1. */
function queueIdEnd(text: string, i: number): number {
  let k = i;
  let digits = 0;
  while (k < text.length && k - i <= 20) {
    const c = text.charCodeAt(k);
    if (c >= 48 && c <= 57) digits++;
    else if ((c | 32) < 97 || (c | 32) > 122) break;
    k++;
  }
  // `SYSERR(root):` and `Milter:` are no ids: real ids mix letters and digits.
  return k - i >= 8 && k - i <= 20 && digits > 0 && text.charCodeAt(k) === 58 && text.charCodeAt(k + 1) === 32 ? k : -1;
}

function readBody(event: MamoriEvent, body: string, ctx: ParseContext): void {
  let i = 0;
  const idEnd = queueIdEnd(body, 0);
  if (idEnd > 0) {
    const id = body.slice(0, idEnd);
    event['sendmail.queue_id'] = id;
    event['transaction.id'] = id;
    i = idEnd + 2;
  } else if (body.startsWith('NOQUEUE: ')) {
    i = 9;
  }
  if (body.startsWith('SYSERR', i)) event['log.level'] = 'error';
  if (body.startsWith('lost input channel from ', i)) {
    readLostInput(event, body, i + 'lost input channel from '.length);
    return;
  }
  const didNot = body.indexOf(' did not issue ', i);
  if (didNot > i) {
    readNoTransaction(event, body, i, didNot);
    return;
  }
  if (readAddressStatus(event, body, i)) return;
  const start = pairsStart(body, i);
  if (start >= 0) {
    readRecordPairs(event, body, i, start, ctx);
    return;
  }
  classify(event, ['email'], ['info'], undefined);
}

/** `sendmail`, Debian's `sm-mta`, the MSP queue runner `sm-msp-queue`. */
function isSendmailTag(tag: string): boolean {
  return tag === 'sendmail' || tag.startsWith('sm-');
}

export const sendmail: Parser = {
  name: 'sendmail',
  description: 'Sendmail MTA logs (from=/to= records, rejects, AUTH, STARTTLS) from syslog or /var/log/maillog',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const host = readHostLine(line, ctx, 'sendmail');
    if (!isSendmailTag(host.program)) throw wrongProgram('sendmail', host.program);
    const dataset = host.program === 'sm-msp-queue' ? 'sendmail.msp' : 'sendmail.mta';
    const event = hostEvent('sendmail', dataset, host, host.program);
    if (host.repeated !== undefined) event['sendmail.repeated'] = host.repeated;
    readBody(event, host.body, ctx);
    return event;
  },
  sniff(line: string): boolean {
    return sniffTag(line, (text, start, end) => spanIs(text, start, end, 'sendmail') || spanIs(text, start, end, 'sm-mta') || spanIs(text, start, end, 'sm-msp-queue'));
  },
};
