/**
 * Firepower Threat Defense security events (430001 intrusion, 430002
 * connection start, 430003 connection end, 430004 file, 430005 file
 * malware): a `Key: value, Key: value` list. Values may hold `, ` and `: `
 * themselves (URLs, intrusion rule messages), so a pair ends only where
 * `, ` is followed by something shaped like a key and `: `.
 */
import type { MamoriEvent } from '../core/event.js';
import { fieldTable, setMapped, type FieldTable } from './mapping.js';
import type { ParseContext } from './parser.js';
import { parseUint } from './syslog.js';
import { setDomainUser } from './user-domain.js';

const UNMAPPED_PREFIX = 'cisco.ftd.';
/** FTD keys are short words (`AccessControlRuleName`, `Prefilter Policy`); longer runs are value text. */
const MAX_KEY = 48;

const BASE_ROWS = [
  ['SrcIP', 'source.ip', 'ip'],
  ['DstIP', 'destination.ip', 'ip'],
  ['SrcPort', 'source.port', 'port'],
  ['DstPort', 'destination.port', 'port'],
  ['Protocol', 'network.transport', 'transport'],
  ['IngressInterface', 'observer.ingress.interface.name', 'string'],
  ['EgressInterface', 'observer.egress.interface.name', 'string'],
  ['IngressZone', 'observer.ingress.zone', 'string'],
  ['EgressZone', 'observer.egress.zone', 'string'],
  ['ACPolicy', 'rule.ruleset', 'string'],
  ['AccessControlRuleName', 'rule.name', 'string'],
  ['ApplicationProtocol', 'network.protocol', 'lower'],
  ['InitiatorPackets', 'source.packets', 'uint'],
  ['ResponderPackets', 'destination.packets', 'uint'],
  ['InitiatorBytes', 'source.bytes', 'uint'],
  ['ResponderBytes', 'destination.bytes', 'uint'],
  ['NAT_InitiatorAddress', 'source.nat.ip', 'ip'],
  ['NAT_InitiatorPort', 'source.nat.port', 'port'],
  ['NAT_ResponderAddress', 'destination.nat.ip', 'ip'],
  ['NAT_ResponderPort', 'destination.nat.port', 'port'],
  ['FirstPacketSecond', 'event.start', 'time'],
  ['DNSQuery', 'dns.question.name', 'string'],
  ['URL', 'url.full', 'string'],
  ['ReferencedHost', 'url.domain', 'string'],
  ['HTTPReferer', 'http.request.referrer', 'string'],
  ['UserAgent', 'user_agent.original', 'string'],
  ['HTTPResponse', 'http.response.status_code', 'uint'],
  ['FileName', 'file.name', 'string'],
  ['FileSize', 'file.size', 'uint'],
  [['FileSHA256', 'SHA256'], 'file.hash', 'hash'],
] as const;

const CONNECTION: FieldTable = fieldTable(BASE_ROWS);

/** In intrusion events the Snort rule is the rule; the access control rule that let the traffic in stays vendor data. */
const INTRUSION: FieldTable = fieldTable([
  ...BASE_ROWS,
  ['AccessControlRuleName', 'cisco.ftd.AccessControlRuleName', 'string'],
  ['SignatureID', 'rule.id', 'string'],
  ['SID', 'rule.id', 'string'],
  ['Message', 'rule.name', 'string'],
  ['Classification', 'rule.category', 'string'],
]);

function isKeyChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 32 || c === 45;
}

/** When a key followed by `: ` starts at `i`, the index of that `:`; else -1. */
function keyColonAt(s: string, i: number): number {
  const first = s.charCodeAt(i);
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) return -1;
  const limit = Math.min(s.length - 1, i + MAX_KEY);
  for (let k = i + 1; k < limit; k++) {
    const c = s.charCodeAt(k);
    if (c === 58) return s.charCodeAt(k + 1) === 32 ? k : -1;
    if (!isKeyChar(c)) return -1;
  }
  return -1;
}

/** Calls `visit` for each pair; nothing when the body does not start with `Key: `. */
function readPairs(body: string, visit: (key: string, value: string) => void): void {
  let keyStart = 0;
  let colon = keyColonAt(body, 0);
  while (colon >= 0) {
    const valueStart = colon + 2;
    let valueEnd = body.length;
    let nextKey = -1;
    let nextColon = -1;
    for (let comma = body.indexOf(', ', valueStart); comma >= 0; comma = body.indexOf(', ', comma + 2)) {
      nextColon = keyColonAt(body, comma + 2);
      if (nextColon >= 0) {
        valueEnd = comma;
        nextKey = comma + 2;
        break;
      }
    }
    visit(body.slice(keyStart, colon), body.slice(valueStart, valueEnd).trim());
    keyStart = nextKey;
    colon = nextKey < 0 ? -1 : nextColon;
  }
}

/** `No Authentication Required`, `Unknown`, `Not Found`: FTD's words for "no user". */
function isRealUser(value: string): boolean {
  return value.indexOf(' ') < 0 && value !== 'Unknown';
}

/**
 * Maps the pairs of an FTD security event into `event`. Returns the lower
 * cased AccessControlRuleAction (`allow`, `block`, `trust`, ...) when present.
 */
export function readFtdEvent(event: MamoriEvent, body: string, intrusion: boolean, ctx: ParseContext): string | undefined {
  const table = intrusion ? INTRUSION : CONNECTION;
  let action: string | undefined;
  readPairs(body, (rawKey, value) => {
    const key = rawKey.indexOf(' ') < 0 ? rawKey : rawKey.replaceAll(' ', '_');
    if (key === 'User' && isRealUser(value)) {
      setDomainUser(event, 'user.', value);
      return;
    }
    if (key === 'ConnectionDuration') {
      const seconds = parseUint(value, 1e9);
      if (seconds !== undefined) {
        event['event.duration'] = seconds * 1e9;
        return;
      }
    }
    if (key === 'AccessControlRuleAction') action = value.toLowerCase();
    setMapped(event, table, UNMAPPED_PREFIX, key, value, ctx);
  });
  return action;
}
