import { describe, expect, it } from 'vitest';
import { juniperSrx } from './juniper-srx.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };
const sd = (msgid: string, params: string, app = 'RT_FLOW') => `<14>1 2024-05-01T10:00:00Z srx ${app} - ${msgid} [junos@2636.1.1.1.2.40 ${params}]`;

describe('juniper-srx structured data', () => {
  it('never maps N/A, and keeps UNKNOWN applications and 0.0.0.0 NAT under juniper.srx', () => {
    const e = juniperSrx.parse(sd('RT_FLOW_SESSION_CREATE', 'username="N/A" application="UNKNOWN" nat-source-address="0.0.0.0" nat-source-port="0" policy-name="p1"'), ctx);
    expect(e['user.name']).toBeUndefined();
    expect(e['juniper.srx.username']).toBeUndefined();
    expect(e['network.application']).toBeUndefined();
    expect(e['juniper.srx.application']).toBe('UNKNOWN');
    expect(e['source.nat.ip']).toBeUndefined();
    expect(e['juniper.srx.nat-source-address']).toBe('0.0.0.0');
    expect(e['rule.name']).toBe('p1');
  });

  it('keeps values that do not fit their column under juniper.srx', () => {
    const e = juniperSrx.parse(sd('RT_FLOW_SESSION_CLOSE', 'source-address="10.0.0.300" destination-port="70000" elapsed-time="-1" bytes-from-client="lots"'), ctx);
    expect(e['source.ip']).toBeUndefined();
    expect(e['juniper.srx.source-address']).toBe('10.0.0.300');
    expect(e['juniper.srx.destination-port']).toBe('70000');
    expect(e['juniper.srx.elapsed-time']).toBe('-1');
    expect(e['juniper.srx.bytes-from-client']).toBe('lots');
  });

  it('treats an IDP attack that was not stopped as info, and keeps other SD elements', () => {
    const line = sd('IDP_ATTACK_LOG_EVENT', 'action="NONE" threat-severity="MINOR" attack-name="SCAN:NMAP" policy-name="Rec" rule-name="7"', 'RT_IDP').replace(']', '][origin@32473 ip="10.9.9.9"]');
    const e = juniperSrx.parse(line, ctx);
    expect(e).toMatchObject({ 'event.kind': 'alert', 'event.type': ['info'], 'event.severity': 5, 'rule.name': 'SCAN:NMAP', 'rule.ruleset': 'Rec', 'rule.id': '7' });
    expect(e['event.outcome']).toBeUndefined();
    expect(e['log.syslog.structured_data.origin@32473.ip']).toBe('10.9.9.9');
    expect(Object.keys(e).some((k) => k.includes('junos@2636'))).toBe(false);
  });

  it('maps a whole URL to url.full and a host to url.domain', () => {
    expect(juniperSrx.parse(sd('WEBFILTER_URL_PERMITTED', 'url="http://a.example/x"', 'RT_UTM'), ctx)['url.full']).toBe('http://a.example/x');
    const e = juniperSrx.parse(sd('WEBFILTER_URL_PERMITTED', 'url="a.example"', 'RT_UTM'), ctx);
    expect(e).toMatchObject({ 'url.domain': 'a.example', 'event.type': ['access', 'allowed'], 'event.outcome': 'success' });
  });

  it('unescapes SD values and survives hostile ones', () => {
    const e = juniperSrx.parse(sd('RT_FLOW_SESSION_CREATE', 'policy-name="a \\"quoted\\" \\] name" username="<script>"'), ctx);
    expect(e['rule.name']).toBe('a "quoted" ] name');
    expect(e['user.name']).toBe('<script>');
  });
});

describe('juniper-srx text format', () => {
  it('reads a deny with an ICMP type and no syslog header', () => {
    const e = juniperSrx.parse('RT_FLOW: RT_FLOW_SESSION_DENY: session denied 10.0.0.1/8->192.0.2.1/0 0x0 icmp 1(8) deny-icmp trust untrust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/1.0 No policy deny', ctx);
    expect(e).toMatchObject({
      '@timestamp': '2024-05-01T12:00:00.000Z',
      'event.code': 'RT_FLOW_SESSION_DENY',
      'network.transport': 'icmp',
      'juniper.srx.icmp-type': '8',
      'rule.name': 'deny-icmp',
      'observer.ingress.zone': 'trust',
      'observer.egress.zone': 'untrust',
    });
    // The deny reason has blanks in it and fields after it: only the message keeps it.
    expect(e['event.reason']).toBeUndefined();
  });

  it('stops at the first field that does not fit its column', () => {
    const e = juniperSrx.parse('<14>May  1 10:00:00 srx RT_FLOW: RT_FLOW_SESSION_CREATE: session created 10.0.0.1/1->192.0.2.1/2 svc 10.0.0.1/1->192.0.2.1/2 r1 r2 tcp p1 trust untrust', ctx);
    expect(e['source.ip']).toBe('10.0.0.1');
    expect(e['juniper.srx.service-name']).toBe('svc');
    expect(e['rule.name']).toBeUndefined();
    expect(e['observer.ingress.zone']).toBeUndefined();
  });

  it('reads header times without a zone in the source time zone', () => {
    const e = juniperSrx.parse('<14>May  1 10:00:00 srx RT_FLOW: RT_FLOW_SESSION_CREATE: session created x', { ...ctx, timezone: 'Asia/Tokyo' });
    expect(e['@timestamp']).toBe('2024-05-01T01:00:00.000Z');
    expect(e['observer.hostname']).toBe('srx');
    expect(e['log.syslog.appname']).toBe('RT_FLOW');
  });

  it('keeps an unknown message id as a system event', () => {
    const e = juniperSrx.parse('<14>May  1 10:00:00 srx chassisd[123]: CHASSISD_SNMP_TRAP7: SNMP trap generated', ctx);
    expect(e).toMatchObject({ 'event.dataset': 'juniper-srx.system', 'event.code': 'CHASSISD_SNMP_TRAP7', 'log.syslog.procid': '123', message: 'SNMP trap generated' });
  });

  it('is linear on a huge flow message', () => {
    const started = performance.now();
    const e = juniperSrx.parse('RT_FLOW_SESSION_CREATE: session created ' + '1/2->3/4 '.repeat(200_000), ctx);
    expect(e['juniper.srx.source-address']).toBe('1');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('juniper-srx sniff', () => {
  it('recognises both formats and nothing else', () => {
    expect(juniperSrx.sniff?.(sd('RT_FLOW_SESSION_CREATE', 'a="b"'))).toBe(true);
    expect(juniperSrx.sniff?.('<14>May  1 10:00:00 srx RT_IDP: IDP_ATTACK_LOG_EVENT: x')).toBe(true);
    expect(juniperSrx.sniff?.('<14>May  1 10:00:00 host sshd[1]: Accepted password for bob')).toBe(false);
  });
});
