/**
 * Linux netfilter packet logs (iptables/ip6tables `LOG` target, nftables
 * `log` statement, ufw): `[prefix] IN=eth0 OUT= MAC=... SRC=... DST=...
 * LEN=... PROTO=TCP SPT=... DPT=... SYN ...`, as the kernel prints them,
 * with or without the kernel's `[ uptime]` stamp and a syslog or journal
 * header (`host kernel:`).
 */
import type { MamoriEvent } from '../core/event.js';
import { applyDeviceEnvelope, readSyslogEnvelope } from './envelope.js';
import { readKv } from './kv.js';
import { fieldTable, outcomeOf, setMapped, type FieldTable } from './mapping.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { isoFromMs } from './time.js';

const VENDOR_PREFIX = 'iptables.';

/** Keys as the kernel prints them, lower-cased (unknown keys land under `iptables.<lower-case key>`). */
const FIELDS: FieldTable = fieldTable([
  ['in', 'observer.ingress.interface.name', 'string'],
  ['out', 'observer.egress.interface.name', 'string'],
  ['src', 'source.ip', 'ip'],
  ['dst', 'destination.ip', 'ip'],
  ['spt', 'source.port', 'port'],
  ['dpt', 'destination.port', 'port'],
  ['macsrc', 'source.mac', 'mac'],
  ['macdst', 'destination.mac', 'mac'],
  // Not real keys: the two halves of MAC=, named so that a bad half lands under a sensible vendor name.
  ['source_mac', 'source.mac', 'mac'],
  ['destination_mac', 'destination.mac', 'mac'],
  ['len', 'iptables.length', 'uint'],
  ['ttl', 'iptables.ttl', 'uint'],
  ['hoplimit', 'iptables.ttl', 'uint'],
  ['id', 'iptables.id', 'uint'],
  ['tos', 'iptables.tos', 'string'],
  ['prec', 'iptables.precedence_bits', 'string'],
  ['tc', 'iptables.traffic_class', 'uint'],
  ['flowlbl', 'iptables.flow_label', 'uint'],
  ['window', 'iptables.tcp.window', 'uint'],
  ['res', 'iptables.tcp.reserved_bits', 'string'],
  ['urgp', 'iptables.tcp.urgent_pointer', 'uint'],
  ['seq', 'iptables.tcp.seq', 'uint'],
  ['ack', 'iptables.tcp.ack', 'uint'],
  ['type', 'iptables.icmp.type', 'uint'],
  ['code', 'iptables.icmp.code', 'uint'],
  ['mtu', 'iptables.icmp.mtu', 'uint'],
  // Keys the kernel repeats with another meaning further on (see PacketReader.pair).
  ['udp.length', 'iptables.udp.length', 'uint'],
  ['icmp.id', 'iptables.icmp.id', 'uint'],
  ['icmp.seq', 'iptables.icmp.seq', 'uint'],
  ['uid', 'user.id', 'string'],
  ['gid', 'group.id', 'string'],
  ['mark', 'iptables.mark', 'string'],
]);

const TCP_FLAGS = new Set(['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN']);
const FRAGMENT_FLAGS = new Set(['CE', 'DF', 'MF']);
/** Prefix words, in the order they are looked for, and the event.type they imply. */
const VERDICTS: readonly (readonly [string, 'allowed' | 'denied'])[] = [
  ['DROP', 'denied'],
  ['REJECT', 'denied'],
  ['BLOCK', 'denied'],
  ['DENY', 'denied'],
  ['DENIED', 'denied'],
  ['ACCEPT', 'allowed'],
  ['ALLOW', 'allowed'],
  ['PASS', 'allowed'],
];
/** A MAC= value of an Ethernet frame: destination, source and EtherType, colon-separated. */
const ETHERNET_MAC_LENGTH = 41;

/** Index of the `IN=` field that starts the packet description, or -1. */
function findFields(body: string): number {
  if (body.startsWith('IN=')) return 0;
  const at = body.indexOf(' IN=');
  return at < 0 ? -1 : at + 1;
}

/** The kernel's `[ 1234.567890]` uptime stamp at `i`; returns the index after it. */
function skipUptime(body: string, i: number): number {
  if (body.charCodeAt(i) !== 91) return i;
  const close = body.indexOf(']', i);
  if (close < 0 || close - i > 24) return i;
  for (let k = i + 1; k < close; k++) {
    const c = body.charCodeAt(k);
    if (c !== 32 && c !== 46 && (c < 48 || c > 57)) return i;
  }
  let end = close + 1;
  while (body.charCodeAt(end) === 32) end++;
  return end;
}

/** `[UFW BLOCK] ` → `UFW BLOCK`, `DROP-IN: ` → `DROP-IN`. */
function cleanPrefix(prefix: string): string {
  let start = 0;
  let end = prefix.length;
  for (;;) {
    const c = prefix.charCodeAt(end - 1);
    if (end > start && (c === 32 || c === 58 || c === 93)) end--;
    else break;
  }
  while (start < end && (prefix.charCodeAt(start) === 32 || prefix.charCodeAt(start) === 91)) start++;
  return prefix.slice(start, end);
}

/** Reads the pairs and flags of one packet description into `event`. */
class PacketReader {
  private transport = '';
  private lengths = 0;
  private ids = 0;
  /** Inside the `[SRC=... ]` copy of the offending packet an ICMP error carries. */
  private quoted = false;
  private tcpFlags: string[] | undefined;
  private fragmentFlags: string[] | undefined;
  private otherFlags: string[] | undefined;

  constructor(private readonly event: MamoriEvent, private readonly ctx: ParseContext) {}

