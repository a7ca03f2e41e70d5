import type { MamoriEvent } from '../core/event.js';
import { applyDeviceEnvelope, readSyslogEnvelope } from './envelope.js';
import { transportName } from './mapping.js';
import { isIp, isIpv6, parsePort } from './net.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { parseUint } from './syslog.js';
import { isoFromMs, isValidMs, localToUtc, zoneOffset } from './time.js';

/**
 * Snort 2 and 3 alert text: `alert_fast` lines (with or without the `-y`
 * year), `alert_syslog` messages, and the lines of the multi-line
 * `alert_full` format, each read on its own because they arrive one by one.
 */

const STARS = '[**]';
/** Lines dated further ahead than this are from the previous year (December alerts read in January). */
const FUTURE_TOLERANCE = 7 * 24 * 3600 * 1000;
const BLANKS = /\s+/;
const MAX_TAG = 48;

interface Time {
  ms: number;
  end: number;
}

function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function wallClock(year: number, month: number, day: number, clockMs: number, zone: string | undefined): number {
  const local = Date.UTC(year, month - 1, day) + clockMs;
  const check = new Date(local);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return NaN;
  return localToUtc(local, zone);
}

/**
 * `MM/DD-hh:mm:ss[.ffffff]` or, with `snort -y`, `MM/DD/YY-hh:mm:ss[.ffffff]`,
 * in the sensor's zone. Without a year: the receive year, one less when
 * that would date the alert more than a week ahead.
 */
export function readSnortTime(s: string, ctx: ParseContext): Time | undefined {
  const month = digits(s, 0, 2);
  const day = digits(s, 3, 2);
  if (month < 1 || month > 12 || day < 1 || s.charCodeAt(2) !== 47) return undefined;
  let p = 5;
  let year = -1;
  if (s.charCodeAt(p) === 47) {
    year = digits(s, p + 1, 2);
    if (year < 0) return undefined;
    year += 2000;
    p += 3;
  }
  if (s.charCodeAt(p) !== 45) return undefined;
  const h = digits(s, p + 1, 2);
  const m = digits(s, p + 4, 2);
  const sec = digits(s, p + 7, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60 || s.charCodeAt(p + 3) !== 58 || s.charCodeAt(p + 6) !== 58) return undefined;
  let end = p + 9;
  let frac = 0;
  if (s.charCodeAt(end) === 46) {
    let scale = 100;
    end++;
    for (let d = s.charCodeAt(end) - 48; d >= 0 && d <= 9; d = s.charCodeAt(end) - 48) {
      frac += d * scale;
      scale /= 10;
      end++;
    }
  }
  const clock = ((h * 60 + m) * 60 + Math.min(sec, 59)) * 1000 + Math.floor(frac);
  let ms: number;
  if (year >= 0) {
    ms = wallClock(year, month, day, clock, ctx.timezone);
  } else {
    const received = ctx.received;
    const thisYear = new Date(received + zoneOffset(ctx.timezone, received)).getUTCFullYear();
    ms = wallClock(thisYear, month, day, clock, ctx.timezone);
    if (!(ms - received <= FUTURE_TOLERANCE)) ms = wallClock(thisYear - 1, month, day, clock, ctx.timezone);
  }
  return isValidMs(ms) ? { ms, end } : undefined;
}

/** `ip:port`, `[ipv6]:port`, or a bare address (ICMP); undefined when it is neither. */
function readEndpoint(text: string): { ip: string; port?: number } | undefined {
  if (text.charCodeAt(0) === 91) {
    const close = text.indexOf(']');
    const ip = text.slice(1, close);
    if (close < 0 || !isIpv6(ip)) return undefined;
    if (close === text.length - 1) return { ip };
    const port = text.charCodeAt(close + 1) === 58 ? parsePort(text.slice(close + 2)) : undefined;
    return port === undefined ? undefined : { ip, port };
  }
  if (isIp(text)) return { ip: text };
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const ip = text.slice(0, colon);
  const port = parsePort(text.slice(colon + 1));
  return port !== undefined && isIp(ip) ? { ip, port } : undefined;
}

/** `a:p -> b:p` into source/destination; false when the text is not that. */
function readFlow(event: MamoriEvent, text: string): boolean {
  const arrow = text.indexOf(' -> ');
  if (arrow < 0) return false;
  const src = readEndpoint(text.slice(0, arrow).trim());
  const dst = readEndpoint(text.slice(arrow + 4).trim());
  if (!src || !dst) return false;
  event['source.ip'] = src.ip;
  if (src.port !== undefined) event['source.port'] = src.port;
  event['destination.ip'] = dst.ip;
  if (dst.port !== undefined) event['destination.port'] = dst.port;
  return true;
}

