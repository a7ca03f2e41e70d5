import { describe, expect, it } from 'vitest';
import { entraAudit } from './entra-audit.js';
import { DROPPED_FIELDS } from './flatten.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };

function audit(fields: Record<string, unknown>): string {
  return JSON.stringify({ activityDisplayName: 'Update user', activityDateTime: '2024-05-01T10:00:00Z', category: 'UserManagement', operationType: 'Update', result: 'success', ...fields });
}

describe('entra-audit', () => {
  it('maps operationType and category to event.type and event.category', () => {
    const cases: Array<[Record<string, unknown>, string[], string[]]> = [
      [{ operationType: 'Delete' }, ['iam'], ['user', 'deletion']],
      [{ category: 'GroupManagement', operationType: 'Add' }, ['iam'], ['group', 'creation']],
      [{ category: 'RoleManagement', operationType: 'Unassign' }, ['iam'], ['change']],
      [{ category: 'Policy', operationType: 'Other' }, ['configuration'], ['info']],
      [{ category: 'Device', operationType: 'Update' }, ['configuration'], ['change']],
    ];
    for (const [fields, category, type] of cases) {
      const event = entraAudit.parse(audit(fields), ctx);
      expect([event['event.category'], event['event.type']], JSON.stringify(fields)).toEqual([category, type]);
    }
  });

  it('maps result words to event.outcome', () => {
    expect(entraAudit.parse(audit({ result: 'timeout' }), ctx)['event.outcome']).toBe('failure');
    expect(entraAudit.parse(audit({ result: 'unknownFutureValue' }), ctx)['event.outcome']).toBeUndefined();
  });

  it('takes the envelope time when the entry time is unusable', () => {
    const line = JSON.stringify({ time: '2024-05-01T09:00:00Z', category: 'AuditLogs', operationName: 'Add user', properties: { activityDateTime: 'n/a' } });
    const event = entraAudit.parse(line, ctx);
    expect(event['@timestamp']).toBe('2024-05-01T09:00:00.000Z');
    expect(event['event.action']).toBe('Add user');
    expect(event['azure.auditlogs.activity_date_time']).toBe('n/a');
  });

  it('keeps odd targetResources and additionalDetails instead of dropping them', () => {
    const event = entraAudit.parse(audit({ targetResources: 'none', additionalDetails: { key: 'v' } }), ctx);
    expect(event['azure.auditlogs.target_resources']).toBe('none');
    expect(event['azure.auditlogs.additional_details.key']).toBe('v');
  });

  it('bounds huge target lists', () => {
    const targets = Array.from({ length: 5000 }, (_, i) => ({
      type: 'User',
      userPrincipalName: `u${i}@contoso.com`,
      modifiedProperties: [{ displayName: `p${i}`, oldValue: 'a', newValue: 'b' }],
    }));
    const event = entraAudit.parse(audit({ targetResources: targets }), ctx);
    expect(event['user.target.name']).toBe('u0@contoso.com');
    expect(event[DROPPED_FIELDS]).toBeGreaterThan(0);
    expect(Object.keys(event).length).toBeLessThan(1100);
  });

  it('sniffs audit records', () => {
    expect(entraAudit.sniff!(audit({}))).toBe(true);
    expect(entraAudit.sniff!('{"createdDateTime":"2024-05-01T10:00:00Z"}')).toBe(false);
  });
});
