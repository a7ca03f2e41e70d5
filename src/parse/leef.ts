/**
 * IBM QRadar Log Event Extended Format: `LEEF:1.0|Vendor|Product|Version|EventID|`
 * followed by tab-separated `key=value` attributes, and LEEF 2.0 with an
 * optional delimiter field (`LEEF:2.0|V|P|Ver|ID|^|...`, also as `x5E` or
 * `0x5E`), with or without a syslog header in front.
 */
import type { MamoriEvent } from '../core/event.js';
import { payloadEvent } from './envelope.js';
import { parseJavaDate } from './java-date-format.js';
import { readKv } from './kv.js';
import { fieldTable, outcomeOf, setMapped, type FieldTable } from './mapping.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { isoFromMs, isValidMs, parseVendorTime } from './time.js';

const UNMAPPED_PREFIX = 'leef.';
/** A syslog header in front of `LEEF:` is never longer than this. */
const HEADER_SEARCH_LIMIT = 1024;
const TAB = 9;
const BACKSLASH = 92;
const PIPE = 124;

/** The LEEF predefined attributes that have an ECS home; the others stay under `leef.`. */
const ATTRIBUTES: FieldTable = fieldTable([
  ['src', 'source.ip', 'ip'],
  ['dst', 'destination.ip', 'ip'],
  ['srcPort', 'source.port', 'port'],
  ['dstPort', 'destination.port', 'port'],
  ['srcPostNAT', 'source.nat.ip', 'ip'],
  ['dstPostNAT', 'destination.nat.ip', 'ip'],
  ['srcPostNATPort', 'source.nat.port', 'port'],
  ['dstPostNATPort', 'destination.nat.port', 'port'],
  ['srcMAC', 'source.mac', 'mac'],
  ['dstMAC', 'destination.mac', 'mac'],
  ['usrName', 'user.name', 'string'],
  ['groupID', 'group.id', 'string'],
  ['proto', 'network.transport', 'transport'],
  ['sev', 'event.severity', 'uint'],
  ['identSrc', 'host.ip', 'ip'],
  ['identHostName', 'host.name', 'string'],
  ['identMAC', 'host.mac', 'mac'],
  ['identGrpName', 'group.name', 'string'],
  ['url', 'url.full', 'string'],
  ['action', 'event.action', 'string'],
  ['srcBytes', 'source.bytes', 'uint'],
  ['dstBytes', 'destination.bytes', 'uint'],
  ['srcPackets', 'source.packets', 'uint'],
  ['dstPackets', 'destination.packets', 'uint'],
  ['totalPackets', 'network.packets', 'uint'],
  ['policy', 'rule.name', 'string'],
]);

/**
 * Index of the `LEEF:` that opens a LEEF payload (at the start, or after a
 * blank or the `>` of a PRI) within the first `limit` characters; -1 if none.
 */
export function findLeef(line: string, limit = line.length): number {
  let at = line.indexOf('LEEF:');
  while (at >= 0 && at < limit) {
    const before = at === 0 ? 32 : line.charCodeAt(at - 1);
    if (before === 32 || before === 62 || before === TAB) return at;
    at = line.indexOf('LEEF:', at + 5);
  }
  return -1;
}

/** Splits up to `count` `|`-terminated header fields from `start` (`\|` is an escaped pipe). */
function readHeader(line: string, start: number, count: number): { fields: string[]; end: number } {
  const fields: string[] = [];
  let fieldStart = start;
  let escaped = false;
  for (let i = start; i < line.length && fields.length < count; i++) {
    const c = line.charCodeAt(i);
    if (c === BACKSLASH) {
      escaped = true;
      i++;
    } else if (c === PIPE) {
      const raw = line.slice(fieldStart, i);
      fields.push(escaped ? raw.replaceAll('\\|', '|').replaceAll('\\\\', '\\') : raw);
      fieldStart = i + 1;
      escaped = false;
    }
  }
  return { fields, end: fieldStart };
}

