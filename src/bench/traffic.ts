/**
 * Realistic multi-tenant SOC traffic for the benchmarks: the syslog lines a
 * customer's firewalls, IDS sensors, proxies, DNS and mail servers and
 * Windows log forwarders send, in the formats Mamori's `auto` parser reads.
 * Everything is drawn from seeded pools with a deterministic PRNG, so two
 * runs with the same seed send the same bytes.
 */

/** The device families the generator imitates; each maps to one line shape. */
export type TrafficKind = 'firewall' | 'ids' | 'proxy' | 'dns' | 'mail' | 'windows';

/** The parser `auto` must pick for a generated line (the unit tests check it does). */
export type TrafficFormat = 'cef' | 'rfc5424' | 'rfc3164' | 'postfix';

export const TRAFFIC_KINDS: readonly TrafficKind[] = ['firewall', 'ids', 'proxy', 'dns', 'mail', 'windows'];

/** Share of each kind in a SOC's daily volume (firewalls dominate, IDS alerts are rare). */
const MIX: ReadonlyArray<[TrafficKind, number]> = [
  ['firewall', 40],
  ['dns', 20],
  ['proxy', 17],
  ['windows', 13],
  ['mail', 6],
  ['ids', 4],
];
const MIX_TOTAL = MIX.reduce((sum, [, weight]) => sum + weight, 0);

/** A small, fast PRNG (mulberry32): deterministic for a seed, good enough for test data. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'tanaka', 'suzuki', 'sato', 'yamada', 'svc-backup', 'administrator'];
const DOMAINS = [
  'example.com', 'example.co.jp', 'intranet.example.local', 'cdn.example.net', 'login.example.org', 'mail.example.jp',
  'updates.example.com', 'api.example.io', 'files.example.net', 'xn--eckwd4c7c.example.jp', 'tracker.example.biz',
];
const URL_PATHS = ['/', '/index.html', '/login', '/api/v1/items?page=2&sort=asc', '/static/app.js', '/download/setup.exe', '/search?q=report+2024'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'CONNECT'];
const USER_AGENTS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'curl/8.5.0', 'Microsoft-CryptoAPI/10.0', 'python-requests/2.31'];
const SERVICES: ReadonlyArray<[number, string]> = [[443, 'TCP'], [80, 'TCP'], [53, 'UDP'], [22, 'TCP'], [3389, 'TCP'], [445, 'TCP'], [123, 'UDP'], [25, 'TCP']];
const DNS_TYPES = ['A', 'A', 'AAAA', 'MX', 'TXT', 'PTR'];
const SIGNATURES: ReadonlyArray<[string, string, number]> = [
  ['2019401', 'ET POLICY Vulnerable Java Version 1.8.x Detected', 5],
  ['2027865', 'ET INFO Observed DNS Query to .cloud TLD', 3],
  ['2024897', 'ET USER_AGENTS Go HTTP Client User-Agent', 3],
  ['2008581', 'ET P2P BitTorrent DHT ping request', 4],
  ['2001219', 'ET SCAN Potential SSH Scan', 7],
  ['2013028', 'ET POLICY curl User-Agent Outbound', 3],
  ['2210054', 'SURICATA STREAM excessive retransmissions', 2],
  ['2030358', 'ET EXPLOIT Possible CVE-2020-1472 Zerologon', 9],
];
const LOGONS: ReadonlyArray<[string, string, string]> = [
  ['4624', 'An account was successfully logged on.', 'Audit Success'],
  ['4625', 'An account failed to log on.', 'Audit Failure'],
  ['4634', 'An account was logged off.', 'Audit Success'],
  ['4672', 'Special privileges assigned to new logon.', 'Audit Success'],
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Addresses and names of one imagined customer site, so each tenant's traffic looks like its own network. */
interface Site {
  /** Second octet of the site's 10.x.0.0/16 internal network. */
  net: number;
  firewalls: string[];
  hosts: string[];
}

