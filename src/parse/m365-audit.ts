import type { MamoriEvent } from '../core/event.js';
import {
  flattenSnake,
  isoTime,
  keepUnmapped,
  mapText,
  newBudget,
  readCloudRecord,
  reportDropped,
  setNamedValues,
  setSourceAddress,
  snakeCase,
  text,
  type JsonObject,
} from './cloud-json.js';
import type { FlattenState } from './flatten.js';
import { outcomeOf } from './mapping.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { isoFromMs } from './time.js';

const PREFIX = 'o365.audit.';
/** The Management Activity API delivers a JSON array per content blob; no named wrapper. */
const WRAPPERS: readonly string[] = [];

/** AuditLogRecordType values (Office 365 Management Activity API schema) → name. */
const RECORD_TYPES = new Map<number, string>([
  [1, 'ExchangeAdmin'], [2, 'ExchangeItem'], [3, 'ExchangeItemGroup'], [4, 'SharePoint'], [6, 'SharePointFileOperation'],
  [7, 'OneDrive'], [8, 'AzureActiveDirectory'], [9, 'AzureActiveDirectoryAccountLogon'], [10, 'DataCenterSecurityCmdlet'],
  [11, 'ComplianceDLPSharePoint'], [13, 'ComplianceDLPExchange'], [14, 'SharePointSharingOperation'],
  [15, 'AzureActiveDirectoryStsLogon'], [18, 'SecurityComplianceCenterEOPCmdlet'], [19, 'ExchangeAggregatedOperation'],
  [20, 'PowerBIAudit'], [21, 'CRM'], [22, 'Yammer'], [23, 'SkypeForBusinessCmdlets'], [24, 'Discovery'],
  [25, 'MicrosoftTeams'], [26, 'MicrosoftTeamsAddOns'], [27, 'MicrosoftTeamsSettingsOperation'], [28, 'ThreatIntelligence'],
  [29, 'MailSubmission'], [30, 'MicrosoftFlow'], [31, 'AeD'], [32, 'MicrosoftStream'], [35, 'Project'],
  [36, 'SharePointListOperation'], [37, 'SharePointCommentOperation'], [38, 'DataGovernance'], [40, 'SecurityComplianceAlerts'],
  [41, 'ThreatIntelligenceUrl'], [42, 'SecurityComplianceInsights'], [43, 'MIPLabel'], [44, 'WorkplaceAnalytics'],
  [45, 'PowerAppsApp'], [46, 'PowerAppsPlan'], [47, 'ThreatIntelligenceAtpContent'], [48, 'LabelContentExplorer'],
  [50, 'ExchangeItemAggregated'], [51, 'HygieneEvent'], [52, 'DataInsightsRestApiAudit'], [54, 'SharePointListItemOperation'],
  [57, 'MicrosoftTeamsAdmin'], [59, 'MicrosoftTeamsDevice'], [62, 'Campaign'], [63, 'DLPEndpoint'], [64, 'AirInvestigation'],
  [65, 'Quarantine'], [66, 'MicrosoftForms'], [78, 'WDATPAlerts'], [85, 'AttackSim'], [86, 'AirManualInvestigation'],
  [87, 'SecurityComplianceRBAC'], [89, 'AirAdminActionInvestigation'], [98, 'MCASAlerts'],
]);

/** Record types that report a detection rather than an activity. */
const ALERT_TYPES = new Set([28, 40, 41, 47, 78, 98]);
const LOGON_TYPES = new Set([9, 15]);
const LOGON_OPERATIONS = new Map([
  ['UserLoggedIn', 'start'],
  ['UserLoginFailed', 'start'],
  ['MailboxLogin', 'start'],
  ['TeamsSessionStarted', 'start'],
  ['UserLoggedOut', 'end'],
]);
const MAIL_TYPES = new Set([2, 3, 29, 50]);
const MAIL_OPERATIONS = new Set(['MailItemsAccessed', 'Send', 'SendAs', 'SendOnBehalf']);
const FILE_WORKLOADS = new Set(['SharePoint', 'OneDrive']);
const CMDLET_WORKLOADS = new Set(['Exchange', 'SecurityComplianceCenter']);

/** ECS event.type by the verb an operation starts with (cmdlets `Verb-Noun`, directory operations `Verb object.`). */
const VERB_TYPES = new Map([
  ['New', 'creation'], ['Add', 'creation'], ['Create', 'creation'],
  ['Remove', 'deletion'], ['Delete', 'deletion'],
  ['Set', 'change'], ['Update', 'change'], ['Enable', 'change'], ['Disable', 'change'], ['Reset', 'change'],
  ['Change', 'change'], ['Restore', 'change'], ['Install', 'change'], ['Uninstall', 'change'],
  ['Get', 'access'], ['Test', 'access'], ['Search', 'access'],
]);
/** SharePoint / OneDrive `File<Verb>` operations by the verb's start. */
const FILE_VERBS: ReadonlyArray<readonly [string, string]> = [
  ['Accessed', 'access'], ['Previewed', 'access'], ['Downloaded', 'access'], ['SyncDownloaded', 'access'], ['Viewed', 'access'],
  ['Uploaded', 'creation'], ['SyncUploaded', 'creation'], ['Copied', 'creation'], ['Created', 'creation'],
  ['Deleted', 'deletion'], ['Recycled', 'deletion'],
];
const SEVERITIES = new Map([['informational', 1], ['low', 3], ['medium', 6], ['high', 8]]);

