/**
 * ECS fields for the Windows events analysts and rules use most (Security,
 * Sysmon, PowerShell, System), in the spirit of Elastic's Windows
 * integration: category/type/action/outcome, the acting and target users,
 * addresses, processes, files, registry and DNS. The input is the event
 * data by name, so the mapping is the same for every shape the event came in.
 */
import type { MamoriEvent } from '../core/event.js';
import { isIp, isIpv4 } from './net.js';
import { parseUint } from './syslog.js';
import { isHexDigit } from './windows-record.js';

/** Which family of events a channel (or, without one, a provider) carries. */
export type WinSource = 'security' | 'sysmon' | 'powershell' | 'system' | 'application' | 'other';

type Data = ReadonlyMap<string, string>;
type Outcome = 'success' | 'failure';

interface EcsRule {
  category: readonly string[];
  type: readonly string[];
  action: string;
  /** Fixed outcome; when absent it comes from Status or the audit keywords. */
  outcome?: Outcome;
  map?: (event: MamoriEvent, d: Data) => void;
}

/** A data value, with Windows' placeholders for "none" ("", "-") treated as absent. */
function get(d: Data, name: string): string | undefined {
  const v = d.get(name);
  return v === undefined || v.length === 0 || v === '-' ? undefined : v;
}

function set(event: MamoriEvent, field: string, value: string | number | undefined): void {
  if (value !== undefined) event[field] = value;
}

/** Last component of a Windows or POSIX path. */
export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return cut < 0 ? path : path.slice(cut + 1);
}

/**
 * A process id written in decimal or, as the Security log does, in hex
 * (`0x0000000000000244`). 0 is how the Security log says "no process".
 */
function pidOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let n: number | undefined;
  if (!value.startsWith('0x') && !value.startsWith('0X')) {
    n = parseUint(value, Number.MAX_SAFE_INTEGER);
  } else if (value.length > 2 && value.length <= 18) {
    n = 0;
    for (let i = 2; i < value.length && n !== undefined; i++) n = isHexDigit(value.charCodeAt(i)) ? n * 16 + parseInt(value[i], 16) : undefined;
  }
  return n !== undefined && n > 0 && Number.isSafeInteger(n) ? n : undefined;
}

/** An address as ECS wants it: IPv4-mapped IPv6 unwrapped, a zone id dropped; undefined when not an IP. */
export function ipOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let ip = value;
  const zone = ip.indexOf('%');
  if (zone > 0) ip = ip.slice(0, zone);
  if (ip.length > 7 && (ip.startsWith('::ffff:') || ip.startsWith('::FFFF:')) && isIpv4(ip.slice(7))) ip = ip.slice(7);
  return isIp(ip) ? ip : undefined;
}

function setPath(event: MamoriEvent, prefix: string, path: string | undefined): void {
  if (path === undefined) return;
  event[prefix + '.executable'] = path;
  event[prefix + '.name'] = baseName(path);
}

function setFile(event: MamoriEvent, path: string | undefined): void {
  if (path === undefined) return;
  event['file.path'] = path;
  event['file.name'] = baseName(path);
}

/** The NULL SID: Windows' way of writing "no account" (failed logons of unknown users). */
const NULL_SID = 'S-1-0-0';

/** `user.*` (or `user.target.*`) from a name, domain and SID. */
function setUser(event: MamoriEvent, prefix: string, name: string | undefined, domain: string | undefined, id: string | undefined): void {
  set(event, prefix + '.name', name);
  set(event, prefix + '.domain', domain);
  if (id !== NULL_SID) set(event, prefix + '.id', id);
}

/** `DOMAIN\name` as Sysmon and PowerShell write users. */
function setDomainUser(event: MamoriEvent, value: string | undefined): void {
  if (value === undefined) return;
  const cut = value.indexOf('\\');
  if (cut < 0) {
    event['user.name'] = value;
    return;
  }
  event['user.domain'] = value.slice(0, cut);
  event['user.name'] = value.slice(cut + 1);
}

