import { describe, expect, it } from 'vitest';
import type { MamoriEvent } from '../core/event.js';
import { branchesFor, logSourceMatcher } from './logsource.js';

const sysmon = (id: string, extra: MamoriEvent = {}): MamoriEvent => ({ 'event.module': 'windows', 'winlog.channel': 'Microsoft-Windows-Sysmon/Operational', 'event.code': id, ...extra });
const security = (id: string): MamoriEvent => ({ 'event.module': 'windows', 'winlog.channel': 'Security', 'event.code': id });

describe('Sigma log sources', () => {
  it('routes process_creation to Sysmon 1 and Security 4688, with the 4688 field names', () => {
    const match = logSourceMatcher({ product: 'windows', category: 'process_creation' })!;
    expect(match(sysmon('1'))?.renames?.Image).toBeUndefined();
    expect(match(security('4688'))?.renames).toMatchObject({ Image: 'NewProcessName', ParentImage: 'ParentProcessName', EventID: 'event.code' });
    expect(match(sysmon('3'))).toBeUndefined();
    expect(match(security('4624'))).toBeUndefined();
  });

  it('narrows a category by service, and a service alone to its channel', () => {
    const sysmonOnly = logSourceMatcher({ product: 'windows', category: 'process_creation', service: 'sysmon' })!;
    expect(sysmonOnly(security('4688'))).toBeUndefined();
    const sec = logSourceMatcher({ product: 'windows', service: 'security' })!;
    expect(sec(security('4625'))).toBeDefined();
    expect(sec(sysmon('1'))).toBeUndefined();
    expect(logSourceMatcher({ product: 'windows' })!(sysmon('1'))).toBeDefined();
  });

  it('uses the Sysmon EventType for registry add and delete', () => {
    const add = logSourceMatcher({ product: 'windows', category: 'registry_add' })!;
    expect(add(sysmon('12', { 'winlog.event_data.EventType': 'CreateKey' }))).toBeDefined();
    expect(add(sysmon('12', { 'winlog.event_data.EventType': 'DeleteKey' }))).toBeUndefined();
  });

  it('maps network categories to the parsers that produce them, with the taxonomy field names', () => {
    const proxy = logSourceMatcher({ category: 'proxy' })!;
    expect(proxy({ 'event.module': 'squid' })?.renames?.['c-uri']).toBe('url.full');
    expect(proxy({ 'event.module': 'fortigate' })).toBeUndefined();
    expect(logSourceMatcher({ category: 'firewall' })!({ 'event.module': 'fortigate' })?.renames?.dst_port).toBe('destination.port');
    expect(logSourceMatcher({ category: 'dns' })!({ 'event.dataset': 'zeek.dns' })?.renames?.query).toBe('dns.question.name');
    expect(logSourceMatcher({ product: 'linux', service: 'auth' })!({ 'event.module': 'linux-auth' })).toBeDefined();
  });

  it('compares case-insensitively and matches any element of an array field', () => {
    expect(logSourceMatcher({ product: 'windows', service: 'security' })!({ 'winlog.channel': 'security' })).toBeDefined();
    expect(logSourceMatcher({ category: 'dns' })!({ 'event.dataset': ['x', 'ZEEK.DNS'] })).toBeDefined();
  });

  it('says when Mamori has no events of a source instead of matching everything', () => {
    expect(branchesFor({ product: 'macos', category: 'process_creation' })).toBeUndefined();
    expect(branchesFor({ product: 'windows', category: 'no_such_category' })).toBeUndefined();
    expect(branchesFor({ product: 'windows', service: 'no-such-service' })).toBeUndefined();
    expect(logSourceMatcher({ product: 'aws', service: 'cloudtrail' })).toBeUndefined();
  });
});