/** `[{Name, Value}]` lists, flattened to `<list>.<Name>`. */
const NAME_VALUE_LISTS = ['Parameters', 'ExtendedProperties', 'OperationProperties', 'DeviceProperties'];
const NAME_VALUE = [['Value', '']] as const;
const OLD_NEW = [['OldValue', '.old_value'], ['NewValue', '.new_value']] as const;

/** Members mapped here rather than flattened. */
const MAPPED: ReadonlySet<string> = new Set([
  'CreationTime', 'Operation', 'Workload', 'OrganizationId', 'RecordType', 'UserId', 'UserKey', 'ClientIP', 'UserAgent',
  'SourceFileName', 'SourceFileExtension', 'LogonError', 'ErrorNumber', 'ModifiedProperties', ...NAME_VALUE_LISTS,
]);

function verbType(operation: string, separator: number): string | undefined {
  const end = operation.indexOf(separator === 45 ? '-' : ' ');
  return end > 0 ? VERB_TYPES.get(operation.slice(0, end)) : undefined;
}

function fileType(operation: string): string {
  for (const [verb, type] of FILE_VERBS) if (operation.startsWith(verb, 4)) return type;
  return 'change';
}

/** Exchange / Security & Compliance cmdlet names: `Verb-Noun`, no spaces. */
function isCmdlet(operation: string): boolean {
  const dash = operation.indexOf('-');
  return dash > 0 && operation.indexOf(' ') < 0;
}

/** Cmdlets and directory operations that change who may do what. */
function isIamOperation(operation: string): boolean {
  return operation.includes('Role') || operation.includes('Permission') || operation.includes(' role') || operation.includes(' member');
}

interface Classification {
  kind: string;
  category?: string;
  types?: string[];
}

function classify(recordType: number | undefined, operation: string, workload: string | undefined): Classification {
  if (recordType !== undefined && ALERT_TYPES.has(recordType)) return { kind: 'alert', category: 'threat', types: ['indicator'] };
  const logon = LOGON_OPERATIONS.get(operation);
  if (logon !== undefined || (recordType !== undefined && LOGON_TYPES.has(recordType))) {
    return { kind: 'event', category: 'authentication', types: [logon ?? 'start'] };
  }
  if (recordType === 6 || (workload !== undefined && FILE_WORKLOADS.has(workload) && operation.startsWith('File'))) {
    return { kind: 'event', category: 'file', types: [fileType(operation)] };
  }
  if ((recordType !== undefined && MAIL_TYPES.has(recordType)) || MAIL_OPERATIONS.has(operation)) {
    return { kind: 'event', category: 'email', types: ['info'] };
  }
  if (recordType === 8) {
    // Directory operations read `Add member to role.`, `Update user.`: membership changes are changes, not creations.
    const iamVerb = verbType(operation, 32);
    const type = operation.includes(' member') ? 'change' : iamVerb === undefined || iamVerb === 'access' ? 'info' : iamVerb;
    const types = [type];
    if (operation.includes(' group')) types.unshift('group');
    else if (operation.includes(' user')) types.unshift('user');
    return { kind: 'event', category: 'iam', types };
  }
  if ((recordType === 1 || recordType === 18 || (workload !== undefined && CMDLET_WORKLOADS.has(workload))) && isCmdlet(operation)) {
    const type = verbType(operation, 45) ?? 'info';
    if (isIamOperation(operation)) return { kind: 'event', category: 'iam', types: [type === 'access' ? 'info' : type] };
    return { kind: 'event', category: 'configuration', types: [type] };
  }
  return { kind: 'event' };
}

function outcome(status: string | undefined, operation: string): string | undefined {
  if (operation === 'UserLoginFailed') return 'failure';
  if (status === undefined) return undefined;
  const lower = status.toLowerCase();
  if (lower === 'true' || lower === 'partiallysucceeded') return 'success';
  if (lower === 'false') return 'failure';
  return outcomeOf(status);
}

/** `m365-audit.<workload>` for workload names that are plain words, so a hostile value cannot shape dataset names. */
function datasetOf(workload: string | undefined): string {
  if (workload === undefined || workload.length > 40) return 'm365-audit.other';
  for (let i = 0; i < workload.length; i++) {
    const c = workload.charCodeAt(i) | 32;
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return 'm365-audit.other';
  }
  return 'm365-audit.' + workload.toLowerCase();
}

function setUser(event: MamoriEvent, record: JsonObject, state: FlattenState): void {
  const user = mapText(event, 'user.name', record, 'UserId', PREFIX, state);
  if (user !== undefined && user.includes('@')) event['user.email'] = user;
  mapText(event, 'user.id', record, 'UserKey', PREFIX, state);
}

