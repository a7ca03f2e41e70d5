/**
 * Per-log ECS mapping of Zeek records (after JSON decoding or TSV
 * conversion), following Elastic's Zeek integration: each log has a table
 * of fields that have an ECS home, its `event.category`/`event.type`, and
 * an optional step for values derived from several fields. Everything
 * else stays under `zeek.<log>.<field>`.
 */
import type { EcsValue, MamoriEvent } from '../core/event.js';
import { isIp } from './net.js';
import { setterTable, stringsOf, to, uintOf, type SetterTable, type ValueSetter } from './record-mapping.js';

const COLONS = /:/g;
const DN_ESCAPE = /\\(.)/g;

export interface LogSpec {
  kind: 'event' | 'alert';
  category: readonly string[];
  type: readonly string[];
  fields: SetterTable;
  /** Derives fields from the whole record once the table has run. */
  finish?: (event: MamoriEvent, record: MamoriEvent) => void;
}

/** Fields every log shares (connection id, time, transport). */
export const COMMON_FIELDS: SetterTable = setterTable([
  ['ts', to.time('@timestamp')],
  ['uid', to.string('zeek.session_id')],
  ['id.orig_h', to.ip('source.ip')],
  ['id.orig_p', to.port('source.port')],
  ['id.resp_h', to.ip('destination.ip')],
  ['id.resp_p', to.port('destination.port')],
  ['proto', to.lower('network.transport')],
  ['community_id', to.string('network.community_id')],
  ['_path', to.drop()],
]);

/**
 * Notices repeat the connection id's address or port in src/dst/p: the same
 * value is consumed, a different one stays under the log prefix.
 */
function ifUnset(field: string, setter: ValueSetter): ValueSetter {
  return (event, value, ctx) => {
    const current = event[field];
    return current === undefined ? setter(event, value, ctx) : current === value;
  };
}

/** First string of a list as `field`; the list itself stays under the log prefix. */
function firstString(event: MamoriEvent, field: string, value: EcsValue | undefined): void {
  const list = value === undefined || value === null ? undefined : stringsOf(value);
  if (list !== undefined) event[field] = list[0];
}

// conn --------------------------------------------------------------------

/** conn_state → event.type and outcome: was the connection established, and did it end? */
const CONN_STATES: ReadonlyMap<string, readonly [string[], 'success' | 'failure' | 'unknown']> = new Map([
  ['S0', [['connection', 'start'], 'failure']],
  ['S1', [['connection', 'start'], 'success']],
  ['SF', [['connection', 'end'], 'success']],
  ['REJ', [['connection', 'denied'], 'failure']],
  ['S2', [['connection', 'end'], 'success']],
  ['S3', [['connection', 'end'], 'success']],
  ['RSTO', [['connection', 'end'], 'success']],
  ['RSTR', [['connection', 'end'], 'success']],
  ['RSTOS0', [['connection', 'end'], 'failure']],
  ['RSTRH', [['connection', 'end'], 'failure']],
  ['SH', [['connection', 'end'], 'failure']],
  ['SHR', [['connection', 'end'], 'failure']],
  ['OTH', [['connection'], 'unknown']],
]);

function finishConn(event: MamoriEvent, record: MamoriEvent): void {
  const state = CONN_STATES.get(record.conn_state as string);
  if (state) {
    event['event.type'] = state[0];
    event['event.outcome'] = state[1];
  }
  const orig = record.local_orig;
  const resp = record.local_resp;
  if (typeof orig === 'boolean' && typeof resp === 'boolean') {
    event['network.direction'] = orig ? (resp ? 'internal' : 'outbound') : resp ? 'inbound' : 'external';
  }
}

// dns ---------------------------------------------------------------------

const DNS_FLAGS = ['AA', 'TC', 'RD', 'RA'];

function finishDns(event: MamoriEvent, record: MamoriEvent): void {
  const flags = DNS_FLAGS.filter((f) => record[f] === true);
  if (flags.length > 0) event['dns.header_flags'] = flags;
  const answers = Array.isArray(record.answers) ? record.answers : [];
  const ttls = Array.isArray(record.TTLs) ? record.TTLs : [];
  const objects: EcsValue[] = [];
  const resolved = new Set<string>();
  for (let i = 0; i < answers.length; i++) {
    const data = answers[i];
    if (typeof data !== 'string') continue;
    const ttl = ttls[i];
    objects.push(typeof ttl === 'number' && Number.isFinite(ttl) ? { data, ttl: Math.round(ttl) } : { data });
    if (isIp(data)) resolved.add(data);
  }
  if (objects.length > 0) event['dns.answers'] = objects;
  if (resolved.size > 0) event['dns.resolved_ip'] = [...resolved];
  const answered = record.rcode !== undefined || record.rcode_name !== undefined || answers.length > 0;
  event['dns.type'] = answered ? 'answer' : 'query';
  const rcode = record.rcode_name ?? record.rcode;
  if (rcode !== undefined) event['event.outcome'] = rcode === 'NOERROR' || rcode === 0 ? 'success' : 'failure';
}

