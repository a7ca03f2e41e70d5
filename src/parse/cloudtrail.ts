import type { MamoriEvent } from '../core/event.js';
import {
  flattenAs,
  flattenSnake,
  isoTime,
  keepUnmapped,
  mapText,
  newBudget,
  objectOf,
  readCloudRecord,
  reportDropped,
  snakeCase,
  text,
  type JsonObject,
} from './cloud-json.js';
import { isIp } from './net.js';
import { outcomeOf } from './mapping.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { isoFromMs } from './time.js';

const PREFIX = 'aws.cloudtrail.';
const WRAPPERS = ['Records'];

/** Record members that go to ECS fields only. */
const ECS_MEMBERS = ['eventTime', 'eventSource', 'eventName', 'awsRegion', 'recipientAccountId', 'sourceIPAddress', 'userAgent', 'errorCode', 'errorMessage'];
/** Service-defined payloads: flattened keeping the API's own parameter names. */
const PAYLOADS = ['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails'];
const NOT_STRUCTURE: ReadonlySet<string> = new Set([...ECS_MEMBERS, ...PAYLOADS]);
const PAYLOAD_FIELDS = PAYLOADS.map((key) => [key, PREFIX + snakeCase(key)] as const);

const DATASETS = new Map([
  ['Management', 'cloudtrail.management'],
  ['Data', 'cloudtrail.data'],
  ['Insight', 'cloudtrail.insight'],
  ['NetworkActivity', 'cloudtrail.network_activity'],
]);

/** Calls that sign a principal in or hand out credentials for a session. */
const AUTHENTICATION = new Set([
  'ConsoleLogin', 'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'AssumeRoot', 'GetSessionToken',
  'GetFederationToken', 'GetSigninToken', 'SwitchRole', 'ExitRole', 'RenewRole', 'CheckMfa', 'Federate', 'Authenticate',
  'UserAuthentication', 'CredentialVerification', 'CredentialChallenge',
]);
const IAM_SOURCES = new Set([
  'iam.amazonaws.com', 'sso.amazonaws.com', 'sso-directory.amazonaws.com', 'identitystore.amazonaws.com', 'organizations.amazonaws.com',
]);
/** S3 object calls (data events) that write an object rather than change one's settings. */
const OBJECT_WRITES = new Set(['PutObject', 'CopyObject', 'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload', 'RestoreObject']);

/** ECS event.type of an API call by the verb its name starts with. */
const VERB_TYPES = new Map<string, string>();
for (const [type, verbs] of [
  ['creation', 'Create Run Add Allocate Import Register Copy Upload Issue Request Launch'],
  ['deletion', 'Delete Remove Terminate Deregister Release Purge Cancel'],
  ['change', 'Update Modify Put Set Attach Detach Enable Disable Change Replace Reset Associate Disassociate Start Stop Reboot Tag Untag Authorize Revoke Apply Restore Rotate Accept Reject Upgrade Move Rename Assign Unassign Activate Deactivate Confirm'],
  ['access', 'Get Head List Describe Lookup Search Select Scan Query Download Retrieve Read Filter Decrypt Generate BatchGet Check'],
] as const) {
  for (const verb of verbs.split(' ')) VERB_TYPES.set(verb, type);
}

/** The leading capitalised word of an API name: `RunInstances` → `Run` (`BatchGet…` kept whole). */
function verbOf(name: string): string {
  for (let i = 1; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) return name.startsWith('Batch') && name.startsWith('Get', 5) ? 'BatchGet' : name.slice(0, i);
  }
  return name;
}

function verbType(name: string): string {
  return VERB_TYPES.get(verbOf(name)) ?? 'info';
}

/** Sets event.category and event.type from the call; returns the category. */
function classify(event: MamoriEvent, source: string, name: string): string {
  let category = 'configuration';
  let types: string[];
  const type = verbType(name);
  if (AUTHENTICATION.has(name)) {
    category = 'authentication';
    types = ['start'];
  } else if (IAM_SOURCES.has(source)) {
    category = 'iam';
    types = [type === 'access' ? 'info' : type];
    if (name.includes('Group')) types.unshift('group');
    else if (name.includes('User') || name.includes('LoginProfile') || name.includes('AccessKey')) types.unshift('user');
  } else if (source === 's3.amazonaws.com' && (name.includes('Object') || name.includes('MultipartUpload') || name.startsWith('UploadPart'))) {
    category = 'file';
    types = [OBJECT_WRITES.has(name) ? 'creation' : type];
  } else {
    types = [type];
  }
  event['event.category'] = [category];
  event['event.type'] = types;
  return category;
}

/**
 * The most human-meaningful name of the caller: the IAM user name, else
 * the last part of the ARN (the session name of an assumed role — the
 * person's e-mail for IAM Identity Center — a federated user's name,
 * `root`), else the role that issued the session.
 */
function callerName(identity: JsonObject): string | undefined {
  const name = text(identity.userName);
  if (name !== undefined) return name;
  const arn = text(identity.arn);
  if (arn !== undefined) {
    const tail = arn.slice(Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':')) + 1);
    if (tail.length > 0) return tail;
  }
  return text(objectOf(objectOf(identity.sessionContext)?.sessionIssuer)?.userName);
}