/** `ClientIP`, else the address members some workloads write instead (kept as they are too). */
function setSource(event: MamoriEvent, record: JsonObject, state: FlattenState): void {
  if (setSourceAddress(event, record.ClientIP)) return;
  keepUnmapped(event, record, 'ClientIP', PREFIX, state);
  if (!setSourceAddress(event, record.ActorIpAddress)) setSourceAddress(event, record.ClientIPAddress);
}

/** SharePoint / OneDrive object URL: `url.full` and its host. */
function setUrl(event: MamoriEvent, objectId: string | undefined): void {
  if (objectId === undefined || !(objectId.startsWith('https://') || objectId.startsWith('http://'))) return;
  event['url.full'] = objectId;
  const start = objectId.indexOf('//') + 2;
  let end = start;
  while (end < objectId.length) {
    const c = objectId.charCodeAt(end);
    if (c === 47 || c === 58 || c === 63 || c === 35) break;
    end++;
  }
  if (end > start) event['url.domain'] = objectId.slice(start, end);
}

/** Security & Compliance alerts: the alert policy and its severity. */
function setAlert(event: MamoriEvent, record: JsonObject): void {
  const name = text(record.Name);
  if (name !== undefined) event['rule.name'] = name;
  const category = text(record.Category);
  if (category !== undefined) event['rule.category'] = category;
  const severity = SEVERITIES.get(String(record.Severity).toLowerCase());
  if (severity !== undefined) event['event.severity'] = severity;
}

function setLists(event: MamoriEvent, record: JsonObject, state: FlattenState): void {
  for (const list of NAME_VALUE_LISTS) {
    setNamedValues(event, record[list], 'Name', NAME_VALUE, PREFIX + snakeCase(list) + '.', state);
  }
  setNamedValues(event, record.ModifiedProperties, 'Name', OLD_NEW, PREFIX + 'modified_properties.', state);
}

export const m365Audit: Parser = {
  name: 'm365-audit',
  description: 'Microsoft 365 unified audit log records (Office 365 Management Activity API), one JSON record per line',
  sniff(line: string): boolean {
    return line.indexOf('"RecordType"') >= 0 && line.indexOf('"CreationTime"') >= 0;
  },
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const record = readCloudRecord(line, WRAPPERS);
    const operation = text(record.Operation);
    const workload = text(record.Workload);
    if (operation === undefined || record.CreationTime === undefined || (record.RecordType === undefined && workload === undefined)) {
      throw new ParseError('not a Microsoft 365 audit record: no CreationTime, Operation or RecordType');
    }
    const state = newBudget();
    const recordType = typeof record.RecordType === 'number' && Number.isSafeInteger(record.RecordType) ? record.RecordType : undefined;
    // The API writes times in UTC without a zone designator.
    const ms = isoTime(record.CreationTime, 'UTC');
    const { kind, category, types } = classify(recordType, operation, workload);
    const event: MamoriEvent = {
      '@timestamp': isoFromMs(Number.isNaN(ms) ? ctx.received : ms),
      'event.kind': kind,
      'event.module': 'm365-audit',
      'event.dataset': datasetOf(workload),
      'event.action': operation,
      'cloud.provider': 'azure',
    };
    if (category !== undefined) {
      event['event.category'] = [category];
      event['event.type'] = types;
    }
    if (Number.isNaN(ms)) keepUnmapped(event, record, 'CreationTime', PREFIX, state);
    if (recordType !== undefined) {
      event[PREFIX + 'record_type'] = RECORD_TYPES.get(recordType) ?? String(recordType);
      event[PREFIX + 'record_type_id'] = recordType;
    } else {
      keepUnmapped(event, record, 'RecordType', PREFIX, state);
    }
    mapText(event, 'event.provider', record, 'Workload', PREFIX, state);
    mapText(event, 'cloud.account.id', record, 'OrganizationId', PREFIX, state);
    const result = outcome(text(record.ResultStatus), operation);
    if (result !== undefined) event['event.outcome'] = result;
    setUser(event, record, state);
    setSource(event, record, state);
    mapText(event, 'file.name', record, 'SourceFileName', PREFIX, state);
    mapText(event, 'file.extension', record, 'SourceFileExtension', PREFIX, state);
    setUrl(event, text(record.ObjectId));
    mapText(event, 'error.message', record, 'LogonError', PREFIX, state);
    // Successful logons carry ErrorNumber 0: not an error code.
    const errorNumber = record.ErrorNumber;
    if ((typeof errorNumber === 'number' || typeof errorNumber === 'string') && errorNumber !== '' && String(errorNumber) !== '0') {
      event['error.code'] = String(errorNumber);
    } else {
      keepUnmapped(event, record, 'ErrorNumber', PREFIX, state);
    }
    if (recordType === 40) setAlert(event, record);

    flattenSnake(event, record, PREFIX, state, MAPPED);
    setLists(event, record, state);
    if (mapText(event, 'user_agent.original', record, 'UserAgent', PREFIX, state) === undefined) {
      const agent = event[PREFIX + 'extended_properties.UserAgent'];
      if (typeof agent === 'string' && agent.length > 0) event['user_agent.original'] = agent;
    }
    reportDropped(event, state);
    return event;
  },
};