// http --------------------------------------------------------------------

function finishHttp(event: MamoriEvent, record: MamoriEvent): void {
  const uri = event['url.original'];
  if (typeof uri === 'string') {
    const q = uri.indexOf('?');
    const path = q < 0 ? uri : uri.slice(0, q);
    if (path.length > 0) event['url.path'] = path;
    if (q >= 0 && q + 1 < uri.length) event['url.query'] = uri.slice(q + 1);
    const host = event['url.domain'];
    // Only origin-form URIs are relative to the Host header; CONNECT and proxy requests carry their own.
    if (typeof host === 'string' && uri.charCodeAt(0) === 47) {
      const port = event['destination.port'];
      event['url.full'] = `http://${host}${typeof port === 'number' && port !== 80 ? `:${port}` : ''}${uri}`;
    } else if (uri.startsWith('http://') || uri.startsWith('https://')) {
      event['url.full'] = uri;
    }
  }
  firstString(event, 'http.request.mime_type', record.orig_mime_types);
  firstString(event, 'http.response.mime_type', record.resp_mime_types);
  const status = event['http.response.status_code'];
  if (typeof status === 'number') event['event.outcome'] = status < 400 ? 'success' : 'failure';
}

// ssl ---------------------------------------------------------------------

/** Zeek's version names (`TLSv12`, `SSLv3`, `DTLSv12`) as ECS tls.version / version_protocol. */
const TLS_VERSIONS: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['SSLv2', ['2.0', 'ssl']],
  ['SSLv3', ['3.0', 'ssl']],
  ['TLSv10', ['1.0', 'tls']],
  ['TLSv11', ['1.1', 'tls']],
  ['TLSv12', ['1.2', 'tls']],
  ['TLSv13', ['1.3', 'tls']],
  ['DTLSv10', ['1.0', 'dtls']],
  ['DTLSv12', ['1.2', 'dtls']],
  ['DTLSv13', ['1.3', 'dtls']],
]);

const tlsVersion: ValueSetter = (event, value) => {
  const known = typeof value === 'string' ? TLS_VERSIONS.get(value) : undefined;
  if (known === undefined) return false;
  event['tls.version'] = known[0];
  event['tls.version_protocol'] = known[1];
  return true;
};

function finishSsl(event: MamoriEvent, record: MamoriEvent): void {
  const fps = record.cert_chain_fps;
  const leaf = Array.isArray(fps) ? fps[0] : undefined;
  if (typeof leaf === 'string' && leaf.length === 64) event['tls.server.hash.sha256'] = leaf.toUpperCase();
  if (typeof record.established === 'boolean') event['event.outcome'] = record.established ? 'success' : 'failure';
}

// files -------------------------------------------------------------------

function finishFiles(event: MamoriEvent, record: MamoriEvent): void {
  if (event['file.size'] === undefined) {
    const seen = uintOf(record.seen_bytes ?? null);
    if (seen !== undefined) event['file.size'] = seen;
  }
}

// x509 --------------------------------------------------------------------

const DN_PARTS: ReadonlyMap<string, string> = new Map([
  ['CN', 'common_name'],
  ['O', 'organization'],
  ['OU', 'organizational_unit'],
  ['C', 'country'],
  ['ST', 'state_or_province'],
  ['L', 'locality'],
]);

/**
 * Splits a distinguished name as Zeek prints it (`CN=a,O=b\, Inc,C=US`, `\,`
 * inside values, `+` between the parts of a multi-valued RDN) into ECS
 * `x509.<side>.<part>` arrays.
 */