const subjectUser = (e: MamoriEvent, d: Data): void => setUser(e, 'user', get(d, 'SubjectUserName'), get(d, 'SubjectDomainName'), get(d, 'SubjectUserSid'));
const targetUser = (e: MamoriEvent, d: Data, prefix: string): void =>
  setUser(e, prefix, get(d, 'TargetUserName'), get(d, 'TargetDomainName'), get(d, 'TargetUserSid') ?? get(d, 'TargetSid'));

function setSource(event: MamoriEvent, d: Data): void {
  const ip = ipOf(get(d, 'IpAddress'));
  if (ip === undefined) return;
  event['source.ip'] = ip;
  const port = parseUint(d.get('IpPort') ?? '', 65535);
  if (port !== undefined && port > 0) event['source.port'] = port;
}

/** Logon type names as Windows documents them (4624, 4625). */
const LOGON_TYPES = new Map([
  ['2', 'Interactive'], ['3', 'Network'], ['4', 'Batch'], ['5', 'Service'], ['7', 'Unlock'], ['8', 'NetworkCleartext'],
  ['9', 'NewCredentials'], ['10', 'RemoteInteractive'], ['11', 'CachedInteractive'], ['12', 'CachedRemoteInteractive'], ['13', 'CachedUnlock'],
]);

function logon(event: MamoriEvent, d: Data): void {
  targetUser(event, d, 'user');
  setSource(event, d);
  set(event, 'source.domain', get(d, 'WorkstationName'));
  const type = get(d, 'LogonType');
  if (type !== undefined) event['winlog.logon.type'] = LOGON_TYPES.get(type) ?? type;
  set(event, 'winlog.logon.id', get(d, 'TargetLogonId'));
  setPath(event, 'process', get(d, 'ProcessName'));
  set(event, 'process.pid', pidOf(get(d, 'ProcessId')));
}

function accountChange(event: MamoriEvent, d: Data): void {
  subjectUser(event, d);
  targetUser(event, d, 'user.target');
}

const DN_ESCAPE = /\\(.)/g;

/** `CN=John Smith,OU=...` → `John Smith`; other text as it is. */
function commonName(dn: string): string {
  if (!dn.startsWith('CN=') && !dn.startsWith('cn=')) return dn;
  let end = 3;
  while (end < dn.length && dn[end] !== ',') end += dn[end] === '\\' ? 2 : 1;
  return dn.slice(3, Math.min(end, dn.length)).replace(DN_ESCAPE, '$1');
}

function groupChange(event: MamoriEvent, d: Data): void {
  subjectUser(event, d);
  set(event, 'group.name', get(d, 'TargetUserName'));
  set(event, 'group.domain', get(d, 'TargetDomainName'));
  set(event, 'group.id', get(d, 'TargetSid'));
  const member = get(d, 'MemberName');
  set(event, 'user.target.name', member === undefined ? undefined : commonName(member));
  set(event, 'user.target.id', get(d, 'MemberSid'));
}

/** Kerberos and NTLM events: the account authenticating, from where, for which service. */
function kerberos(event: MamoriEvent, d: Data): void {
  const name = get(d, 'TargetUserName');
  // 4769 writes the account as user@REALM.
  const at = name === undefined ? -1 : name.lastIndexOf('@');
  if (name !== undefined && at > 0) setUser(event, 'user', name.slice(0, at), name.slice(at + 1), get(d, 'TargetSid'));
  else targetUser(event, d, 'user');
  setSource(event, d);
  set(event, 'service.name', get(d, 'ServiceName'));
  set(event, 'source.domain', get(d, 'Workstation'));
}

function processCreated(event: MamoriEvent, d: Data): void {
  subjectUser(event, d);
  setPath(event, 'process', get(d, 'NewProcessName'));
  set(event, 'process.pid', pidOf(get(d, 'NewProcessId')));
  set(event, 'process.command_line', get(d, 'CommandLine'));
  setPath(event, 'process.parent', get(d, 'ParentProcessName'));
  set(event, 'process.parent.pid', pidOf(get(d, 'ProcessId')));
}

function processExited(event: MamoriEvent, d: Data): void {
  subjectUser(event, d);
  setPath(event, 'process', get(d, 'ProcessName'));
  set(event, 'process.pid', pidOf(get(d, 'ProcessId')));
}

