/**
 * Sigma log sources in Mamori's events: which events a rule's `logsource`
 * (product / category / service) stands for, and how the Sigma taxonomy's
 * field names for that source map to Mamori's fields. Written from the
 * Sigma taxonomy (log source and field names of the specification's
 * appendix); docs/sigma-mapping.md describes it, and a conformance test
 * compares the Windows part with SigmaHQ's own log source configuration.
 */
import type { EcsValue, MamoriEvent } from '../core/event.js';

export interface LogSource {
  product?: string;
  category?: string;
  service?: string;
}

/**
 * One way a log source shows in events: every listed field must hold one of
 * its values (compared case-insensitively), and Sigma field names are
 * renamed where this variant of the source names a field differently.
 */
export interface SourceBranch {
  conditions: Readonly<Record<string, readonly string[]>>;
  renames?: Readonly<Record<string, string>>;
}

/** Windows services (the `service:` of a Sigma rule) and the channels they read. */
const WINDOWS_CHANNELS: Readonly<Record<string, readonly string[]>> = {
  security: ['Security'],
  system: ['System'],
  application: ['Application'],
  sysmon: ['Microsoft-Windows-Sysmon/Operational'],
  powershell: ['Microsoft-Windows-PowerShell/Operational'],
  'powershell-classic': ['Windows PowerShell'],
  taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'],
  wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
  dhcp: ['Microsoft-Windows-DHCP-Server/Operational'],
  'printservice-admin': ['Microsoft-Windows-PrintService/Admin'],
  'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
  'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
  'smbclient-connectivity': ['Microsoft-Windows-SmbClient/Connectivity'],
  'smbserver-connectivity': ['Microsoft-Windows-SMBServer/Connectivity'],
  'terminalservices-localsessionmanager': ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational'],
  'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'],
  applocker: [
    'Microsoft-Windows-AppLocker/EXE and DLL',
    'Microsoft-Windows-AppLocker/MSI and Script',
    'Microsoft-Windows-AppLocker/Packaged app-Deployment',
    'Microsoft-Windows-AppLocker/Packaged app-Execution',
  ],
  'msexchange-management': ['MSExchange Management'],
  windefend: ['Microsoft-Windows-Windows Defender/Operational'],
  'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'],
  'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
  'security-mitigations': ['Microsoft-Windows-Security-Mitigations/Kernel Mode', 'Microsoft-Windows-Security-Mitigations/User Mode'],
  'diagnosis-scripted': ['Microsoft-Windows-Diagnosis-Scripted/Operational'],
  'shell-core': ['Microsoft-Windows-Shell-Core/Operational'],
  openssh: ['OpenSSH/Operational'],
  ldap: ['Microsoft-Windows-LDAP-Client/Debug'],
  bitlocker: ['Microsoft-Windows-BitLocker/BitLocker Management'],
  vhdmp: ['Microsoft-Windows-VHDMP-Operational'],
  'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
  'lsa-server': ['Microsoft-Windows-LSA/Operational'],
  'appxpackaging-om': ['Microsoft-Windows-AppxPackaging/Operational'],
  'dns-client': ['Microsoft-Windows-DNS Client Events/Operational'],
  'dns-server': ['DNS Server'],
  'dns-server-analytic': ['Microsoft-Windows-DNS-Server/Analytical'],
  'appmodel-runtime': ['Microsoft-Windows-AppModel-Runtime/Admin'],
  capi2: ['Microsoft-Windows-CAPI2/Operational'],
  'certificateservicesclient-lifecycle-system': ['Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational'],
  'kernel-shimengine': ['Microsoft-Windows-Kernel-ShimEngine/Operational', 'Microsoft-Windows-Kernel-ShimEngine/Diagnostic'],
  'application-experience': ['Microsoft-Windows-Application-Experience/Program-Telemetry', 'Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant'],
  ntfs: ['Microsoft-Windows-Ntfs/Operational'],
  'hyper-v-worker': ['Microsoft-Windows-Hyper-V-Worker-Admin'],
  'kernel-event-tracing': ['Microsoft-Windows-Kernel-EventTracing/Admin'],
  sense: ['Microsoft-Windows-SENSE/Operational'],
  'servicebus-client': ['Microsoft-ServiceBus-Client'],
  'iis-configuration': ['Microsoft-IIS-Configuration/Operational'],
  ntlm: ['Microsoft-Windows-NTLM/Operational'],
  'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'],
  'terminalservices-remoteconnectionmanager': ['Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational'],
  'rdp-corets': ['Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational'],
  winrm: ['Microsoft-Windows-WinRM/Operational'],
};