function baseEvent(dataset: string, kind: string): MamoriEvent {
  return {
    '@timestamp': undefined,
    'event.kind': kind,
    'event.module': 'snort',
    'event.dataset': `snort.${dataset}`,
    'event.category': kind === 'alert' ? ['network', 'intrusion_detection'] : ['network'],
    'event.type': ['info'],
    'observer.vendor': 'Cisco',
    'observer.product': 'Snort',
    'observer.type': 'ids',
  };
}

/** A bracket group the alert formats put after the message; false for one that is part of the message. */
function readGroup(event: MamoriEvent, group: string): boolean {
  if (group === '**') return true;
  if (group.startsWith('Classification: ')) {
    const category = group.slice(16).trim();
    if (category.length > 0) event['rule.category'] = category;
    return true;
  }
  if (group.startsWith('Priority: ')) {
    const priority = parseUint(group.slice(10).trim(), 1000);
    if (priority !== undefined) event['event.severity'] = priority;
    return priority !== undefined;
  }
  if (group.startsWith('AppID: ')) {
    const app = group.slice(7).trim();
    if (app.length > 0) event['network.protocol'] = app.toLowerCase();
    return true;
  }
  return false;
}

/**
 * The alert proper: `[gid:sid:rev] msg [**] [Classification: c] [Priority: p]
 * [AppID: a] {PROTO} src -> dst`. The tail after `{PROTO}` and the groups
 * are read from the end, so a message may itself contain brackets.
 */
function readAlert(event: MamoriEvent, text: string): void {
  let p = 0;
  if (text.startsWith(STARS)) p = 4;
  while (text.charCodeAt(p) === 32) p++;
  const close = text.indexOf(']', p);
  if (text.charCodeAt(p) !== 91 || close < 0 || close - p > 40) throw new ParseError('not a Snort alert: no [gid:sid:rev]');
  const ids = text.slice(p + 1, close).split(':');
  const gid = parseUint(ids[0], Number.MAX_SAFE_INTEGER);
  const sid = parseUint(ids[1] ?? '', Number.MAX_SAFE_INTEGER);
  const rev = parseUint(ids[2] ?? '', Number.MAX_SAFE_INTEGER);
  if (ids.length !== 3 || gid === undefined || sid === undefined || rev === undefined) {
    throw new ParseError(`not a Snort alert: invalid rule id "${text.slice(p + 1, close).slice(0, 40)}"`);
  }
  event['rule.id'] = String(sid);
  event['snort.gid'] = gid;
  event['snort.rev'] = rev;

  let end = text.length;
  const brace = text.lastIndexOf(' {');
  if (brace > close) {
    const shut = text.indexOf('} ', brace);
    if (shut > brace && shut - brace < 20 && readFlow(event, text.slice(shut + 2))) {
      event['network.transport'] = transportName(text.slice(brace + 2, shut));
      end = brace;
    }
  }
  let middle = text.slice(close + 1, end).trim();
  // alert_syslog: `[Priority: 2]: <eth0> {TCP} ...`
  if (middle.endsWith('>')) {
    const open = middle.lastIndexOf('<');
    if (open >= 0) {
      const iface = middle.slice(open + 1, -1);
      if (iface.length > 0) event['observer.ingress.interface.name'] = iface;
      middle = middle.slice(0, open).trim();
    }
  }
  if (middle.endsWith(':')) middle = middle.slice(0, -1).trimEnd();
  while (middle.endsWith(']')) {
    const open = middle.lastIndexOf('[');
    if (open < 0 || !readGroup(event, middle.slice(open + 1, -1))) break;
    middle = middle.slice(0, open).trimEnd();
  }
  if (middle.length > 1 && middle.charCodeAt(0) === 34 && middle.charCodeAt(middle.length - 1) === 34) middle = middle.slice(1, -1);
  if (middle.length > 0) {
    event['rule.name'] = middle;
    event.message = middle;
  }
}

/** `TTL:64 TOS:0x0 ID:1 IpLen:20 DgmLen:52 DF` or `Seq: 0x1  Ack: 0x2 ...`: keys lower-cased under `snort.<layer>.`, bare words as flags. */
function readDetails(event: MamoriEvent, layer: string, text: string): void {
  const prefix = `snort.${layer}.`;
  const flags: string[] = [];
  const tokens = text.split(BLANKS);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.length === 0) continue;
    const colon = token.indexOf(':');
    if (colon <= 0) {
      flags.push(token);
      continue;
    }
    let value = token.slice(colon + 1);
    if (value.length === 0 && i + 1 < tokens.length) value = tokens[++i];
    const n = parseUint(value, Number.MAX_SAFE_INTEGER);
    event[prefix + token.slice(0, colon).toLowerCase()] = n ?? value;
  }
  if (flags.length > 0) event[prefix + 'flags'] = flags;
}