function distinguishedName(side: 'subject' | 'issuer'): ValueSetter {
  const field = `x509.${side}.`;
  return (event, value) => {
    if (typeof value !== 'string' || value.length === 0) return false;
    event[field + 'distinguished_name'] = value;
    let start = 0;
    for (let i = 0; i <= value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === 92) {
        i++;
        continue;
      }
      // `,` separates RDNs, `+` the attributes of a multi-valued RDN.
      if (i < value.length && c !== 44 && c !== 43) continue;
      const part = value.slice(start, i);
      start = i + 1;
      const eq = part.indexOf('=');
      const name = eq > 0 ? DN_PARTS.get(part.slice(0, eq).trim()) : undefined;
      if (name === undefined) continue;
      const text = part.slice(eq + 1).replace(DN_ESCAPE, '$1');
      const list = event[field + name];
      if (Array.isArray(list)) list.push(text);
      else event[field + name] = [text];
    }
    return true;
  };
}

const SAN_FIELDS = ['san.dns', 'san.uri', 'san.email', 'san.ip'];

function finishX509(event: MamoriEvent, record: MamoriEvent): void {
  const names = new Set<string>();
  for (const key of SAN_FIELDS) {
    const list = record[key];
    for (const name of (list === undefined || list === null ? undefined : stringsOf(list)) ?? []) names.add(name);
  }
  if (names.size > 0) event['x509.alternative_names'] = [...names];
}

// smtp --------------------------------------------------------------------

/** The address in a header value such as `"Name" <a@b.example>`, else the trimmed value. */
function mailAddress(text: string): string {
  const open = text.lastIndexOf('<');
  const close = text.lastIndexOf('>');
  return (open >= 0 && close > open ? text.slice(open + 1, close) : text).trim();
}

function addresses(field: string): ValueSetter {
  return (event, value) => {
    const list = stringsOf(value);
    if (list === undefined) return false;
    const out = list.map(mailAddress).filter((a) => a.length > 0);
    if (out.length === 0) return false;
    event[field] = out;
    return true;
  };
}

function address(field: string): ValueSetter {
  return (event, value) => {
    if (typeof value !== 'string') return false;
    const a = mailAddress(value);
    if (a.length === 0) return false;
    event[field] = a;
    return true;
  };
}

// ssh ---------------------------------------------------------------------

function finishSsh(event: MamoriEvent, record: MamoriEvent): void {
  if (typeof record.auth_success === 'boolean') event['event.outcome'] = record.auth_success ? 'success' : 'failure';
}

const direction: ValueSetter = (event, value) => {
  const v = typeof value === 'string' ? value.toLowerCase() : '';
  if (v !== 'inbound' && v !== 'outbound') return false;
  event['network.direction'] = v;
  return true;
};

