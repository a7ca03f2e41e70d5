/**
 * Default column orders of Zeek's ASCII (TSV) logs. A TSV line reaches
 * Mamori without its `#fields` header, so the log it belongs to is found
 * from the number of columns and the shape of the values (a `C...` uid,
 * an address, `tcp`/`udp`, `T`/`F`, ...). Orders are those of Zeek 6 and
 * 7 with the base scripts and the default `local.zeek`; where a commonly
 * loaded policy script or a Zeek release adds columns, both layouts are
 * listed.
 */

/** How a column's text is checked and converted (a subset of Zeek's `#types`). */
export type ColumnType =
  | 'time'
  | 'uid'
  | 'fuid'
  | 'addr'
  | 'port'
  | 'count'
  | 'double'
  | 'bool'
  | 'proto'
  | 'tlsversion'
  | 'string'
  | 'list'
  | 'numlist';

export interface Layout {
  /** The log (`_path`) this layout belongs to. */
  path: string;
  names: readonly string[];
  types: readonly ColumnType[];
}

const ID = 'id.orig_h:addr id.orig_p:port id.resp_h:addr id.resp_p:port';
const GEO = 'remote_location.country_code remote_location.region remote_location.city remote_location.latitude:double remote_location.longitude:double';

/** `name[:type]` tokens, type `string` when omitted: the `#fields` and `#types` header lines in one. */
const LAYOUTS: ReadonlyArray<readonly [string, string]> = [
  ['conn', `ts:time uid:uid ${ID} proto:proto service duration:double orig_bytes:count resp_bytes:count conn_state local_orig:bool local_resp:bool missed_bytes:count history orig_pkts:count orig_ip_bytes:count resp_pkts:count resp_ip_bytes:count tunnel_parents:list`],
  // Zeek 7.1 added ip_proto.
  ['conn', `ts:time uid:uid ${ID} proto:proto service duration:double orig_bytes:count resp_bytes:count conn_state local_orig:bool local_resp:bool missed_bytes:count history orig_pkts:count orig_ip_bytes:count resp_pkts:count resp_ip_bytes:count tunnel_parents:list ip_proto:count`],
  ['dns', `ts:time uid:uid ${ID} proto:proto trans_id:count rtt:double query qclass:count qclass_name qtype:count qtype_name rcode:count rcode_name AA:bool TC:bool RD:bool RA:bool Z:count answers:list TTLs:numlist rejected:bool`],
  ['http', `ts:time uid:uid ${ID} trans_depth:count method host uri referrer version user_agent origin request_body_len:count response_body_len:count status_code:count status_msg info_code:count info_msg tags:list username password proxied:list orig_fuids:list orig_filenames:list orig_mime_types:list resp_fuids:list resp_filenames:list resp_mime_types:list`],
  ['ssl', `ts:time uid:uid ${ID} version:tlsversion cipher curve server_name resumed:bool last_alert next_protocol established:bool ssl_history cert_chain_fps:list client_cert_chain_fps:list sni_matches_cert:bool`],
  // policy/protocols/ssl/validate-certs, loaded by the default local.zeek.
  ['ssl', `ts:time uid:uid ${ID} version:tlsversion cipher curve server_name resumed:bool last_alert next_protocol established:bool ssl_history cert_chain_fps:list client_cert_chain_fps:list sni_matches_cert:bool validation_status`],
  // Zeek 3.x / 4.0, still common in long-lived deployments.
  ['ssl', `ts:time uid:uid ${ID} version:tlsversion cipher curve server_name resumed:bool last_alert next_protocol established:bool cert_chain_fuids:list client_cert_chain_fuids:list subject issuer client_subject client_issuer validation_status`],
  ['files', `ts:time fuid:fuid uid:uid ${ID} source depth:count analyzers:list mime_type filename duration:double local_orig:bool is_orig:bool seen_bytes:count total_bytes:count missing_bytes:count overflow_bytes:count timedout:bool parent_fuid:fuid md5 sha1 sha256 extracted extracted_cutoff:bool extracted_size:count`],
  ['notice', `ts:time uid:uid ${ID} fuid:fuid file_mime_type file_desc proto:proto note msg sub src:addr dst:addr p:port n:count peer_descr actions:list email_dest:list suppress_for:double`],
  ['notice', `ts:time uid:uid ${ID} fuid:fuid file_mime_type file_desc proto:proto note msg sub src:addr dst:addr p:port n:count peer_descr actions:list email_dest:list suppress_for:double ${GEO}`],
  ['weird', `ts:time uid:uid ${ID} name addl notice:bool peer source`],
  ['x509', 'ts:time fingerprint certificate.version:count certificate.serial certificate.subject certificate.issuer certificate.not_valid_before:time certificate.not_valid_after:time certificate.key_alg certificate.sig_alg certificate.key_type certificate.key_length:count certificate.exponent certificate.curve san.dns:list san.uri:list san.email:list san.ip:list basic_constraints.ca:bool basic_constraints.path_len:count host_cert:bool client_cert:bool'],
  ['smtp', `ts:time uid:uid ${ID} trans_depth:count helo mailfrom rcptto:list date from to:list cc:list reply_to msg_id in_reply_to subject x_originating_ip:addr first_received second_received last_reply path:list user_agent tls:bool fuids:list is_webmail:bool`],
  ['ssh', `ts:time uid:uid ${ID} version:count auth_success:bool auth_attempts:count direction client server cipher_alg mac_alg compression_alg kex_alg host_key_alg host_key`],
  // policy/protocols/ssh/geo-data, loaded by the default local.zeek.
  ['ssh', `ts:time uid:uid ${ID} version:count auth_success:bool auth_attempts:count direction client server cipher_alg mac_alg compression_alg kex_alg host_key_alg host_key ${GEO}`],
  ['dhcp', 'ts:time uids:list client_addr:addr server_addr:addr mac host_name client_fqdn domain requested_addr:addr assigned_addr:addr lease_time:double client_message server_message msg_types:list duration:double'],
];

function layoutOf(path: string, spec: string): Layout {
  const names: string[] = [];
  const types: ColumnType[] = [];
  for (const token of spec.split(' ')) {
    const colon = token.indexOf(':');
    names.push(colon < 0 ? token : token.slice(0, colon));
    types.push(colon < 0 ? 'string' : (token.slice(colon + 1) as ColumnType));
  }
  return { path, names, types };
}

/** Layouts by column count. */
export const LAYOUTS_BY_WIDTH: ReadonlyMap<number, readonly Layout[]> = (() => {
  const byWidth = new Map<number, Layout[]>();
  for (const [path, spec] of LAYOUTS) {
    const layout = layoutOf(path, spec);
    const list = byWidth.get(layout.names.length) ?? [];
    list.push(layout);
    byWidth.set(layout.names.length, list);
  }
  return byWidth;
})();

/** "conn (21, 22 columns), dns (24), ..." for error messages and docs. */
export function describeLayouts(): string {
  const widths = new Map<string, number[]>();
  for (const [width, layouts] of LAYOUTS_BY_WIDTH) {
    for (const { path } of layouts) widths.set(path, [...(widths.get(path) ?? []), width]);
  }
  return [...widths].map(([path, w]) => `${path} ${w.sort((a, b) => a - b).join('/')}`).join(', ');
}
