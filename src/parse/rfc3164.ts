import type { MamoriEvent } from '../core/event.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { parseUint, readPri, setPri, syslogEvent } from './syslog.js';
import { isoFromMs, readBsd, readIso } from './time.js';

/** Longer "tags" are almost always the first words of a message that has none. */
const MAX_TAG = 64;

function skipSpaces(line: string, i: number): number {
  let c = line.charCodeAt(i);
  while (c === 32 || c === 9) c = line.charCodeAt(++i);
  return i;
}

function tokenEnd(line: string, i: number): number {
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) break;
    i++;
  }
  return i;
}

/** A first token with `[` or a final `:` is the tag of a line that carries no host name. */
function looksLikeTag(line: string, start: number, end: number): boolean {
  if (line.charCodeAt(end - 1) === 58) return true;
  for (let k = start; k < end; k++) if (line.charCodeAt(k) === 91) return true;
  return false;
}

/**
 * Reads `tag[pid]:` or `tag:` at `i` into process.name / event.provider /
 * process.pid. Returns where the message starts (`i` when there is no tag).
 */
function readTag(event: MamoriEvent, line: string, i: number): number {
  const limit = Math.min(line.length, i + MAX_TAG + 1);
  for (let k = i; k < limit; k++) {
    const c = line.charCodeAt(k);
    if (c === 58) {
      if (k === i) return i;
      const tag = line.slice(i, k);
      event['process.name'] = tag;
      event['event.provider'] = tag;
      return skipSpaces(line, k + 1);
    }
    if (c === 91) {
      const close = line.indexOf(']', k + 1);
      if (k === i || close < 0 || close - k > 24) return i;
      const tag = line.slice(i, k);
      event['process.name'] = tag;
      event['event.provider'] = tag;
      const pid = parseUint(line.slice(k + 1, close), Number.MAX_SAFE_INTEGER);
      if (pid !== undefined) event['process.pid'] = pid;
      const after = line.charCodeAt(close + 1) === 58 ? close + 2 : close + 1;
      return skipSpaces(line, after);
    }
    if (c === 32 || c === 9) return i;
  }
  return i;
}

/**
 * Parses a BSD syslog line into `event`: optional `<PRI>`, a BSD or ISO
 * timestamp, optional host, optional `tag[pid]:`, message. A line with a
 * PRI but no timestamp keeps everything after the PRI as its message
 * (RFC 3164 §4.3.3). Exported for parsers that meet a syslog header in
 * front of their own payload.
 */
export function parseBsdInto(event: MamoriEvent, line: string, ctx: ParseContext): void {
  let i = 0;
  const pri = readPri(line, 0);
  if (pri) {
    setPri(event, pri.value);
    i = pri.end;
  }
  // Cisco marks times from an unsynchronised clock with '*' or '.'.
  const mark = line.charCodeAt(i);
  if (mark === 42 || mark === 46) i++;
  const first = line.charCodeAt(i);
  const time = first >= 48 && first <= 57 ? readIso(line, i, ctx.timezone) : readBsd(line, i, ctx.received, ctx.timezone);
  if (!time) {
    if (!pri) throw new ParseError('no PRI and no timestamp');
    event['@timestamp'] = isoFromMs(ctx.received);
    event.message = line.slice(pri.end);
    return;
  }
  event['@timestamp'] = isoFromMs(time.ms);
  i = time.end;
  if (line.charCodeAt(i) === 58) i++;
  i = skipSpaces(line, i);
  const end = tokenEnd(line, i);
  if (end > i && !looksLikeTag(line, i, end)) {
    event['host.name'] = line.slice(i, end);
    i = skipSpaces(line, end);
  }
  i = readTag(event, line, i);
  event.message = line.slice(i);
}

export const rfc3164: Parser = {
  name: 'rfc3164',
  description: 'BSD syslog (RFC 3164): <PRI>Mmm dd hh:mm:ss host tag[pid]: message, also without PRI or with ISO timestamps',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const event = syslogEvent('rfc3164');
    parseBsdInto(event, line, ctx);
    return event;
  },
};
