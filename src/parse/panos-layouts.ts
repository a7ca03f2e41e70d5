/**
 * Column order of the PAN-OS syslog CSV formats (default, not custom,
 * format) per log type, as documented for PAN-OS 10.x/11.x ("Syslog Field
 * Descriptions"). Names are PAN-OS's own field names; an empty name is a
 * FUTURE_USE column. Older releases write a prefix of these lists, newer
 * ones append columns: the parser maps by position up to what is there.
 */

/** The seven columns every log type starts with. */
const HEAD = ['', 'receive_time', 'serial', 'type', 'subtype', '', 'time_generated'];

/** Columns TRAFFIC and THREAT share after the head (7..30). */
const SESSION = [
  'src', 'dst', 'natsrc', 'natdst', 'rule', 'srcuser', 'dstuser', 'app', 'vsys', 'from', 'to', 'inbound_if',
  'outbound_if', 'logset', '', 'sessionid', 'repeatcnt', 'sport', 'dport', 'natsport', 'natdport', 'flags', 'proto',
  'action',
];

const DG = ['dg_hier_level_1', 'dg_hier_level_2', 'dg_hier_level_3', 'dg_hier_level_4'];

/** Device-ID columns (PAN-OS 10.0+), source then destination. */
const DEVICE_ID = [
  'src_category', 'src_profile', 'src_model', 'src_vendor', 'src_osfamily', 'src_osversion', 'src_host', 'src_mac',
  'dst_category', 'dst_profile', 'dst_model', 'dst_vendor', 'dst_osfamily', 'dst_osversion', 'dst_host', 'dst_mac',
];

const APP_INFO = [
  'subcategory_of_app', 'category_of_app', 'technology_of_app', 'risk_of_app', 'characteristic_of_app',
  'container_of_app', 'tunneled_app', 'is_saas_of_app', 'sanctioned_state_of_app',
];

export const TRAFFIC: readonly string[] = [
  ...HEAD, ...SESSION,
  'bytes', 'bytes_sent', 'bytes_received', 'packets', 'start', 'elapsed', 'category', '', 'seqno', 'actionflags',
  'srcloc', 'dstloc', '', 'pkts_sent', 'pkts_received', 'session_end_reason', ...DG, 'vsys_name', 'device_name',
  'action_source', 'src_uuid', 'dst_uuid', 'tunnelid', 'monitortag', 'parent_session_id', 'parent_start_time',
  'tunnel', 'assoc_id', 'chunks', 'chunks_sent', 'chunks_received', 'rule_uuid', 'http2_connection',
  'link_change_count', 'policy_id', 'link_switches', 'sdwan_cluster', 'sdwan_device_type', 'sdwan_cluster_type',
  'sdwan_site', 'dynusergroup_name', 'xff_ip', ...DEVICE_ID, 'container_id', 'pod_namespace', 'pod_name',
  'src_edl', 'dst_edl', 'hostid', 'serialnumber', 'src_dag', 'dst_dag', 'session_owner', 'high_res_timestamp',
  'nssai_sst', 'nssai_sd', ...APP_INFO, 'offloaded',
];

export const THREAT: readonly string[] = [
  ...HEAD, ...SESSION,
  'misc', 'threatid', 'category', 'severity', 'direction', 'seqno', 'actionflags', 'srcloc', 'dstloc', '',
  'contenttype', 'pcap_id', 'filedigest', 'cloud', 'url_idx', 'user_agent', 'filetype', 'xff', 'referer', 'sender',
  'subject', 'recipient', 'reportid', ...DG, 'vsys_name', 'device_name', '', 'src_uuid', 'dst_uuid',
  'http_method', 'tunnelid', 'monitortag', 'parent_session_id', 'parent_start_time', 'tunnel', 'thr_category',
  'contentver', '', 'assoc_id', 'ppid', 'http_headers', 'url_category_list', 'rule_uuid', 'http2_connection',
  'dynusergroup_name', 'xff_ip', ...DEVICE_ID, 'container_id', 'pod_namespace', 'pod_name', 'src_edl', 'dst_edl',
  'hostid', 'serialnumber', 'domain_edl', 'src_dag', 'dst_dag', 'partial_hash', 'high_res_timestamp', 'reason',
  'justification', 'nssai_sst', ...APP_INFO, 'cloud_reportid', 'cluster_name', 'flow_type',
];

export const SYSTEM: readonly string[] = [
  ...HEAD,
  'vsys', 'eventid', 'object', '', '', 'module', 'severity', 'opaque', 'seqno', 'actionflags', ...DG, 'vsys_name',
  'device_name', '', '', 'high_res_timestamp',
];

export const CONFIG: readonly string[] = [
  ...HEAD,
  'host', 'vsys', 'cmd', 'admin', 'client', 'result', 'path', 'before_change_detail', 'after_change_detail', 'seqno',
  'actionflags', ...DG, 'vsys_name', 'device_name', 'dg_id', 'comment', '', 'high_res_timestamp',
];

/** Log types this parser knows the columns of; others get the head columns only. */
export const LAYOUTS: ReadonlyMap<string, readonly string[]> = new Map([
  ['TRAFFIC', TRAFFIC],
  ['THREAT', THREAT],
  ['SYSTEM', SYSTEM],
  ['CONFIG', CONFIG],
]);

export const HEAD_LAYOUT: readonly string[] = HEAD;
