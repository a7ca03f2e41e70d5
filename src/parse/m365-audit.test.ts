import { describe, expect, it } from 'vitest';
import { m365Audit } from './m365-audit.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'America/New_York' };

function audit(fields: Record<string, unknown>): string {
  return JSON.stringify({ CreationTime: '2024-05-01T10:00:00', Id: 'x', Operation: 'FileAccessed', RecordType: 6, Workload: 'SharePoint', UserId: 'alice@contoso.com', ...fields });
}

describe('m365-audit', () => {
  it('reads CreationTime as UTC whatever the source time zone', () => {
    expect(m365Audit.parse(audit({}), ctx)['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
  });

  it('classifies operations', () => {
    const cases: Array<[Record<string, unknown>, string[] | undefined, string[] | undefined]> = [
      [{ Operation: 'FileDeleted' }, ['file'], ['deletion']],
      [{ Operation: 'FileUploaded', RecordType: 7, Workload: 'OneDrive' }, ['file'], ['creation']],
      [{ Operation: 'FileRenamed' }, ['file'], ['change']],
      [{ Operation: 'UserLoggedOut', RecordType: 15, Workload: 'AzureActiveDirectory' }, ['authentication'], ['end']],
      [{ Operation: 'Add-MailboxPermission', RecordType: 1, Workload: 'Exchange' }, ['iam'], ['creation']],
      [{ Operation: 'Remove-TransportRule', RecordType: 1, Workload: 'Exchange' }, ['configuration'], ['deletion']],
      [{ Operation: 'Add member to role.', RecordType: 8, Workload: 'AzureActiveDirectory' }, ['iam'], ['change']],
      [{ Operation: 'Add user.', RecordType: 8, Workload: 'AzureActiveDirectory' }, ['iam'], ['user', 'creation']],
      [{ Operation: 'Send', RecordType: 2, Workload: 'Exchange' }, ['email'], ['info']],
      [{ Operation: 'TeamCreated', RecordType: 25, Workload: 'MicrosoftTeams' }, undefined, undefined],
    ];
    for (const [fields, category, type] of cases) {
      const event = m365Audit.parse(audit(fields), ctx);
      expect([event['event.category'], event['event.type']], String(fields.Operation)).toEqual([category, type]);
    }
  });

  it('maps ResultStatus words to event.outcome', () => {
    const outcomes: Array<[string, string | undefined]> = [
      ['Succeeded', 'success'], ['PartiallySucceeded', 'success'], ['True', 'success'], ['Failed', 'failure'], ['False', 'failure'], ['Pending', undefined],
    ];
    for (const [status, expected] of outcomes) {
      expect(m365Audit.parse(audit({ ResultStatus: status }), ctx)['event.outcome'], status).toBe(expected);
    }
  });

  it('names unknown record types by number and keeps hostile workloads out of the dataset name', () => {
    const event = m365Audit.parse(audit({ RecordType: 999, Workload: 'Evil.Workload/../x' }), ctx);
    expect(event['o365.audit.record_type']).toBe('999');
    expect(event['event.dataset']).toBe('m365-audit.other');
    expect(event['event.provider']).toBe('Evil.Workload/../x');
  });

  it('falls back to other address members and keeps a ClientIP that is not an address', () => {
    const event = m365Audit.parse(audit({ ClientIP: 'unknown', ActorIpAddress: '192.0.2.1' }), ctx);
    expect(event['source.ip']).toBe('192.0.2.1');
    expect(event['o365.audit.client_ip']).toBe('unknown');
  });

  it('rejects records without the common schema members', () => {
    expect(() => m365Audit.parse('{"Operation":"X","CreationTime":"2024-05-01T10:00:00"}', ctx)).toThrow('not a Microsoft 365 audit record');
    expect(() => m365Audit.parse('[]', ctx)).toThrow('empty JSON array');
  });

  it('sniffs common-schema records', () => {
    expect(m365Audit.sniff!(audit({}))).toBe(true);
    expect(m365Audit.sniff!('{"CreationTime":"2024-05-01T10:00:00"}')).toBe(false);
  });
});