/** `aa:bb:cc:dd:ee:ff` as ECS wants MAC addresses: upper case, dash separated. */
function mac(field: string): ValueSetter {
  return (event, value) => {
    if (typeof value !== 'string' || value.length !== 17) return false;
    for (let i = 0; i < 17; i++) {
      const c = value.charCodeAt(i) | 32;
      const ok = i % 3 === 2 ? c === 58 || c === 45 : (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
      if (!ok) return false;
    }
    event[field] = value.replace(COLONS, '-').toUpperCase();
    return true;
  };
}

// the logs ----------------------------------------------------------------

export const LOGS: ReadonlyMap<string, LogSpec> = new Map<string, LogSpec>([
  ['conn', {
    kind: 'event',
    category: ['network'],
    type: ['connection'],
    fields: setterTable([
      ['service', to.lower('network.protocol')],
      ['duration', to.secondsAsNs('event.duration')],
      ['orig_bytes', to.uint('source.bytes')],
      ['resp_bytes', to.uint('destination.bytes')],
      ['orig_pkts', to.uint('source.packets')],
      ['resp_pkts', to.uint('destination.packets')],
      ['conn_state', to.string('zeek.conn.state')],
      ['ip_proto', to.keyword('network.iana_number')],
    ]),
    finish: finishConn,
  }],
  ['dns', {
    kind: 'event',
    category: ['network'],
    type: ['protocol'],
    fields: setterTable([
      ['query', to.string('dns.question.name')],
      ['qtype_name', to.string('dns.question.type')],
      ['qclass_name', to.string('dns.question.class')],
      ['rcode_name', to.string('dns.response_code')],
      ['trans_id', to.keyword('dns.id')],
      [['answers', 'TTLs'], to.drop()],
    ]),
    finish: finishDns,
  }],
  ['http', {
    kind: 'event',
    category: ['network', 'web'],
    type: ['protocol', 'access'],
    fields: setterTable([
      ['host', to.string('url.domain')],
      ['uri', to.string('url.original')],
      ['method', to.string('http.request.method')],
      ['status_code', to.uint('http.response.status_code')],
      ['user_agent', to.string('user_agent.original')],
      ['referrer', to.string('http.request.referrer')],
      ['request_body_len', to.uint('http.request.body.bytes')],
      ['response_body_len', to.uint('http.response.body.bytes')],
      ['version', to.string('http.version')],
      ['username', to.string('url.username')],
    ]),
    finish: finishHttp,
  }],
  ['ssl', {
    kind: 'event',
    category: ['network'],
    type: ['connection', 'protocol'],
    fields: setterTable([
      ['version', tlsVersion],
      ['cipher', to.string('tls.cipher')],
      ['curve', to.string('tls.curve')],
      ['server_name', to.string('tls.client.server_name')],
      ['resumed', to.bool('tls.resumed')],
      ['established', to.bool('tls.established')],
      ['next_protocol', to.string('tls.next_protocol')],
      ['subject', to.string('tls.server.subject')],
      ['issuer', to.string('tls.server.issuer')],
      ['client_subject', to.string('tls.client.subject')],
      ['client_issuer', to.string('tls.client.issuer')],
    ]),
    finish: finishSsl,
  }],
  ['files', {
    kind: 'event',
    category: ['file'],
    type: ['info'],
    fields: setterTable([
      ['mime_type', to.string('file.mime_type')],
      ['filename', to.string('file.name')],
      ['md5', to.lower('file.hash.md5')],
      ['sha1', to.lower('file.hash.sha1')],
      ['sha256', to.lower('file.hash.sha256')],
      ['total_bytes', to.uint('file.size')],
    ]),
    finish: finishFiles,
  }],
  ['notice', {
    kind: 'alert',
    category: ['intrusion_detection'],
    type: ['info'],
    fields: setterTable([
      ['note', to.string('rule.name')],
      ['msg', to.string('message')],
      ['src', ifUnset('source.ip', to.ip('source.ip'))],
      ['dst', ifUnset('destination.ip', to.ip('destination.ip'))],
      ['p', ifUnset('destination.port', to.port('destination.port'))],
      ['file_mime_type', to.string('file.mime_type')],
    ]),
  }],
  ['weird', {
    kind: 'event',
    category: ['network'],
    type: ['info'],
    fields: setterTable([['name', to.string('rule.name')]]),
  }],
  ['x509', {
    kind: 'event',
    category: ['network'],
    type: ['info'],
    fields: setterTable([
      ['certificate.version', to.keyword('x509.version_number')],
      ['certificate.serial', to.string('x509.serial_number')],
      ['certificate.subject', distinguishedName('subject')],
      ['certificate.issuer', distinguishedName('issuer')],
      ['certificate.not_valid_before', to.time('x509.not_before')],
      ['certificate.not_valid_after', to.time('x509.not_after')],
      ['certificate.key_alg', to.string('x509.public_key_algorithm')],
      ['certificate.sig_alg', to.string('x509.signature_algorithm')],
      ['certificate.key_length', to.uint('x509.public_key_size')],
      ['certificate.exponent', to.uint('x509.public_key_exponent')],
      ['certificate.curve', to.string('x509.public_key_curve')],
      [SAN_FIELDS, to.drop()],
    ]),
    finish: finishX509,
  }],
  ['smtp', {
    kind: 'event',
    category: ['email', 'network'],
    type: ['info', 'protocol'],
    fields: setterTable([
      ['mailfrom', address('email.sender.address')],
      ['from', address('email.from.address')],
      ['to', addresses('email.to.address')],
      ['cc', addresses('email.cc.address')],
      ['reply_to', address('email.reply_to.address')],
      ['subject', to.string('email.subject')],
      ['msg_id', to.string('email.message_id')],
      ['user_agent', to.string('email.x_mailer')],
    ]),
  }],
  ['ssh', {
    kind: 'event',
    category: ['authentication', 'network'],
    type: ['info', 'protocol'],
    fields: setterTable([['direction', direction]]),
    finish: finishSsh,
  }],
  ['dhcp', {
    kind: 'event',
    category: ['network'],
    type: ['connection', 'protocol'],
    fields: setterTable([
      ['client_addr', to.ip('client.ip')],
      ['server_addr', to.ip('server.ip')],
      ['mac', mac('client.mac')],
    ]),
  }],
]);

/** Category and type for logs without their own mapping (ntp, packet_filter, ...). */
export const OTHER_LOG: LogSpec = { kind: 'event', category: ['network'], type: ['info'], fields: new Map() };
