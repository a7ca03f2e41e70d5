import { describe, expect, it } from 'vitest';
import { fortigate } from './fortigate.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };
const HEAD = 'devname="fgt" devid="FGT60F" logid="0000000013" type="traffic" subtype="forward"';
const parse = (kv: string, c = ctx) => fortigate.parse(`${HEAD} ${kv}`, c);

describe('fortigate time', () => {
  it('prefers eventtime in s, µs or ns', () => {
    expect(parse('eventtime=1714557600 date=2020-01-01 time=00:00:00')['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
    expect(parse('eventtime=1714557600250000')['@timestamp']).toBe('2024-05-01T10:00:00.250Z');
    expect(parse('eventtime=1714557600250123456')['@timestamp']).toBe('2024-05-01T10:00:00.250Z');
  });

  it('reads date and time with tz, else in the source zone', () => {
    expect(parse('date=2024-05-01 time=19:00:00 tz="+0900"')['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
    expect(parse('date=2024-05-01 time=10:00:00', { ...ctx, timezone: 'Europe/Berlin' })['@timestamp']).toBe('2024-05-01T08:00:00.000Z');
    // An unreadable tz falls back to the source zone rather than losing the time.
    expect(parse('date=2024-05-01 time=10:00:00 tz="JST?"')['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
    expect(parse('date=2024-13-01 time=10:00:00')['@timestamp']).toBe('2024-05-01T12:00:00.000Z');
  });
});

describe('fortigate fields', () => {
  it('maps traffic actions to type and outcome', () => {
    const cases: [string, string[], string][] = [
      ['close', ['connection', 'end', 'allowed'], 'success'],
      ['timeout', ['connection', 'end', 'allowed'], 'success'],
      ['server-rst', ['connection', 'end', 'allowed'], 'success'],
      ['accept', ['connection', 'start', 'allowed'], 'success'],
      ['deny', ['connection', 'denied'], 'failure'],
      ['dropped', ['connection', 'denied'], 'failure'],
    ];
    for (const [action, type, outcome] of cases) {
      const e = parse(`action="${action}"`);
      expect(e['event.type'], action).toEqual(type);
      expect(e['event.outcome'], action).toBe(outcome);
      expect(e['event.action']).toBe(action);
    }
  });

  it('keeps values that do not fit their ECS field under fortinet.firewall', () => {
    const e = parse('srcip=10.0.0.999 dstport=70000 sentbyte=-1 srcmac="zz" dstip=2001:db8::1');
    expect(e['fortinet.firewall.srcip']).toBe('10.0.0.999');
    expect(e['fortinet.firewall.dstport']).toBe('70000');
    expect(e['fortinet.firewall.sentbyte']).toBe('-1');
    expect(e['fortinet.firewall.srcmac']).toBe('zz');
    expect(e['destination.ip']).toBe('2001:db8::1');
    expect(e['source.ip']).toBeUndefined();
  });

  it('reads quoted values with blanks and escaped quotes', () => {
    const e = parse('msg="User \\"bob\\" said = hi" policyname="LAN to WAN"');
    expect(e.message).toBe('User "bob" said = hi');
    expect(e['rule.name']).toBe('LAN to WAN');
  });

  it('splits URLs and names protocols only from plain service names', () => {
    const path = parse('url="/a/b?c=d" hostname="x.example" service="HTTP"');
    expect(path).toMatchObject({ 'url.path': '/a/b', 'url.query': 'c=d', 'url.domain': 'x.example', 'network.protocol': 'http' });
    const full = parse('url="https://x.example/p" service="tcp/8080"');
    expect(full['url.full']).toBe('https://x.example/p');
    expect(full['network.protocol']).toBeUndefined();
    expect(full['fortinet.firewall.service']).toBe('tcp/8080');
  });

  it('uses the signature as the rule for UTM logs and the policy otherwise', () => {
    const utm = fortigate.parse('logid="0419016384" type="utm" subtype="ips" policyid=3 attack="X.Y" attackid=42 action="detected"', ctx);
    expect(utm).toMatchObject({ 'rule.name': 'X.Y', 'rule.id': '42', 'fortinet.firewall.policyid': '3', 'event.kind': 'alert', 'event.type': ['info', 'allowed'] });
    expect(parse('policyid=3 policyname="p"')).toMatchObject({ 'rule.id': '3', 'rule.name': 'p' });
  });

  it('reads the syslog header when present', () => {
    const e = fortigate.parse(`<189>May  1 10:00:00 fgt-relay ${HEAD} action="close"`, ctx);
    expect(e['observer.hostname']).toBe('fgt-relay');
    expect(e['log.syslog.priority']).toBe(189);
    expect(e['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
    expect(fortigate.parse(`<189>${HEAD}`, ctx)['log.syslog.facility.name']).toBe('local7');
  });

  it('classifies event logs from action, status and cfgpath', () => {
    const ev = (kv: string) => fortigate.parse(`logid="0100032001" type="event" subtype="system" ${kv}`, ctx);
    expect(ev('action="login" status="success" user="admin"')).toMatchObject({ 'event.category': ['authentication'], 'event.outcome': 'success', 'user.name': 'admin' });
    expect(ev('action="Edit" cfgpath="firewall.policy"')['event.category']).toEqual(['configuration']);
    const vpn = fortigate.parse('logid="0101039426" type="event" subtype="vpn" action="ssl-login-fail" remip=198.51.100.7 user="bob"', ctx);
    expect(vpn).toMatchObject({ 'event.category': ['authentication'], 'event.outcome': 'failure', 'source.ip': '198.51.100.7' });
  });

  it('rejects lines that are not FortiGate logs and sniffs its signature', () => {
    expect(() => fortigate.parse('a=b c=d', ctx)).toThrow('not a FortiGate log');
    expect(() => fortigate.parse('', ctx)).toThrow('not a FortiGate log');
    expect(fortigate.sniff?.(`${HEAD} action=close`)).toBe(true);
    expect(fortigate.sniff?.('date=2024-05-01 logid=1 srcip=1.2.3.4')).toBe(false);
  });

  it('bounds the pairs it keeps on oversized lines', () => {
    const e = fortigate.parse(`${HEAD} ` + Array.from({ length: 5000 }, (_, i) => `k${i}=v`).join(' '), ctx);
    const kept = Object.keys(e).filter((k) => k.startsWith('fortinet.firewall.k'));
    expect(kept.length).toBeLessThan(512);
    expect(e['event.dataset']).toBe('fortigate.traffic');
  });
});
