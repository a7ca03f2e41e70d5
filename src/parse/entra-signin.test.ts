import { describe, expect, it } from 'vitest';
import { entraSignin } from './entra-signin.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };

function diagnostic(category: string, properties: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ time: '2024-05-01T10:00:00Z', operationName: 'Sign-in activity', category, tenantId: 't-1', properties, ...extra });
}

describe('entra-signin', () => {
  it('names the dataset after the diagnostic category', () => {
    expect(entraSignin.parse(diagnostic('NonInteractiveUserSignInLogs', {}), ctx)['event.dataset']).toBe('entra-signin.non_interactive');
    expect(entraSignin.parse(diagnostic('ManagedIdentitySignInLogs', {}), ctx)['event.dataset']).toBe('entra-signin.managed_identity');
    expect(() => entraSignin.parse(diagnostic('AuditLogs', {}), ctx)).toThrow('is not a sign-in log');
  });

  it('names the dataset of Graph resources after signInEventTypes', () => {
    const line = JSON.stringify({ createdDateTime: '2024-05-01T10:00:00Z', appId: 'a', signInEventTypes: ['managedIdentity'] });
    expect(entraSignin.parse(line, ctx)['event.dataset']).toBe('entra-signin.managed_identity');
  });

  it('takes the outcome from resultType when the entry has no status', () => {
    const failed = entraSignin.parse(diagnostic('SignInLogs', {}, { resultType: '50126', resultDescription: 'Invalid username or password.' }), ctx);
    expect([failed['event.outcome'], failed['error.code'], failed['error.message']]).toEqual(['failure', '50126', 'Invalid username or password.']);
    expect(entraSignin.parse(diagnostic('SignInLogs', {}, { resultType: '0' }), ctx)['event.outcome']).toBe('success');
    expect(entraSignin.parse(diagnostic('SignInLogs', {}, { resultType: 'odd' }), ctx)['event.outcome']).toBeUndefined();
  });

  it('uses the envelope address and country when the entry has none', () => {
    const event = entraSignin.parse(diagnostic('SignInLogs', {}, { callerIpAddress: '[2001:db8::5]:443', location: 'FR' }), ctx);
    expect([event['source.ip'], event['source.port'], event['source.geo.country_iso_code']]).toEqual(['2001:db8::5', 443, 'FR']);
  });

  it('keeps values that do not fit their ECS field under azure.signinlogs', () => {
    const event = entraSignin.parse(
      diagnostic('SignInLogs', { ipAddress: 'not-an-ip', createdDateTime: 'soon', userId: 42, location: { geoCoordinates: { latitude: 200, longitude: 1 } } }),
      ctx,
    );
    expect(event['azure.signinlogs.ip_address']).toBe('not-an-ip');
    expect(event['azure.signinlogs.created_date_time']).toBe('soon');
    expect(event['azure.signinlogs.user_id']).toBe(42);
    expect(event['source.geo.location']).toBeUndefined();
    expect(event['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
  });

  it('rejects JSON that is neither shape', () => {
    expect(() => entraSignin.parse('{"createdDateTime":"2024-05-01T10:00:00Z"}', ctx)).toThrow('not an Entra ID sign-in record');
    expect(() => entraSignin.parse('{"value":[{"id":1},{"id":2}]}', ctx)).toThrow('split them');
  });

  it('sniffs both shapes', () => {
    expect(entraSignin.sniff!(diagnostic('NonInteractiveUserSignInLogs', {}))).toBe(true);
    expect(entraSignin.sniff!('{"id":"x","conditionalAccessStatus":"success"}')).toBe(true);
    expect(entraSignin.sniff!('{"activityDisplayName":"Update policy","details":"{\\"category\\":\\"SignInLogs\\"}"}')).toBe(false);
  });
});