function serviceInstalled(event: MamoriEvent, d: Data): void {
  subjectUser(event, d);
  set(event, 'service.name', get(d, 'ServiceName'));
  set(event, 'service.type', get(d, 'ServiceType'));
}

function shareAccess(event: MamoriEvent, d: Data): void {
  subjectUser(event, d);
  setSource(event, d);
  const relative = get(d, 'RelativeTargetName');
  if (relative !== undefined) event['file.path'] = relative;
}

const IAM_ADMIN = ['iam'];
const USER_CHANGE = ['user', 'change'];
const GROUP_CHANGE = ['group', 'change'];
const AUTH = ['authentication'];
const START = ['start'];

const SECURITY = new Map<string, EcsRule>([
  ['1102', { category: IAM_ADMIN, type: ['admin', 'change'], action: 'audit-log-cleared', map: subjectUser }],
  ['4624', { category: AUTH, type: START, action: 'logged-in', map: logon }],
  ['4625', { category: AUTH, type: START, action: 'logon-failed', outcome: 'failure', map: logon }],
  ['4634', { category: AUTH, type: ['end'], action: 'logged-out', map: logon }],
  ['4647', { category: AUTH, type: ['end'], action: 'logged-out', map: logon }],
  ['4648', {
    category: AUTH, type: START, action: 'logged-in-explicit',
    map: (e, d) => {
      subjectUser(e, d);
      setUser(e, 'user.target', get(d, 'TargetUserName'), get(d, 'TargetDomainName'), undefined);
      set(e, 'destination.domain', get(d, 'TargetServerName'));
      setSource(e, d);
      setPath(e, 'process', get(d, 'ProcessName'));
      set(e, 'process.pid', pidOf(get(d, 'ProcessId')));
    },
  }],
  ['4672', {
    category: IAM_ADMIN, type: ['admin'], action: 'logged-in-special',
    map: (e, d) => {
      subjectUser(e, d);
      set(e, 'winlog.logon.id', get(d, 'SubjectLogonId'));
    },
  }],
  ['4688', { category: ['process'], type: START, action: 'created-process', map: processCreated }],
  ['4689', { category: ['process'], type: ['end'], action: 'exited-process', map: processExited }],
  ['4697', { category: ['iam', 'configuration'], type: ['admin', 'creation'], action: 'service-installed', map: serviceInstalled }],
  ['4698', { category: ['iam', 'configuration'], type: ['admin', 'creation'], action: 'scheduled-task-created', map: subjectUser }],
  ['4719', { category: ['iam', 'configuration'], type: ['admin', 'change'], action: 'changed-audit-config', map: subjectUser }],
  ['4720', { category: ['iam'], type: ['user', 'creation'], action: 'added-user-account', map: accountChange }],
  ['4722', { category: ['iam'], type: USER_CHANGE, action: 'enabled-user-account', map: accountChange }],
  ['4724', { category: ['iam'], type: USER_CHANGE, action: 'reset-password', map: accountChange }],
  ['4725', { category: ['iam'], type: USER_CHANGE, action: 'disabled-user-account', map: accountChange }],
  ['4726', { category: ['iam'], type: ['user', 'deletion'], action: 'deleted-user-account', map: accountChange }],
  ['4728', { category: ['iam'], type: GROUP_CHANGE, action: 'added-member-to-group', map: groupChange }],
  ['4732', { category: ['iam'], type: GROUP_CHANGE, action: 'added-member-to-group', map: groupChange }],
  ['4738', { category: ['iam'], type: USER_CHANGE, action: 'modified-user-account', map: accountChange }],
  ['4740', { category: ['iam'], type: USER_CHANGE, action: 'locked-out-user-account', map: accountChange }],
  ['4756', { category: ['iam'], type: GROUP_CHANGE, action: 'added-member-to-group', map: groupChange }],
  ['4768', { category: AUTH, type: START, action: 'kerberos-authentication-ticket-requested', map: kerberos }],
  ['4769', { category: AUTH, type: START, action: 'kerberos-service-ticket-requested', map: kerberos }],
  ['4771', { category: AUTH, type: START, action: 'kerberos-preauth-failed', outcome: 'failure', map: kerberos }],
  ['4776', { category: AUTH, type: START, action: 'credential-validated', map: kerberos }],
  ['5140', { category: ['network', 'file'], type: ['info', 'access'], action: 'network-share-object-accessed', map: shareAccess }],
  ['5145', { category: ['network', 'file'], type: ['info', 'access'], action: 'network-share-object-access-checked', map: shareAccess }],
]);