function setUser(event: MamoriEvent, identity: JsonObject): void {
  const name = callerName(identity);
  if (name !== undefined) event['user.name'] = name;
  const id = text(identity.principalId);
  if (id !== undefined) event['user.id'] = id;
  const issuer = objectOf(objectOf(identity.sessionContext)?.sessionIssuer);
  const role = issuer !== undefined && issuer.type === 'Role' ? text(issuer.userName) : undefined;
  if (role !== undefined) event['user.roles'] = [role];
}

/**
 * `sourceIPAddress` is an address, or the service that made the call on the
 * caller's behalf (`ec2.amazonaws.com`); false for anything else (`AWS Internal`).
 */
function setSource(event: MamoriEvent, value: unknown): boolean {
  const s = text(value);
  if (s === undefined) return false;
  if (isIp(s)) event['source.ip'] = s;
  else if (s.includes('.') && !s.includes(' ')) event['source.domain'] = s;
  else return false;
  return true;
}

/** The IAM user or group an IAM call acts on (`CreateUser`, `AddUserToGroup`, `CreateAccessKey`, ...). */
function setIamTarget(event: MamoriEvent, request: JsonObject | undefined): void {
  const user = text(request?.userName);
  if (user !== undefined) event['user.target.name'] = user;
  const group = text(request?.groupName);
  if (group !== undefined) event['user.target.group.name'] = group;
}

function setTls(event: MamoriEvent, tls: JsonObject): void {
  const version = text(tls.tlsVersion);
  if (version !== undefined && version.startsWith('TLSv')) {
    event['tls.version_protocol'] = 'tls';
    event['tls.version'] = version.slice(4);
  }
  const cipher = text(tls.cipherSuite);
  if (cipher !== undefined) event['tls.cipher'] = cipher;
  const host = text(tls.clientProvidedHostHeader);
  if (host !== undefined) event['tls.client.server_name'] = host;
}

/** `s3://bucket/key` of an object call, so file pivots work on S3 data events. */
function setObjectFile(event: MamoriEvent, request: JsonObject | undefined): void {
  const bucket = text(request?.bucketName);
  const key = text(request?.key);
  if (bucket === undefined || key === undefined) return;
  event['file.path'] = `s3://${bucket}/${key}`;
  event['file.name'] = key.slice(key.lastIndexOf('/') + 1);
}

function outcome(record: JsonObject, name: string): 'success' | 'failure' | 'unknown' | undefined {
  if (record.errorCode !== undefined || record.errorMessage !== undefined) return 'failure';
  if (name === 'ConsoleLogin') {
    const result = text(objectOf(record.responseElements)?.ConsoleLogin);
    return result === undefined ? undefined : outcomeOf(result);
  }
  return 'success';
}

export const cloudtrail: Parser = {
  name: 'cloudtrail',
  description: 'AWS CloudTrail records (management, data and Insights events), one JSON record per line',
  sniff(line: string): boolean {
    return line.indexOf('"eventVersion"') >= 0 && line.indexOf('"eventSource"') >= 0;
  },
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const record = readCloudRecord(line, WRAPPERS);
    const source = text(record.eventSource);
    const name = text(record.eventName);
    if (source === undefined || name === undefined) throw new ParseError('not a CloudTrail record: no eventSource/eventName');
    const state = newBudget();
    const ms = isoTime(record.eventTime, 'UTC');
    const event: MamoriEvent = {
      '@timestamp': isoFromMs(Number.isNaN(ms) ? ctx.received : ms),
      'event.kind': record.eventType === 'AwsCloudTrailInsight' ? 'alert' : 'event',
      'event.module': 'cloudtrail',
      'event.dataset': DATASETS.get(record.eventCategory as string) ?? (record.managementEvent === false ? 'cloudtrail.data' : 'cloudtrail.management'),
      'event.provider': source,
      'event.action': name,
      'cloud.provider': 'aws',
    };
    if (Number.isNaN(ms)) keepUnmapped(event, record, 'eventTime', PREFIX, state);
    const category = classify(event, source, name);
    const result = outcome(record, name);
    if (result !== undefined) event['event.outcome'] = result;

    mapText(event, 'cloud.region', record, 'awsRegion', PREFIX, state);
    mapText(event, 'user_agent.original', record, 'userAgent', PREFIX, state);
    mapText(event, 'error.code', record, 'errorCode', PREFIX, state);
    mapText(event, 'error.message', record, 'errorMessage', PREFIX, state);
    const identity = objectOf(record.userIdentity);
    if (mapText(event, 'cloud.account.id', record, 'recipientAccountId', PREFIX, state) === undefined) {
      const account = text(identity?.accountId);
      if (account !== undefined) event['cloud.account.id'] = account;
    }
    if (identity !== undefined) setUser(event, identity);
    if (!setSource(event, record.sourceIPAddress)) keepUnmapped(event, record, 'sourceIPAddress', PREFIX, state);
    const tls = objectOf(record.tlsDetails);
    if (tls !== undefined) setTls(event, tls);
    if (category === 'file') setObjectFile(event, objectOf(record.requestParameters));
    else if (category === 'iam') setIamTarget(event, objectOf(record.requestParameters));

    // The record's own structure first, so a huge request payload cannot push it out of the field budget.
    flattenSnake(event, record, PREFIX, state, NOT_STRUCTURE);
    for (const [key, field] of PAYLOAD_FIELDS) {
      const value = record[key];
      if (value !== undefined && value !== null) flattenAs(event, field, value, state);
    }
    reportDropped(event, state);
    return event;
  },
};
