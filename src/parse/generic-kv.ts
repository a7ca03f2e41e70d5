/**
 * Generic `key=value key2="quoted value"` lines from any device, with or
 * without a syslog header. The common spellings of the usual fields are
 * mapped to ECS; every other key is kept under `kv.<key>`.
 */
import type { MamoriEvent } from '../core/event.js';
import { readSyslogEnvelope, type SyslogEnvelope } from './envelope.js';
import { DROPPED_FIELDS } from './flatten.js';
import { readKv } from './kv.js';
import { fieldTable, setMapped, type FieldTable } from './mapping.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { isoFromMs } from './time.js';

const UNMAPPED_PREFIX = 'kv.';
/** Pairs kept per line; the rest are counted in mamori.dropped_fields (event.original has them). */
export const MAX_KV_FIELDS = 256;
const MAX_KEY_LENGTH = 128;

/** Lower-case key spellings → ECS field. */
const FIELDS: FieldTable = fieldTable([
  [['src', 'src_ip', 'srcip', 'source_ip', 'sourceip', 'source_address', 'src_addr', 'client_ip'], 'source.ip', 'ip'],
  [['dst', 'dst_ip', 'dstip', 'destination_ip', 'destinationip', 'dest_ip', 'destip', 'destination_address', 'dst_addr', 'server_ip'], 'destination.ip', 'ip'],
  [['spt', 'sport', 'src_port', 'srcport', 'source_port', 'sourceport'], 'source.port', 'port'],
  [['dpt', 'dport', 'dst_port', 'dstport', 'destination_port', 'destinationport', 'dest_port', 'destport'], 'destination.port', 'port'],
  [['src_nat_ip', 'nat_src_ip', 'nat_src'], 'source.nat.ip', 'ip'],
  [['dst_nat_ip', 'nat_dst_ip', 'nat_dst'], 'destination.nat.ip', 'ip'],
  [['smac', 'src_mac', 'srcmac', 'source_mac'], 'source.mac', 'mac'],
  [['dmac', 'dst_mac', 'dstmac', 'destination_mac'], 'destination.mac', 'mac'],
  [['src_host', 'src_hostname', 'shost', 'source_host'], 'source.domain', 'string'],
  [['dst_host', 'dst_hostname', 'dhost', 'destination_host'], 'destination.domain', 'string'],
  [['proto', 'protocol', 'transport'], 'network.transport', 'transport'],
  [['app', 'application'], 'network.application', 'lower'],
  ['direction', 'network.direction', 'direction'],
  [['user', 'username', 'usr', 'user_name', 'uname', 'login'], 'user.name', 'string'],
  [['action', 'act'], 'event.action', 'string'],
  ['outcome', 'event.outcome', 'outcome'],
  [['msg', 'message'], 'message', 'string'],
  [['host', 'hostname'], 'host.name', 'string'],
  ['url', 'url.full', 'string'],
  ['uri', 'url.original', 'string'],
  [['method', 'http_method'], 'http.request.method', 'string'],
  [['status_code', 'http_status'], 'http.response.status_code', 'uint'],
  [['user_agent', 'useragent', 'ua'], 'user_agent.original', 'string'],
  // CEF's convention: "in" is what flowed from source to destination.
  [['bytes_in', 'bytesin', 'in_bytes', 'sent_bytes', 'bytes_sent', 'sentbyte'], 'source.bytes', 'uint'],
  [['bytes_out', 'bytesout', 'out_bytes', 'rcvd_bytes', 'received_bytes', 'bytes_received', 'rcvdbyte'], 'destination.bytes', 'uint'],
  [['packets_sent', 'sentpkt'], 'source.packets', 'uint'],
  [['packets_received', 'rcvdpkt'], 'destination.packets', 'uint'],
  [['rule', 'rule_name', 'policy', 'policy_name'], 'rule.name', 'string'],
  [['rule_id', 'policy_id', 'policyid'], 'rule.id', 'string'],
  [['severity', 'sev'], 'event.severity', 'uint'],
  ['level', 'log.level', 'lower'],
  [['pid', 'process_id'], 'process.pid', 'uint'],
  [['process', 'proc', 'program', 'process_name'], 'process.name', 'string'],
  [['timestamp', 'time', 'ts', 'datetime', 'event_time'], '@timestamp', 'time'],
  [['in_interface', 'srcintf', 'inbound_interface'], 'observer.ingress.interface.name', 'string'],
  [['out_interface', 'dstintf', 'outbound_interface'], 'observer.egress.interface.name', 'string'],
]);

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