function isUpperWord(s: string, end: number): boolean {
  if (end < 2 || end > 8) return false;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

/** The continuation lines of `alert_full`, each an event of its own in dataset snort.full. */
function readFullLine(line: string, ctx: ParseContext): MamoriEvent | undefined {
  const event = baseEvent('full', 'event');
  if (line.startsWith('[Classification: ') || line.startsWith('[Priority: ')) {
    let rest = line.trim();
    while (rest.endsWith(']')) {
      const open = rest.lastIndexOf('[');
      if (open < 0 || !readGroup(event, rest.slice(open + 1, -1))) throw new ParseError('not a Snort classification line');
      rest = rest.slice(0, open).trimEnd();
    }
    if (rest.length > 0) throw new ParseError('not a Snort classification line');
    return event;
  }
  if (line.startsWith('[Xref => ')) {
    const refs: string[] = [];
    for (const part of line.split('[Xref => ')) {
      const close = part.lastIndexOf(']');
      if (close > 0) refs.push(part.slice(0, close).trim());
    }
    event['rule.reference'] = refs;
    return event;
  }
  const time = readSnortTime(line, ctx);
  if (time) {
    if (!readFlow(event, line.slice(time.end).trim())) throw new ParseError('Snort packet line without "src -> dst"');
    event['@timestamp'] = isoFromMs(time.ms);
    return event;
  }
  const space = line.indexOf(' ');
  const word = space < 0 ? line : line.slice(0, space);
  if (isUpperWord(line, space) && line.startsWith(' TTL:', space)) {
    event['network.transport'] = transportName(word);
    readDetails(event, 'ip', line.slice(space + 1));
    return event;
  }
  if (word.length === 8 && word.startsWith('**') && word.endsWith('**') && line.startsWith(' Seq: ', space)) {
    readDetails(event, 'tcp', line.slice(space + 1));
    event['snort.tcp.flags'] = word;
    return event;
  }
  if (line.startsWith('Len: ')) {
    readDetails(event, 'udp', line);
    return event;
  }
  if (line.startsWith('Type:')) {
    readDetails(event, 'icmp', line);
    return event;
  }
  return undefined;
}

/** The message after a bare `snort[pid]: ` tag (syslog forwarded without its header), else undefined. */
function afterTag(text: string): string | undefined {
  const colon = text.indexOf(': [');
  if (colon <= 0 || colon > MAX_TAG) return undefined;
  for (let i = 0; i < colon; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46 || c === 91 || c === 93;
    if (!ok) return undefined;
  }
  return text.slice(colon + 2);
}

export const snort: Parser = {
  name: 'snort',
  description: 'Snort 2/3 alert text: alert_fast (with or without year), alert_syslog, and alert_full lines',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const text = line.trim();
    if (text.startsWith(STARS)) {
      // alert_full's first line: the alert without time or addresses.
      const event = baseEvent('alert', 'alert');
      readAlert(event, text);
      event['@timestamp'] = isoFromMs(ctx.received);
      return event;
    }
    const time = readSnortTime(text, ctx);
    if (time) {
      const rest = text.slice(time.end).trimStart();
      if (rest.startsWith(STARS)) {
        const event = baseEvent('alert', 'alert');
        readAlert(event, rest);
        event['@timestamp'] = isoFromMs(time.ms);
        return event;
      }
    }
    const full = readFullLine(text, ctx);
    if (full) {
      if (full['@timestamp'] === undefined) full['@timestamp'] = isoFromMs(ctx.received);
      return full;
    }
    const event = baseEvent('alert', 'alert');
    const envelope = readSyslogEnvelope(text, ctx);
    let body: string | undefined;
    if (envelope !== undefined) {
      applyDeviceEnvelope(event, envelope);
      body = envelope.body.trimStart();
    } else {
      body = afterTag(text);
    }
    if (body === undefined || body.charCodeAt(0) !== 91) throw new ParseError('not a Snort alert line');
    readAlert(event, body);
    if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
    return event;
  },
  sniff(line: string): boolean {
    return line.indexOf('[**] [') >= 0 || line.indexOf('] [Priority: ') > 0;
  },
};