/** Windows categories: the service whose channel carries them, and the event ids (and extra conditions) that make them. */
const WINDOWS_CATEGORIES: Readonly<Record<string, readonly { service: string; ids: readonly string[]; conditions?: Record<string, readonly string[]>; renames?: Record<string, string> }[]>> = {
  process_creation: [
    { service: 'sysmon', ids: ['1'] },
    // Security 4688 names the image fields differently.
    { service: 'security', ids: ['4688'], renames: { Image: 'NewProcessName', ParentImage: 'ParentProcessName' } },
  ],
  file_change: [{ service: 'sysmon', ids: ['2'] }],
  network_connection: [{ service: 'sysmon', ids: ['3'] }],
  sysmon_status: [{ service: 'sysmon', ids: ['4', '16'] }],
  process_termination: [{ service: 'sysmon', ids: ['5'] }],
  driver_load: [{ service: 'sysmon', ids: ['6'] }],
  image_load: [{ service: 'sysmon', ids: ['7'] }],
  create_remote_thread: [{ service: 'sysmon', ids: ['8'] }],
  raw_access_thread: [{ service: 'sysmon', ids: ['9'] }],
  process_access: [{ service: 'sysmon', ids: ['10'] }],
  file_event: [{ service: 'sysmon', ids: ['11'] }],
  registry_event: [{ service: 'sysmon', ids: ['12', '13', '14'] }],
  registry_add: [{ service: 'sysmon', ids: ['12'], conditions: { 'winlog.event_data.EventType': ['CreateKey'] } }],
  registry_delete: [{ service: 'sysmon', ids: ['12'], conditions: { 'winlog.event_data.EventType': ['DeleteKey', 'DeleteValue'] } }],
  registry_set: [{ service: 'sysmon', ids: ['13'] }],
  registry_rename: [{ service: 'sysmon', ids: ['14'] }],
  create_stream_hash: [{ service: 'sysmon', ids: ['15'] }],
  pipe_created: [{ service: 'sysmon', ids: ['17', '18'] }],
  wmi_event: [{ service: 'sysmon', ids: ['19', '20', '21'] }],
  dns_query: [{ service: 'sysmon', ids: ['22'] }],
  file_delete: [{ service: 'sysmon', ids: ['23'] }],
  clipboard_change: [{ service: 'sysmon', ids: ['24'] }],
  process_tampering: [{ service: 'sysmon', ids: ['25'] }],
  file_delete_detected: [{ service: 'sysmon', ids: ['26'] }],
  file_block_executable: [{ service: 'sysmon', ids: ['27'] }],
  file_block_shredding: [{ service: 'sysmon', ids: ['28'] }],
  file_executable_detected: [{ service: 'sysmon', ids: ['29'] }],
  sysmon_error: [{ service: 'sysmon', ids: ['255'] }],
  ps_module: [{ service: 'powershell', ids: ['4103'] }],
  ps_script: [{ service: 'powershell', ids: ['4104'] }],
  ps_classic_start: [{ service: 'powershell-classic', ids: ['400'] }],
  ps_classic_provider_start: [{ service: 'powershell-classic', ids: ['600'] }],
  ps_classic_script: [{ service: 'powershell-classic', ids: ['800'] }],
};

/** Fields every Windows event has under a Mamori name of its own. */
const WINDOWS_FIELDS: Readonly<Record<string, string>> = {
  EventID: 'event.code',
  Channel: 'winlog.channel',
  Provider_Name: 'winlog.provider_name',
  Computer: 'host.name',
  Security_UserID: 'winlog.user.identifier',
};

/** Defender detections (`category: antivirus`) as Windows Defender logs them. */
const ANTIVIRUS_IDS = ['1006', '1007', '1008', '1009', '1010', '1011', '1012', '1017', '1018', '1019', '1115', '1116'];

/** Sigma taxonomy field names of the network categories, in ECS. */
const FIREWALL_FIELDS = { src_ip: 'source.ip', dst_ip: 'destination.ip', src_port: 'source.port', dst_port: 'destination.port', action: 'event.action', protocol: 'network.transport', username: 'user.name' };
const PROXY_FIELDS = {
  'c-uri': 'url.full',
  'c-uri-extension': 'url.extension',
  'c-uri-query': 'url.query',
  'c-uri-stem': 'url.path',
  'c-useragent': 'user_agent.original',
  'cs-method': 'http.request.method',
  'cs-host': 'url.domain',
  'cs-referrer': 'http.request.referrer',
  'cs-cookie': 'http.request.cookie',
  'cs-bytes': 'http.request.bytes',
  'sc-bytes': 'http.response.bytes',
  'sc-status': 'http.response.status_code',
  'c-ip': 'source.ip',
  's-ip': 'destination.ip',
  'r-dns': 'url.domain',
  'cs-username': 'user.name',
};
const WEBSERVER_FIELDS = {
  'cs-uri-query': 'url.query',
  'cs-uri-stem': 'url.path',
  'cs-uri': 'url.original',
  'cs-method': 'http.request.method',
  'cs-user-agent': 'user_agent.original',
  'cs-referer': 'http.request.referrer',
  'cs-username': 'user.name',
  'c-ip': 'source.ip',
  'sc-status': 'http.response.status_code',
  'cs-host': 'url.domain',
};
const DNS_FIELDS = { query: 'dns.question.name', QueryName: 'dns.question.name', answer: 'dns.answers.data', record_type: 'dns.question.type', src_ip: 'source.ip', dst_ip: 'destination.ip' };

