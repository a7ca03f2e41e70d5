import type { MamoriEvent } from '../core/event.js';
import { mapAzureEnvelope, splitAzureRecord } from './azure-diagnostic.js';
import {
  flattenAs,
  flattenSnake,
  isObject,
  isoTime,
  keepUnmapped,
  mapText,
  newBudget,
  objectOf,
  readCloudRecord,
  reportDropped,
  setCounted,
  setNamedValues,
  setSourceAddress,
  text,
  type JsonObject,
} from './cloud-json.js';
import { jsonText, type FlattenState } from './flatten.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { isoFromMs } from './time.js';

const PREFIX = 'azure.auditlogs.';
const WRAPPERS = ['records', 'value'];
const MAX_ERROR_DETAIL = 60;

/** Entry members mapped here (ECS fields or their own layout); `initiatedBy` is also kept whole. */
const MAPPED: ReadonlySet<string> = new Set([
  'activityDateTime', 'activityDisplayName', 'correlationId', 'loggedByService', 'resultReason', 'targetResources', 'additionalDetails',
]);

/** Audit categories about identities and their rights; the rest (Policy, Device, DirectoryManagement, ...) is configuration. */
const IAM_CATEGORIES = new Set([
  'UserManagement', 'GroupManagement', 'RoleManagement', 'ApplicationManagement', 'AdministrativeUnit', 'EntitlementManagement',
  'UserManagementAndPermissions', 'Authentication', 'AuthenticationMethods',
]);

const OPERATION_TYPES = new Map([
  ['Add', 'creation'],
  ['Delete', 'deletion'],
  ['Update', 'change'],
  ['Assign', 'change'],
  ['Unassign', 'change'],
]);

const OUTCOMES = new Map([
  ['success', 'success'],
  ['failure', 'failure'],
  ['timeout', 'failure'],
]);

function classify(event: MamoriEvent, entry: JsonObject): void {
  const category = text(entry.category);
  const type = OPERATION_TYPES.get(entry.operationType as string) ?? 'info';
  if (category !== undefined && IAM_CATEGORIES.has(category)) {
    event['event.category'] = ['iam'];
    const types = [type];
    if (category === 'UserManagement') types.unshift('user');
    else if (category === 'GroupManagement') types.unshift('group');
    event['event.type'] = types;
  } else {
    event['event.category'] = ['configuration'];
    event['event.type'] = [type];
  }
}

/** The initiator: a user (name, id, address) or an application, which stays under `initiated_by.app.*`. */
function setInitiator(event: MamoriEvent, entry: JsonObject): void {
  const user = objectOf(objectOf(entry.initiatedBy)?.user);
  if (user === undefined) return;
  const upn = text(user.userPrincipalName);
  if (upn !== undefined) {
    event['user.name'] = upn;
    if (upn.includes('@')) event['user.email'] = upn;
  }
  const id = text(user.id);
  if (id !== undefined) event['user.id'] = id;
  const name = text(user.displayName);
  if (name !== undefined) event['user.full_name'] = name;
  setSourceAddress(event, user.ipAddress);
}

/**
 * The first user and group among the targets become `user.target.*`; every
 * target's modified properties become `modified_properties.<name>.old_value`
 * / `.new_value` (first target wins on a repeated name); the whole list is
 * kept as JSON text, its structure being too irregular for flat fields.
 */
function setTargets(event: MamoriEvent, targets: unknown, state: FlattenState): void {
  if (!Array.isArray(targets)) {
    flattenAs(event, PREFIX + 'target_resources', targets, state);
    return;
  }
  for (const target of targets) {
    if (!isObject(target)) continue;
    if (target.type === 'User' && event['user.target.name'] === undefined) {
      const name = text(target.userPrincipalName) ?? text(target.displayName);
      if (name !== undefined) event['user.target.name'] = name;
      const id = text(target.id);
      if (id !== undefined) event['user.target.id'] = id;
    } else if (target.type === 'Group' && event['user.target.group.name'] === undefined) {
      const name = text(target.displayName);
      if (name !== undefined) event['user.target.group.name'] = name;
      const id = text(target.id);
      if (id !== undefined) event['user.target.group.id'] = id;
    }
    setNamedValues(event, target.modifiedProperties, 'displayName', MODIFIED_VALUES, PREFIX + 'modified_properties.', state);
  }
  setCounted(event, PREFIX + 'target_resources', jsonText(targets), state);
}

const MODIFIED_VALUES = [
  ['oldValue', '.old_value'],
  ['newValue', '.new_value'],
] as const;
const DETAIL_VALUES = [['value', '']] as const;

export const entraAudit: Parser = {
  name: 'entra-audit',
  description: 'Microsoft Entra ID (Azure AD) audit logs: diagnostic settings / Event Hub records and Graph directoryAudit resources',
  sniff(line: string): boolean {
    return line.indexOf('"activityDisplayName"') >= 0;
  },
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const { entry, envelope } = splitAzureRecord(readCloudRecord(line, WRAPPERS));
    const category = text(envelope?.category);
    if (category !== undefined && category !== 'AuditLogs') {
      throw new ParseError(`category "${category.slice(0, MAX_ERROR_DETAIL)}" is not an audit log`);
    }
    if (envelope === undefined && (entry.activityDisplayName === undefined || entry.activityDateTime === undefined)) {
      throw new ParseError('not an Entra ID audit record: no properties, activityDisplayName or activityDateTime');
    }
    const state = newBudget();
    const event: MamoriEvent = {
      '@timestamp': undefined,
      'event.kind': 'event',
      'event.module': 'entra-audit',
      'event.dataset': 'entra-audit.audit',
      'cloud.provider': 'azure',
    };
    mapText(event, 'event.action', entry, 'activityDisplayName', PREFIX, state);
    mapText(event, 'event.provider', entry, 'loggedByService', PREFIX, state);
    mapText(event, 'event.reason', entry, 'resultReason', PREFIX, state);
    mapText(event, 'azure.correlation_id', entry, 'correlationId', PREFIX, state);
    const outcome = OUTCOMES.get(entry.result as string);
    if (outcome !== undefined) event['event.outcome'] = outcome;
    classify(event, entry);
    setInitiator(event, entry);

    let ms = isoTime(entry.activityDateTime, 'UTC');
    if (Number.isNaN(ms)) keepUnmapped(event, entry, 'activityDateTime', PREFIX, state);
    flattenSnake(event, entry, PREFIX, state, MAPPED);
    setNamedValues(event, entry.additionalDetails, 'key', DETAIL_VALUES, PREFIX + 'additional_details.', state);
    if (entry.targetResources !== undefined && entry.targetResources !== null) setTargets(event, entry.targetResources, state);
    if (envelope !== undefined) {
      const envelopeMs = mapAzureEnvelope(event, envelope, PREFIX, state);
      if (Number.isNaN(ms)) ms = envelopeMs;
    }
    event['@timestamp'] = isoFromMs(Number.isNaN(ms) ? ctx.received : ms);
    reportDropped(event, state);
    return event;
  },
};