const HASH_FIELDS = new Map([['MD5', 'md5'], ['SHA1', 'sha1'], ['SHA256', 'sha256'], ['SHA384', 'sha384'], ['SHA512', 'sha512'], ['IMPHASH', 'imphash']]);

/** Sysmon's `SHA1=..,MD5=..,SHA256=..,IMPHASH=..` into `<prefix>.hash.*` (imphash into `<prefix>.pe.imphash`). */
export function setHashes(event: MamoriEvent, prefix: string, hashes: string | undefined): void {
  if (hashes === undefined) return;
  let start = 0;
  while (start < hashes.length) {
    let end = hashes.indexOf(',', start);
    if (end < 0) end = hashes.length;
    const eq = hashes.indexOf('=', start);
    if (eq > start && eq < end) {
      const algorithm = HASH_FIELDS.get(hashes.slice(start, eq).trim().toUpperCase());
      const value = hashes.slice(eq + 1, end).trim().toLowerCase();
      if (algorithm !== undefined && value.length > 0) {
        event[algorithm === 'imphash' ? `${prefix}.pe.imphash` : `${prefix}.hash.${algorithm}`] = value;
      }
    }
    start = end + 1;
  }
}

/** The process a Sysmon event is about: Image, ProcessId, ProcessGuid, User. */
function sysmonProcess(event: MamoriEvent, d: Data): void {
  setPath(event, 'process', get(d, 'Image'));
  set(event, 'process.pid', pidOf(get(d, 'ProcessId')));
  set(event, 'process.entity_id', get(d, 'ProcessGuid'));
  setDomainUser(event, get(d, 'User'));
}

function sysmonProcessCreate(event: MamoriEvent, d: Data): void {
  sysmonProcess(event, d);
  set(event, 'process.command_line', get(d, 'CommandLine'));
  set(event, 'process.working_directory', get(d, 'CurrentDirectory'));
  set(event, 'process.pe.original_file_name', get(d, 'OriginalFileName'));
  setHashes(event, 'process', get(d, 'Hashes'));
  setPath(event, 'process.parent', get(d, 'ParentImage'));
  set(event, 'process.parent.pid', pidOf(get(d, 'ParentProcessId')));
  set(event, 'process.parent.entity_id', get(d, 'ParentProcessGuid'));
  set(event, 'process.parent.command_line', get(d, 'ParentCommandLine'));
}

function sysmonNetwork(event: MamoriEvent, d: Data): void {
  sysmonProcess(event, d);
  const transport = get(d, 'Protocol');
  set(event, 'network.transport', transport?.toLowerCase());
  set(event, 'source.ip', ipOf(get(d, 'SourceIp')));
  set(event, 'source.port', parseUint(d.get('SourcePort') ?? '', 65535));
  set(event, 'source.domain', get(d, 'SourceHostname'));
  set(event, 'destination.ip', ipOf(get(d, 'DestinationIp')));
  set(event, 'destination.port', parseUint(d.get('DestinationPort') ?? '', 65535));
  set(event, 'destination.domain', get(d, 'DestinationHostname'));
  const initiated = get(d, 'Initiated');
  if (initiated !== undefined) event['network.direction'] = initiated.toLowerCase() === 'true' ? 'egress' : 'ingress';
  const ipv6 = get(d, 'SourceIsIpv6');
  if (ipv6 !== undefined) event['network.type'] = ipv6.toLowerCase() === 'true' ? 'ipv6' : 'ipv4';
}

/** Sysmon events 8 and 10 name the acting process Source*. */
function sysmonSourceProcess(event: MamoriEvent, d: Data): void {
  setPath(event, 'process', get(d, 'SourceImage'));
  set(event, 'process.pid', pidOf(get(d, 'SourceProcessId')));
  set(event, 'process.entity_id', get(d, 'SourceProcessGuid') ?? get(d, 'SourceProcessGUID'));
  setDomainUser(event, get(d, 'SourceUser'));
}