  pair(rawKey: string, value: string): void {
    if (this.skipQuoted(rawKey, value)) return;
    const key = rawKey.toLowerCase();
    const event = this.event;
    switch (key) {
      case 'proto':
        this.transport = value === 'ICMPv6' ? 'ipv6-icmp' : value.toLowerCase();
        event['network.transport'] = this.transport;
        return;
      case 'mac':
        this.readMac(value);
        return;
      case 'len':
        // The second LEN is the UDP header's.
        if (this.lengths++ > 0) {
          setMapped(event, FIELDS, VENDOR_PREFIX, 'udp.length', value, this.ctx);
          return;
        }
        break;
      case 'id':
        // The second ID is the ICMP echo identifier.
        if (this.ids++ > 0) {
          setMapped(event, FIELDS, VENDOR_PREFIX, 'icmp.id', value, this.ctx);
          return;
        }
        break;
      case 'seq':
        if (this.transport !== 'tcp') {
          setMapped(event, FIELDS, VENDOR_PREFIX, 'icmp.seq', value, this.ctx);
          return;
        }
        break;
    }
    setMapped(event, FIELDS, VENDOR_PREFIX, key, value, this.ctx);
  }

  flag(word: string): void {
    if (this.skipQuoted(word, '')) return;
    if (TCP_FLAGS.has(word)) (this.tcpFlags ??= []).push(word);
    else if (FRAGMENT_FLAGS.has(word)) (this.fragmentFlags ??= []).push(word);
    else (this.otherFlags ??= []).push(word);
  }

  finish(): void {
    if (this.tcpFlags) this.event[VENDOR_PREFIX + 'tcp.flags'] = this.tcpFlags;
    if (this.fragmentFlags) this.event[VENDOR_PREFIX + 'fragment_flags'] = this.fragmentFlags;
    if (this.otherFlags) this.event[VENDOR_PREFIX + 'flags'] = this.otherFlags;
  }

  /**
   * True for tokens of the quoted packet (`[SRC=a DST=b ... ]`) an ICMP
   * error carries: its fields would overwrite those of the packet logged.
   */
  private skipQuoted(key: string, value: string): boolean {
    if (!this.quoted && key.charCodeAt(0) !== 91) return false;
    this.quoted = !(value.endsWith(']') || (value === '' && key.endsWith(']')));
    return true;
  }

  /** `MAC=dst:src:type` of an Ethernet frame; anything else (other link types) is kept as it is. */
  private readMac(value: string): void {
    if (value.length !== ETHERNET_MAC_LENGTH) {
      if (value.length > 0) this.event[VENDOR_PREFIX + 'mac'] = value;
      return;
    }
    setMapped(this.event, FIELDS, VENDOR_PREFIX, 'destination_mac', value.slice(0, 17), this.ctx);
    setMapped(this.event, FIELDS, VENDOR_PREFIX, 'source_mac', value.slice(18, 35), this.ctx);
    this.event[VENDOR_PREFIX + 'ether_type'] = value.slice(36, 38) + value.slice(39);
  }
}

/** Sets the action fields from the words of the log prefix (`[UFW BLOCK]`, `DROP-IN`). */
function applyVerdict(event: MamoriEvent, prefix: string): void {
  const words = prefix.toUpperCase();
  const type = ['connection'];
  let action = 'log';
  for (const [word, verdict] of VERDICTS) {
    if (!words.includes(word)) continue;
    action = word === 'DENIED' ? 'deny' : word.toLowerCase();
    type.push(verdict);
    break;
  }
  event['event.action'] = action;
  event['event.type'] = type;
  const outcome = outcomeOf(action);
  if (outcome) event['event.outcome'] = outcome;
}

export const iptables: Parser = {
  name: 'iptables',
  description: 'Linux netfilter packet logs (iptables/ip6tables LOG, nftables log, ufw), with or without syslog/journal header',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const envelope = readSyslogEnvelope(line, ctx);
    const body = envelope ? envelope.body : line;
    const fields = findFields(body);
    if (fields < 0) throw new ParseError('not a netfilter log: no IN= field');
    const event: MamoriEvent = {
      '@timestamp': undefined,
      'event.kind': 'event',
      'event.module': 'iptables',
      'event.dataset': 'iptables.log',
      'event.category': ['network'],
      'observer.vendor': 'Linux',
      'observer.product': 'Netfilter',
      'observer.type': 'firewall',
    };
    if (envelope) {
      applyDeviceEnvelope(event, envelope);
      // A host firewall: the syslog host is both the host the packet concerns and the observer.
      if (envelope.header['host.name'] !== undefined) event['host.name'] = envelope.header['host.name'];
    }
    const prefix = cleanPrefix(body.slice(skipUptime(body, 0), fields));
    if (prefix.length > 0) event['rule.name'] = prefix;
    applyVerdict(event, prefix);

    const reader = new PacketReader(event, ctx);
    readKv(body, fields, reader);
    reader.finish();

    const source = event['source.ip'];
    if (typeof source === 'string') event['network.type'] = source.includes(':') ? 'ipv6' : 'ipv4';
    // Only one interface says which way the packet went; both (forwarded traffic) say nothing.
    const ingress = event['observer.ingress.interface.name'] !== undefined;
    const egress = event['observer.egress.interface.name'] !== undefined;
    if (ingress !== egress) event['network.direction'] = ingress ? 'ingress' : 'egress';
    if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(ctx.received);
    return event;
  },
  sniff(line: string): boolean {
    return line.includes(' SRC=') && (line.includes(' IN=') || line.startsWith('IN='));
  },
};