/** A key as a field name: characters outside [A-Za-z0-9_.-] become `_`, at most 128 characters. */
export function sanitizeKey(key: string): string {
  const n = Math.min(key.length, MAX_KEY_LENGTH);
  for (let i = 0; i < n; i++) {
    if (isKeyChar(key.charCodeAt(i))) continue;
    let out = key.slice(0, i);
    for (let k = i; k < n; k++) out += isKeyChar(key.charCodeAt(k)) ? key[k] : '_';
    return out;
  }
  return n === key.length ? key : key.slice(0, n);
}

/** Header fields a syslog parser fills from what it takes for the tag. */
const TAG_FIELDS = ['process.name', 'process.pid', 'event.provider'];

/**
 * Where the pairs start, and the header fields to leave out. A header
 * parser may take the first pair for the host or the tag (`Mar  1 10:00:00
 * src=1.2.3.4 ...`, `host msg=failed: ...`): a host or tag with `=` in it
 * was a pair, and the pairs start where it does. The tag comes after the
 * host, so a host taken from the pairs takes the tag with it.
 */
function bodyOf(line: string, envelope: SyslogEnvelope): { start: number; skip: readonly string[] } {
  const header = envelope.header;
  let start = line.length - envelope.body.length;
  let skip: readonly string[] = [];
  const tag = header['process.name'];
  if (typeof tag === 'string' && tag.includes('=')) {
    start = Math.max(0, line.lastIndexOf(tag, start));
    skip = TAG_FIELDS;
  }
  const host = header['host.name'];
  if (typeof host === 'string' && host.includes('=')) {
    start = Math.max(0, line.lastIndexOf(host, start));
    skip = ['host.name', ...TAG_FIELDS];
  }
  return { start, skip };
}

export const kv: Parser = {
  name: 'kv',
  description: 'Generic key=value lines (quoted values allowed), with or without a syslog header',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const event: MamoriEvent = { '@timestamp': undefined, 'event.kind': 'event', 'event.module': 'kv', 'event.dataset': 'kv' };
    const envelope = readSyslogEnvelope(line, ctx);
    let start = 0;
    if (envelope) {
      const body = bodyOf(line, envelope);
      start = body.start;
      for (const key in envelope.header) if (!body.skip.includes(key)) event[key] = envelope.header[key];
    }
    let kept = 0;
    let dropped = 0;
    let flags: string[] | undefined;
    const pairs = readKv(line, start, {
      pair(key, raw) {
        if (kept >= MAX_KV_FIELDS) {
          dropped++;
          return;
        }
        kept++;
        // `key=value, key2=value2`: the comma belongs to the list, not to the value.
        const value = raw.charCodeAt(raw.length - 1) === 44 ? raw.slice(0, -1) : raw;
        const lower = key.toLowerCase();
        if (FIELDS.has(lower)) setMapped(event, FIELDS, UNMAPPED_PREFIX, lower, value, ctx);
        else setMapped(event, FIELDS, UNMAPPED_PREFIX, sanitizeKey(key), value, ctx);
      },
      flag(word) {
        if (kept >= MAX_KV_FIELDS) {
          dropped++;
          return;
        }
        // Words without `=` (a message's loose words, an unquoted value's tail) share the budget.
        kept++;
        (flags ??= []).push(word);
      },
    });
    if (pairs === 0) throw new ParseError('not a key=value line: no key=value pair');
    if (flags !== undefined) event[UNMAPPED_PREFIX + 'words'] = flags;
    if (dropped > 0) event[DROPPED_FIELDS] = dropped;
    if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
    return event;
  },
};
