import { describe, expect, it } from 'vitest';
import { cloudtrail } from './cloudtrail.js';
import { DROPPED_FIELDS } from './flatten.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'Asia/Tokyo' };

function record(fields: Record<string, unknown>): string {
  return JSON.stringify({ eventVersion: '1.09', eventTime: '2024-05-01T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', ...fields });
}

describe('cloudtrail', () => {
  it('classifies calls by service and verb', () => {
    const cases: Array<[string, string, string[], string[]]> = [
      ['s3.amazonaws.com', 'DeleteBucket', ['configuration'], ['deletion']],
      ['s3.amazonaws.com', 'PutObject', ['file'], ['creation']],
      ['s3.amazonaws.com', 'DeleteObject', ['file'], ['deletion']],
      ['iam.amazonaws.com', 'ListUsers', ['iam'], ['user', 'info']],
      ['iam.amazonaws.com', 'AddUserToGroup', ['iam'], ['group', 'creation']],
      ['iam.amazonaws.com', 'AttachRolePolicy', ['iam'], ['change']],
      ['sts.amazonaws.com', 'GetSessionToken', ['authentication'], ['start']],
      ['ec2.amazonaws.com', 'TerminateInstances', ['configuration'], ['deletion']],
      ['ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', ['configuration'], ['change']],
      ['dynamodb.amazonaws.com', 'BatchGetItem', ['configuration'], ['access']],
      ['lambda.amazonaws.com', 'Invoke', ['configuration'], ['info']],
    ];
    for (const [eventSource, eventName, category, type] of cases) {
      const event = cloudtrail.parse(record({ eventSource, eventName }), ctx);
      expect([event['event.category'], event['event.type']], eventName).toEqual([category, type]);
    }
  });

  it('names the caller from the ARN when there is no user name', () => {
    const root = cloudtrail.parse(record({ userIdentity: { type: 'Root', principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root' } }), ctx);
    expect(root['user.name']).toBe('root');
    const federated = cloudtrail.parse(record({ userIdentity: { type: 'FederatedUser', arn: 'arn:aws:sts::111122223333:federated-user/Bob' } }), ctx);
    expect(federated['user.name']).toBe('Bob');
    const issuerOnly = cloudtrail.parse(record({ userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { type: 'Role', userName: 'ops' } } } }), ctx);
    expect(issuerOnly['user.name']).toBe('ops');
    expect(issuerOnly['user.roles']).toEqual(['ops']);
  });

  it('puts the IAM target user and group in user.target.*', () => {
    const event = cloudtrail.parse(record({ eventSource: 'iam.amazonaws.com', eventName: 'AddUserToGroup', requestParameters: { userName: 'bob', groupName: 'admins' } }), ctx);
    expect(event['user.target.name']).toBe('bob');
    expect(event['user.target.group.name']).toBe('admins');
  });

  it('keeps values that do not fit their ECS field under aws.cloudtrail', () => {
    const event = cloudtrail.parse(record({ eventTime: 'yesterday', sourceIPAddress: 'AWS Internal', errorCode: 403, awsRegion: { bad: true } }), ctx);
    expect(event['@timestamp']).toBe('2024-05-01T12:00:00.000Z');
    expect(event['aws.cloudtrail.event_time']).toBe('yesterday');
    expect(event['aws.cloudtrail.source_ip_address']).toBe('AWS Internal');
    expect(event['aws.cloudtrail.error_code']).toBe(403);
    expect(event['aws.cloudtrail.aws_region.bad']).toBe(true);
    expect(event['event.outcome']).toBe('failure');
    expect(event['source.ip']).toBeUndefined();
  });

  it('ignores the source time zone: CloudTrail times are UTC', () => {
    expect(cloudtrail.parse(record({ eventTime: '2024-05-01T10:00:00' }), ctx)['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
  });

  it('marks Insights events as alerts in their own dataset', () => {
    const event = cloudtrail.parse(record({ eventType: 'AwsCloudTrailInsight', eventCategory: 'Insight' }), ctx);
    expect(event['event.kind']).toBe('alert');
    expect(event['event.dataset']).toBe('cloudtrail.insight');
    expect(cloudtrail.parse(record({ managementEvent: false }), ctx)['event.dataset']).toBe('cloudtrail.data');
  });

  it('keeps the record structure when a huge request payload exhausts the field budget', () => {
    const requestParameters: Record<string, number> = {};
    for (let i = 0; i < 100_000; i++) requestParameters[`p${i}`] = i;
    const event = cloudtrail.parse(record({ eventID: 'e-1', userIdentity: { type: 'IAMUser', userName: 'alice' }, requestParameters }), ctx);
    expect(event['aws.cloudtrail.event_id']).toBe('e-1');
    expect(event['aws.cloudtrail.user_identity.user_name']).toBe('alice');
    expect(event[DROPPED_FIELDS]).toBeGreaterThan(90_000);
  });

  it('keeps deeply nested payloads as bounded JSON text', () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const line = record({}).slice(0, -1) + ',"requestParameters":' + deep + '}';
    const event = cloudtrail.parse(line, ctx);
    const leaf = Object.keys(event).find((k) => k.startsWith('aws.cloudtrail.request_parameters.'));
    expect(leaf).toBeDefined();
    expect(typeof event[leaf!]).toBe('string');
  });

  it('sniffs CloudTrail records only', () => {
    expect(cloudtrail.sniff!(record({}))).toBe(true);
    expect(cloudtrail.sniff!('{"eventSource":"x"}')).toBe(false);
    expect(cloudtrail.sniff!('<13>May  1 10:00:00 host app: eventVersion')).toBe(false);
  });
});