/** Parsers (event.module) whose events each network category covers. */
const NETWORK_CATEGORIES: Readonly<Record<string, SourceBranch>> = {
  firewall: { conditions: { 'event.module': ['cisco-asa', 'panos', 'fortigate', 'juniper-srx', 'checkpoint', 'iptables', 'cef', 'leef'] }, renames: FIREWALL_FIELDS },
  proxy: { conditions: { 'event.module': ['squid', 'bluecoat'] }, renames: PROXY_FIELDS },
  webserver: { conditions: { 'event.module': ['apache', 'nginx'] }, renames: WEBSERVER_FIELDS },
  dns: { conditions: { 'event.dataset': ['zeek.dns', 'suricata-eve.dns'] }, renames: DNS_FIELDS },
};

/** Linux services, by the parser or program that produces them. */
const LINUX_SERVICES: Readonly<Record<string, SourceBranch>> = {
  auth: { conditions: { 'event.module': ['linux-auth'] } },
  sshd: { conditions: { 'event.module': ['linux-auth'], 'process.name': ['sshd', 'sshd-session', 'sshd-auth'] } },
  sudo: { conditions: { 'event.module': ['linux-auth'], 'process.name': ['sudo'] } },
  syslog: { conditions: { 'event.dataset': ['syslog'] } },
};

function windowsBranches(ls: LogSource): SourceBranch[] | undefined {
  if (ls.category === 'antivirus' && (ls.product === undefined || ls.product === 'windows')) {
    return [{ conditions: { 'winlog.channel': WINDOWS_CHANNELS.windefend, 'event.code': ANTIVIRUS_IDS }, renames: { ...WINDOWS_FIELDS, Signature: 'ThreatName', Filename: 'Path' } }];
  }
  if (ls.product !== 'windows') return undefined;
  if (ls.category !== undefined) {
    const variants = WINDOWS_CATEGORIES[ls.category];
    if (variants === undefined) return undefined;
    return variants
      .filter((v) => ls.service === undefined || v.service === ls.service)
      .map((v) => ({ conditions: { 'winlog.channel': WINDOWS_CHANNELS[v.service], 'event.code': v.ids, ...v.conditions }, renames: { ...WINDOWS_FIELDS, ...v.renames } }));
  }
  if (ls.service !== undefined) {
    const channels = WINDOWS_CHANNELS[ls.service];
    return channels === undefined ? undefined : [{ conditions: { 'winlog.channel': channels }, renames: WINDOWS_FIELDS }];
  }
  // `product: windows` alone: every Windows event.
  return [{ conditions: { 'event.module': ['windows'] }, renames: WINDOWS_FIELDS }];
}

/**
 * The branches a log source stands for (an event belongs to the source when
 * it satisfies any one of them), or undefined when Mamori has no events of
 * that source (the rule is then reported as not routable, not silently run
 * against everything).
 */
export function branchesFor(ls: LogSource): SourceBranch[] | undefined {
  const windows = windowsBranches(ls);
  if (windows !== undefined) return windows;
  if (ls.product === 'linux' && ls.service !== undefined) {
    const branch = LINUX_SERVICES[ls.service];
    return branch === undefined ? undefined : [branch];
  }
  if (ls.category !== undefined && NETWORK_CATEGORIES[ls.category] !== undefined && (ls.product === undefined || ls.product === 'zeek' || ls.product === 'suricata')) {
    return [NETWORK_CATEGORIES[ls.category]];
  }
  return undefined;
}

function valuesOf(value: EcsValue | undefined): readonly EcsValue[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/**
 * A compiled check that an event belongs to a source, or undefined when the
 * source is unknown. Conditions are lower-cased once here; an event's value
 * is compared per branch, so the check costs a few property reads.
 */
export function logSourceMatcher(ls: LogSource): ((event: MamoriEvent) => SourceBranch | undefined) | undefined {
  const branches = branchesFor(ls);
  if (branches === undefined) return undefined;
  const compiled = branches.map((branch) => ({
    branch,
    checks: Object.entries(branch.conditions).map(([field, values]) => ({ field, values: new Set(values.map((v) => v.toLowerCase())) })),
  }));
  return (event) => {
    for (const { branch, checks } of compiled) {
      let all = true;
      for (const { field, values } of checks) {
        if (!valuesOf(event[field]).some((v) => values.has(String(v).toLowerCase()))) {
          all = false;
          break;
        }
      }
      if (all) return branch;
    }
    return undefined;
  };
}