/** A LEEF 2.0 delimiter field (`^`, `x5E`, `0x5E`) as a char code; undefined when the field is not one. */
function delimiterOf(field: string): number | undefined {
  if (field.length === 1) return field.charCodeAt(0);
  const hex = field.startsWith('0x') || field.startsWith('0X') ? field.slice(2) : field.startsWith('x') || field.startsWith('X') ? field.slice(1) : undefined;
  if (hex === undefined || hex.length === 0 || hex.length > 4) return undefined;
  let code = 0;
  for (let i = 0; i < hex.length; i++) {
    const d = parseInt(hex[i], 16);
    if (Number.isNaN(d)) return undefined;
    code = code * 16 + d;
  }
  return code > 0 ? code : undefined;
}

/** Windows sources write `DOMAIN\user` in usrName. */
function splitDomain(event: MamoriEvent, user: string): void {
  const slash = user.indexOf('\\');
  if (slash <= 0 || slash === user.length - 1) return;
  event['user.domain'] = user.slice(0, slash);
  event['user.name'] = user.slice(slash + 1);
}

export const leef: Parser = {
  name: 'leef',
  description: 'IBM QRadar LEEF 1.0 and 2.0 (custom delimiters), with or without a syslog header',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const at = findLeef(line);
    if (at < 0) throw new ParseError('no "LEEF:" header');
    const event = payloadEvent('leef', line, at, ctx);
    const versionEnd = line.indexOf('|', at + 5);
    const version = versionEnd < 0 ? '' : line.slice(at + 5, versionEnd);
    if (version !== '1.0' && version !== '2.0' && version !== '1' && version !== '2') {
      throw new ParseError(`unsupported LEEF version "${version.slice(0, 20)}"`);
    }
    const v2 = version.startsWith('2');
    const header = readHeader(line, versionEnd + 1, 4);
    if (header.fields.length < 4) throw new ParseError(`incomplete LEEF header: ${header.fields.length + 1} of 5 "|" separators`);
    let attributes = header.end;
    let separator: number | undefined = TAB;
    if (v2) {
      // The delimiter field is optional: a field with `=` in it is already the first attribute.
      const pipe = line.indexOf('|', attributes);
      const field = pipe < 0 ? undefined : line.slice(attributes, pipe);
      if (field !== undefined && !field.includes('=')) {
        const delimiter = field.length === 0 ? TAB : delimiterOf(field);
        if (delimiter === undefined) throw new ParseError(`invalid LEEF 2.0 delimiter "${field.slice(0, 20)}"`);
        separator = delimiter;
        attributes = pipe + 1;
      }
    }
    // Some LEEF 1.0 senders separate attributes with spaces instead of tabs.
    if (separator === TAB && line.indexOf('\t', attributes) < 0) separator = undefined;

    event['leef.version'] = version;
    event['observer.vendor'] = header.fields[0];
    event['observer.product'] = header.fields[1];
    event['observer.version'] = header.fields[2];
    event['event.code'] = header.fields[3];

    let devTime: string | undefined;
    let devTimeFormat: string | undefined;
    readKv(line, attributes, {
      pair(key, value) {
        if (key === 'devTime') devTime = value;
        else if (key === 'devTimeFormat') devTimeFormat = value;
        else setMapped(event, ATTRIBUTES, UNMAPPED_PREFIX, key, value, ctx);
      },
    }, { pairSeparator: separator });

    if (devTime !== undefined) {
      const ms = devTimeFormat === undefined ? parseVendorTime(devTime, ctx) : parseJavaDate(devTime, devTimeFormat, ctx.timezone);
      if (isValidMs(ms)) event['@timestamp'] = isoFromMs(ms);
      else event[UNMAPPED_PREFIX + 'devTime'] = devTime;
    }
    if (devTimeFormat !== undefined) event[UNMAPPED_PREFIX + 'devTimeFormat'] = devTimeFormat;
    const user = event['user.name'];
    if (typeof user === 'string') splitDomain(event, user);
    const action = event['event.action'];
    if (typeof action === 'string') {
      const outcome = outcomeOf(action);
      if (outcome) event['event.outcome'] = outcome;
    }
    if (event['leef.isLoginEvent'] === 'true') {
      event['event.category'] = ['authentication'];
      event['event.type'] = ['start'];
    } else if (event['leef.isLogoutEvent'] === 'true') {
      event['event.category'] = ['authentication'];
      event['event.type'] = ['end'];
    }
    if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
    return event;
  },
  sniff(line: string): boolean {
    return findLeef(line, HEADER_SEARCH_LIMIT) >= 0;
  },
};