function sysmonFile(event: MamoriEvent, d: Data): void {
  sysmonProcess(event, d);
  setFile(event, get(d, 'TargetFilename'));
  setHashes(event, 'file', get(d, 'Hashes') ?? get(d, 'Hash'));
}

function sysmonImageLoad(event: MamoriEvent, d: Data): void {
  sysmonProcess(event, d);
  setFile(event, get(d, 'ImageLoaded'));
  setHashes(event, 'file', get(d, 'Hashes'));
}

function sysmonPipe(event: MamoriEvent, d: Data): void {
  sysmonProcess(event, d);
  set(event, 'file.name', get(d, 'PipeName'));
}

/** Registry: `TargetObject` is `HIVE\key\...\value`; value set events name the value last. */
function sysmonRegistry(event: MamoriEvent, d: Data): void {
  sysmonProcess(event, d);
  const path = get(d, 'TargetObject');
  if (path === undefined) return;
  event['registry.path'] = path;
  const hiveEnd = path.indexOf('\\');
  if (hiveEnd > 0) {
    event['registry.hive'] = path.slice(0, hiveEnd);
    const kind = d.get('EventType');
    const isValue = kind === 'SetValue' || kind === 'DeleteValue';
    const valueStart = path.lastIndexOf('\\');
    if (isValue && valueStart > hiveEnd) {
      event['registry.key'] = path.slice(hiveEnd + 1, valueStart);
      event['registry.value'] = path.slice(valueStart + 1);
    } else {
      event['registry.key'] = path.slice(hiveEnd + 1);
    }
  }
  const details = get(d, 'Details');
  if (details !== undefined) event['registry.data.strings'] = [details];
}

/** Sysmon 22 QueryStatus (a Win32 DNS status) for the two outcomes that have a DNS name. */
const DNS_STATUS = new Map([['0', 'NOERROR'], ['9003', 'NXDOMAIN']]);

function sysmonDns(event: MamoriEvent, d: Data): void {
  sysmonProcess(event, d);
  set(event, 'dns.question.name', get(d, 'QueryName'));
  set(event, 'dns.response_code', DNS_STATUS.get(d.get('QueryStatus') ?? ''));
  event['network.protocol'] = 'dns';
  // QueryResults: "type:  5 alias.example;::ffff:192.0.2.1;..." — keep the addresses.
  const results = get(d, 'QueryResults');
  if (results === undefined) return;
  const ips: string[] = [];
  for (const part of results.split(';')) {
    const ip = ipOf(part.trim());
    if (ip !== undefined && !ips.includes(ip)) ips.push(ip);
  }
  if (ips.length > 0) event['dns.resolved_ip'] = ips;
}

const PROCESS = ['process'];
const FILE = ['file'];
const REGISTRY = ['registry'];

const SYSMON = new Map<string, EcsRule>([
  ['1', { category: PROCESS, type: START, action: 'process-created', map: sysmonProcessCreate }],
  ['3', { category: ['network'], type: ['connection', 'start'], action: 'network-connection', map: sysmonNetwork }],
  ['5', { category: PROCESS, type: ['end'], action: 'process-terminated', map: sysmonProcess }],
  ['7', { category: PROCESS, type: ['change'], action: 'image-loaded', map: sysmonImageLoad }],
  ['8', { category: PROCESS, type: ['change'], action: 'create-remote-thread', map: sysmonSourceProcess }],
  ['10', { category: PROCESS, type: ['access'], action: 'process-access', map: sysmonSourceProcess }],
  ['11', { category: FILE, type: ['creation'], action: 'file-created', map: sysmonFile }],
  ['12', { category: REGISTRY, type: ['change'], action: 'registry-object-added-or-deleted', map: sysmonRegistry }],
  ['13', { category: REGISTRY, type: ['change'], action: 'registry-value-set', map: sysmonRegistry }],
  ['14', { category: REGISTRY, type: ['change'], action: 'registry-object-renamed', map: sysmonRegistry }],
  ['15', { category: FILE, type: ['creation'], action: 'file-stream-created', map: sysmonFile }],
  ['17', { category: FILE, type: ['creation'], action: 'pipe-created', map: sysmonPipe }],
  ['18', { category: FILE, type: ['access'], action: 'pipe-connected', map: sysmonPipe }],
  ['22', { category: ['network'], type: ['protocol', 'info'], action: 'dns-query', map: sysmonDns }],
  ['23', { category: FILE, type: ['deletion'], action: 'file-deleted', map: sysmonFile }],
  ['25', { category: PROCESS, type: ['change'], action: 'process-tampering', map: sysmonProcess }],
]);