function siteOf(rnd: Random, index: number): Site {
  const firewalls = [`fw-${index}-a`, `fw-${index}-b`];
  const hosts: string[] = [];
  for (let i = 0; i < 8; i++) hosts.push(`${rnd.pick(['PC', 'WS', 'SRV'])}-${index}${String(rnd.int(100, 999))}`);
  return { net: 1 + (index % 250), firewalls, hosts };
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** `Mar  4 08:59:37` (RFC 3164, UTC, day padded with a space). */
function bsdTime(ms: number): string {
  const d = new Date(ms);
  const day = d.getUTCDate();
  return `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ' ' : ''}${day} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

const isoTime = (ms: number): string => new Date(ms).toISOString();

interface Generated {
  format: TrafficFormat;
  line: string;
}

const gen = (format: TrafficFormat, line: string): Generated => ({ format, line });

/** Everything one line generator needs. */
interface Ctx {
  rnd: Random;
  site: Site;
  /** The line's event time in epoch ms. */
  time: number;
}

const internalIp = ({ rnd, site }: Ctx): string => `10.${site.net}.${rnd.int(0, 15)}.${rnd.int(2, 254)}`;
/** Public addresses from the documentation ranges (RFC 5737), so nothing real is named. */
const externalIp = ({ rnd }: Ctx): string => `${rnd.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rnd.int(1, 254)}`;

function firewallLine(c: Ctx): Generated {
  const { rnd } = c;
  const [dpt, proto] = rnd.pick(SERVICES);
  const deny = rnd.next() < 0.25;
  const src = internalIp(c);
  const dst = externalIp(c);
  const spt = rnd.int(1024, 65535);
  const inBytes = deny ? 0 : rnd.int(60, 2_000_000);
  const outBytes = deny ? 0 : rnd.int(60, 200_000);
  const fw = rnd.pick(c.site.firewalls);
  if (rnd.next() < 0.6) {
    const act = deny ? 'deny' : 'accept';
    return gen('cef',
      `<189>${bsdTime(c.time)} ${fw} CEF:0|Fortinet|FortiGate|7.2.5|00000000${deny ? '14' : '13'}|traffic:forward ${act}|${deny ? 4 : 3}|` +
      `src=${src} dst=${dst} spt=${spt} dpt=${dpt} proto=${proto} act=${act} in=${inBytes} out=${outBytes} ` +
      `deviceInboundInterface=port${rnd.int(1, 8)} deviceOutboundInterface=wan1 dvchost=${fw} cs1Label=policyid cs1=${rnd.int(1, 120)}`
    );
  }
  const act = deny ? 'drop' : 'allow';
  return gen('cef',
    `<14>${bsdTime(c.time)} ${fw} CEF:0|Palo Alto Networks|PAN-OS|10.2.4|end|TRAFFIC|${deny ? 5 : 1}|rt=${c.time} ` +
    `src=${src} dst=${dst} sourceTranslatedAddress=198.51.100.1 spt=${spt} dpt=${dpt} proto=${proto} act=${act} ` +
    `suser=${rnd.pick(USERS)} app=${dpt === 443 ? 'ssl' : dpt === 53 ? 'dns' : 'incomplete'} in=${inBytes} out=${outBytes} ` +
    `deviceExternalId=0079${rnd.int(10000000, 99999999)} cs1Label=Rule cs1=${act === 'allow' ? 'allow-outbound' : 'default-deny'}`
  );
}

function idsLine(c: Ctx): Generated {
  const { rnd } = c;
  const [sid, name, severity] = rnd.pick(SIGNATURES);
  const [dpt, proto] = rnd.pick(SERVICES);
  const inbound = rnd.next() < 0.4;
  const src = inbound ? externalIp(c) : internalIp(c);
  const dst = inbound ? internalIp(c) : externalIp(c);
  const sensor = `ids-${c.site.net}`;
  if (rnd.next() < 0.5) {
    return gen('cef',
      `<${severity >= 7 ? 161 : 164}>${bsdTime(c.time)} ${sensor} CEF:0|OISF|Suricata|7.0.2|${sid}|${name}|${severity}|` +
      `src=${src} dst=${dst} spt=${rnd.int(1024, 65535)} dpt=${dpt} proto=${proto} act=alert ` +
      `cs1Label=signature_id cs1=${sid} cs2Label=rev cs2=${rnd.int(1, 12)} dvchost=${sensor}`
    );
  }
  return gen('cef',
    `<${severity >= 7 ? 161 : 164}>${bsdTime(c.time)} ${sensor} CEF:0|Cisco|Snort|3.1.74|1:${sid}:${rnd.int(1, 9)}|${name}|${severity}|` +
    `src=${src} dst=${dst} spt=${rnd.int(1024, 65535)} dpt=${dpt} proto=${proto} act=${severity >= 7 ? 'blocked' : 'alert'} dvchost=${sensor}`
  );
}

const SD_SPECIAL = /[\\"\]]/g;
/** RFC 5424 PARAM-VALUE escaping (§6.3.3). */
const sdValue = (s: string): string => s.replace(SD_SPECIAL, '\\$&');

function proxyLine(c: Ctx): Generated {
  const { rnd } = c;
  const method = rnd.pick(METHODS);
  const domain = rnd.pick(DOMAINS);
  const url = method === 'CONNECT' ? `${domain}:443` : `https://${domain}${rnd.pick(URL_PATHS)}`;
  const status = rnd.pick([200, 200, 200, 204, 301, 304, 403, 404, 407, 502]);
  const bytes = rnd.int(200, 500_000);
  const client = internalIp(c);
  const user = rnd.pick(USERS);
  const proxy = `proxy-${c.site.net}`;
  if (rnd.next() < 0.7) {
    return gen('rfc5424',
      `<134>1 ${isoTime(c.time)} ${proxy} squid ${rnd.int(1000, 9999)} access ` +
      `[http@32473 method="${method}" url="${sdValue(url)}" status="${status}" bytes="${bytes}" user="${user}" client="${client}"] ` +
      `${client} TCP_${status < 400 ? 'MISS' : 'DENIED'}/${status} ${bytes} ${method} ${url} ${user} HIER_DIRECT/${externalIp(c)} text/html`
    );
  }
  return gen('cef',
    `<134>${bsdTime(c.time)} ${proxy} CEF:0|Zscaler|NSSWeblog|6.1|${status < 400 ? 'Allowed' : 'Blocked'}|${method} ${domain}|3|` +
    `src=${client} dst=${externalIp(c)} suser=${user} requestMethod=${method} request=${url} ` +
    `requestClientApplication=${rnd.pick(USER_AGENTS)} outcome=${status} out=${bytes} dhost=${domain}`
  );
}

function dnsLine(c: Ctx): Generated {
  const { rnd } = c;
  const name = rnd.next() < 0.7 ? rnd.pick(DOMAINS) : `${rnd.pick(['www', 'cdn', 'api', 'a1b2c3'])}.${rnd.pick(DOMAINS)}`;
  const server = `ns${rnd.int(1, 2)}`;
  return gen('rfc3164',
    `<30>${bsdTime(c.time)} ${server} named[${rnd.int(400, 1400)}]: client @0x7f${rnd.int(100000, 999999)} ${internalIp(c)}#${rnd.int(1024, 65535)} ` +
    `(${name}): query: ${name} IN ${rnd.pick(DNS_TYPES)} +${rnd.next() < 0.5 ? 'E(0)' : ''} (10.${c.site.net}.0.53)`
  );
}

const hex = (rnd: Random, digits: number): string => {
  let s = '';
  for (let i = 0; i < digits; i++) s += '0123456789ABCDEF'[rnd.int(0, 15)];
  return s;
};

function mailLine(c: Ctx): Generated {
  const { rnd } = c;
  const queueId = hex(rnd, 10);
  const head = `<22>${bsdTime(c.time)} mx${c.site.net}`;
  const pid = rnd.int(1000, 30000);
  const from = `${rnd.pick(USERS)}@${rnd.pick(DOMAINS)}`;
  switch (rnd.int(0, 3)) {
    case 0:
      return gen('postfix', `${head} postfix/smtpd[${pid}]: connect from unknown[${externalIp(c)}]`);
    case 1:
      return gen('postfix', `${head} postfix/qmgr[${pid}]: ${queueId}: from=<${from}>, size=${rnd.int(800, 9_000_000)}, nrcpt=${rnd.int(1, 5)} (queue active)`);
    case 2:
      return gen('postfix',
        `${head} postfix/smtp[${pid}]: ${queueId}: to=<${rnd.pick(USERS)}@${rnd.pick(DOMAINS)}>, relay=mx.${rnd.pick(DOMAINS)}[${externalIp(c)}]:25, ` +
        `delay=${(rnd.next() * 3).toFixed(2)}, delays=0.1/0/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 OK ${queueId})`
      );
    default:
      return gen('postfix', `${head} postfix/smtpd[${pid}]: NOQUEUE: reject: RCPT from unknown[${externalIp(c)}]: 554 5.7.1 <${from}>: Relay access denied; proto=ESMTP helo=<mail.example.biz>`);
  }
}

function windowsLine(c: Ctx): Generated {
  const { rnd } = c;
  const [id, msg, keyword] = rnd.pick(LOGONS);
  const host = `${rnd.pick(c.site.hosts)}.corp${c.site.net}.example`;
  const user = rnd.pick(USERS);
  const cee = {
    source: host,
    msg,
    nteventlogtype: 'Security',
    sourceproc: 'Microsoft-Windows-Security-Auditing',
    id,
    categoryid: '12544',
    category: 'Logon',
    keyword,
    level: 'Information',
    user: `CORP${c.site.net}\\${user}`,
    TargetUserName: user,
    TargetDomainName: `CORP${c.site.net}`,
    LogonType: String(rnd.pick([2, 3, 3, 3, 10])),
    IpAddress: internalIp(c),
    IpPort: String(rnd.int(1024, 65535)),
    WorkstationName: rnd.pick(c.site.hosts),
    LogonProcessName: 'NtLmSsp',
    AuthenticationPackageName: rnd.pick(['NTLM', 'Kerberos', 'Negotiate']),
  };
  return gen('rfc5424', `<134>1 ${isoTime(c.time)} ${host} EvntSLog - - - @cee: ${JSON.stringify(cee)}`);
}

const GENERATORS: Readonly<Record<TrafficKind, (c: Ctx) => Generated>> = {
  firewall: firewallLine,
  ids: idsLine,
  proxy: proxyLine,
  dns: dnsLine,
  mail: mailLine,
  windows: windowsLine,
};

export interface TrafficOptions {
  seed: number;
  /** Number of lines. */
  count: number;
  /** Event times are spread over the five seconds before this instant (epoch ms). */
  now: number;
  /** Distinct customer sites the lines are drawn from (default 8). */
  sites?: number;
}

export interface TrafficLine extends Generated {
  kind: TrafficKind;
}

function pickKind(rnd: Random): TrafficKind {
  let r = rnd.next() * MIX_TOTAL;
  for (const [kind, weight] of MIX) {
    r -= weight;
    if (r < 0) return kind;
  }
  return MIX[MIX.length - 1][0];
}

/** Generates `count` lines of mixed traffic; the same options give the same lines. */
export function generateTraffic(options: TrafficOptions): TrafficLine[] {
  const rnd = new Random(options.seed);
  const sites: Site[] = [];
  for (let i = 0; i < (options.sites ?? 8); i++) sites.push(siteOf(rnd, i + 1));
  const out: TrafficLine[] = new Array(options.count);
  for (let i = 0; i < options.count; i++) {
    const kind = pickKind(rnd);
    const time = options.now - rnd.int(0, 5_000);
    out[i] = { kind, ...GENERATORS[kind]({ rnd, site: rnd.pick(sites), time }) };
  }
  return out;
}

/** APP-NAME of probe lines; with the PROCID it lets the bench find a probe through typed columns. */
export const PROBE_APP = 'mamori-probe';

/**
 * A latency probe: an RFC 5424 line whose APP-NAME (`event.provider`) marks
 * it and whose PROCID (`process.pid`) is its sequence number, so that one
 * range query on two typed columns finds every outstanding probe.
 */
export function probeLine(seq: number, time: number): string {
  return `<14>1 ${isoTime(time)} mamori-bench ${PROBE_APP} ${seq} probe - ${PROBE_APP}-${seq}`;
}
