import { describe, expect, it } from 'vitest';
import type { MamoriEvent } from '../core/event.js';
import { RuleSet } from './rule-set.js';
import { compileRule, loadRuleText } from './sigma/index.js';

function rules(...texts: string[]) {
  return texts.flatMap((text, i) => {
    const { rules: loaded, errors } = loadRuleText(text, `rule-${i}.yml`);
    expect(errors).toEqual([]);
    return loaded.map((r) => compileRule(r));
  });
}

const PROCESS = `
title: Whoami
id: 11111111-1111-4111-8111-111111111111
logsource: { product: windows, category: process_creation }
detection:
  sel: { Image|endswith: '\\whoami.exe' }
  condition: sel
level: low
`;
const PROXY = `
title: Proxy to pastebin
id: 22222222-2222-4222-8222-222222222222
logsource: { category: proxy }
detection:
  sel: { cs-host|endswith: pastebin.com, cs-method: POST }
  condition: sel
level: medium
`;
const SECURITY = `
title: Failed logon
id: 33333333-3333-4333-8333-333333333333
logsource: { product: windows, service: security }
detection:
  sel: { EventID: 4625 }
  condition: sel
level: low
`;
const MAC = `
title: Mac thing
logsource: { product: macos, category: process_creation }
detection:
  sel: { Image: /bin/ls }
  condition: sel
`;

describe('RuleSet', () => {
  const set = new RuleSet(rules(PROCESS, PROXY, SECURITY, MAC));
  const titles = (event: MamoriEvent) => set.evaluate(event).map((r) => r.rule.title);

  it('evaluates a rule only on events of its log source, through that source\'s field names', () => {
    expect(titles({ 'event.module': 'windows', 'winlog.channel': 'Microsoft-Windows-Sysmon/Operational', 'event.code': '1', 'winlog.event_data.Image': 'C:\\Windows\\System32\\whoami.exe' })).toEqual(['Whoami']);
    // Security 4688 calls the image NewProcessName.
    expect(titles({ 'event.module': 'windows', 'winlog.channel': 'Security', 'event.code': '4688', 'winlog.event_data.NewProcessName': 'C:\\Windows\\System32\\whoami.exe' })).toEqual(['Whoami']);
    // The same image in a Sysmon network event is not a process creation.
    expect(titles({ 'event.module': 'windows', 'winlog.channel': 'Microsoft-Windows-Sysmon/Operational', 'event.code': '3', 'winlog.event_data.Image': 'C:\\Windows\\System32\\whoami.exe' })).toEqual([]);
    expect(titles({ 'winlog.channel': 'Security', 'event.code': '4625' })).toEqual(['Failed logon']);
    expect(titles({ 'event.module': 'squid', 'url.domain': 'pastebin.com', 'http.request.method': 'POST' })).toEqual(['Proxy to pastebin']);
    expect(titles({ 'event.module': 'fortigate', 'url.domain': 'pastebin.com', 'http.request.method': 'POST' })).toEqual([]);
  });

  it('finds rules through exact values, numbers compared as numbers (hex status codes)', () => {
    const status = new RuleSet(
      rules(`
title: Unknown user
logsource: { product: windows, service: security }
detection:
  sel: { EventID: 4625, Status: 3221225572 }
  condition: sel
`),
    );
    const event = { 'winlog.channel': 'Security', 'event.code': '4625', 'winlog.event_data.Status': '0xC0000064' };
    expect(status.evaluate(event).map((r) => r.rule.title)).toEqual(['Unknown user']);
    expect(new RuleSet(status.compiledRules(), { index: false }).evaluate(event).map((r) => r.rule.title)).toEqual(['Unknown user']);
    expect(status.evaluate({ ...event, 'winlog.event_data.Status': '0xC000006A' })).toEqual([]);
  });

  it('reports rules for log sources Mamori has no events of instead of running them on everything', () => {
    expect(set.stats).toMatchObject({ rules: 3, sources: 3 });
    expect(set.stats.unroutable).toEqual([{ id: undefined, title: 'Mac thing', logsource: 'macos/process_creation/' }]);
    expect(titles({ Image: '/bin/ls' })).toEqual([]);
  });
});