/**
 * PowerShell 4103's ContextInfo: lines of `Name = value`. Only the parts
 * with an ECS home are kept; the whole text stays in the event data.
 */
function powershellContext(event: MamoriEvent, d: Data): void {
  const context = d.get('ContextInfo');
  if (context === undefined) return;
  for (const line of context.split('\n')) {
    const eq = line.indexOf(' = ');
    if (eq < 0) continue;
    const value = line.slice(eq + 3).trim();
    if (value.length === 0) continue;
    switch (line.slice(0, eq).trim()) {
      case 'Host Application': event['process.command_line'] = value; break;
      case 'Command Name': event['powershell.command.name'] = value; break;
      case 'Command Type': event['powershell.command.type'] = value; break;
      case 'Script Name': event['file.path'] = value; break;
      case 'User': setDomainUser(event, value); break;
    }
  }
}

function scriptBlock(event: MamoriEvent, d: Data): void {
  set(event, 'powershell.file.script_block_text', d.get('ScriptBlockText'));
  set(event, 'powershell.file.script_block_id', get(d, 'ScriptBlockId'));
  set(event, 'powershell.sequence', parseUint(d.get('MessageNumber') ?? '', Number.MAX_SAFE_INTEGER));
  set(event, 'powershell.total', parseUint(d.get('MessageTotal') ?? '', Number.MAX_SAFE_INTEGER));
  setFile(event, get(d, 'Path'));
}

const POWERSHELL = new Map<string, EcsRule>([
  ['4103', { category: PROCESS, type: ['info'], action: 'pipeline-executed', map: powershellContext }],
  ['4104', { category: PROCESS, type: ['info'], action: 'script-block-logged', map: scriptBlock }],
]);

const SYSTEM = new Map<string, EcsRule>([
  ['7045', {
    category: ['configuration'], type: ['creation'], action: 'service-installed',
    map: (e, d) => {
      set(e, 'service.name', get(d, 'ServiceName'));
      set(e, 'service.type', get(d, 'ServiceType'));
    },
  }],
  ['7036', {
    category: ['configuration'], type: ['change'], action: 'service-state-changed',
    map: (e, d) => {
      set(e, 'service.name', get(d, 'param1'));
      set(e, 'service.state', get(d, 'param2'));
    },
  }],
]);

const RULES: Partial<Record<WinSource, ReadonlyMap<string, EcsRule>>> = {
  security: SECURITY,
  sysmon: SYSMON,
  powershell: POWERSHELL,
  system: SYSTEM,
};

/** Kerberos and NTLM result codes: 0x0 is success, anything else a failure. */
function statusOutcome(d: Data): Outcome | undefined {
  const status = get(d, 'Status');
  if (status === undefined) return undefined;
  return status === '0x0' || status === '0' || status === '0x00000000' ? 'success' : 'failure';
}

function keywordOutcome(keywords: readonly string[] | undefined): Outcome | undefined {
  if (!keywords) return undefined;
  if (keywords.includes('Audit Failure')) return 'failure';
  return keywords.includes('Audit Success') ? 'success' : undefined;
}

/** Adds the ECS fields of a known event, and the audit outcome of any Security event. */
export function mapEcs(event: MamoriEvent, source: WinSource, eventId: string, d: Data, keywords: readonly string[] | undefined): void {
  const rule = RULES[source]?.get(eventId);
  const outcome = rule?.outcome ?? (source === 'security' ? statusOutcome(d) ?? keywordOutcome(keywords) : undefined);
  if (rule) {
    event['event.category'] = [...rule.category];
    event['event.type'] = [...rule.type];
    event['event.action'] = rule.action;
    rule.map?.(event, d);
  }
  if (outcome !== undefined) event['event.outcome'] = outcome;
}
