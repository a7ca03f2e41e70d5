import { describe, expect, it } from 'vitest';
import { ciscoAsa } from './cisco-asa.js';
import { ParseError } from './parser.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };
const parse = (line: string, c = ctx) => ciscoAsa.parse(line, c);
const DENY = '%ASA-4-106023: Deny udp src outside:198.51.100.7/5353 dst inside:10.0.0.10/53 by access-group "acl_out" [0x1, 0x0]';

describe('cisco-asa headers', () => {
  it('reads the time and device id of every usual header form', () => {
    const cases: [string, string, string | undefined][] = [
      [`<164>May 01 2024 10:00:00 fw01 : ${DENY}`, '2024-05-01T10:00:00.000Z', 'fw01'],
      [`<164>May 01 2024 10:00:00: ${DENY}`, '2024-05-01T10:00:00.000Z', undefined],
      [`May  1 10:00:00 fw01 ${DENY}`, '2024-05-01T10:00:00.000Z', 'fw01'],
      [`May  1 10:00:00 fw01: ${DENY}`, '2024-05-01T10:00:00.000Z', 'fw01'],
      [`<164>2024-05-01T10:00:00+02:00 fw01 : ${DENY}`, '2024-05-01T08:00:00.000Z', 'fw01'],
      [`<164>${DENY}`, '2024-05-01T12:00:00.000Z', undefined],
      [DENY, '2024-05-01T12:00:00.000Z', undefined],
    ];
    for (const [line, time, host] of cases) {
      const e = parse(line);
      expect(e['@timestamp'], line).toBe(time);
      expect(e['observer.hostname'], line).toBe(host);
      expect(e['event.code']).toBe('106023');
      expect(e['rule.name']).toBe('acl_out');
    }
  });

  it('reads header times in the source zone unless the header says UTC', () => {
    const tokyo = { ...ctx, timezone: 'Asia/Tokyo' };
    expect(parse(`May 01 2024 10:00:00 fw01 : ${DENY}`, tokyo)['@timestamp']).toBe('2024-05-01T01:00:00.000Z');
    const utc = parse(`May  1 10:00:00 UTC firepower : ${DENY.replace('ASA', 'FTD')}`, tokyo);
    expect(utc['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
    expect(utc['observer.hostname']).toBe('firepower');
    expect(utc['observer.product']).toBe('FTD');
    expect(utc['event.dataset']).toBe('cisco-asa.ftd');
  });

  it('accepts the %FTD-session- facility form and maps severity to log.level', () => {
    const e = parse('%FTD-session-3-106023: Deny tcp src a:10.0.0.1/1 dst b:10.0.0.2/2 by access-group "x" [0x0, 0x0]');
    expect(e).toMatchObject({ 'event.severity': 3, 'log.level': 'error', 'source.ip': '10.0.0.1', 'destination.port': 2 });
  });

  it('rejects lines without a tag or with a malformed one', () => {
    expect(() => parse('May  1 10:00:00 fw01 hello')).toThrow('no %ASA- or %FTD- tag');
    expect(() => parse('%ASA-9-106023: x')).toThrow(ParseError);
    expect(() => parse('%ASA-4-10: x')).toThrow('no message id');
    expect(() => parse('x'.repeat(2000) + ' ' + DENY)).toThrow('no %ASA- or %FTD- tag');
  });

  it('sniffs only its own tag', () => {
    expect(ciscoAsa.sniff?.(`<164>May 01 2024 10:00:00 fw01 : ${DENY}`)).toBe(true);
    expect(ciscoAsa.sniff?.('<13>May  1 10:00:00 host sshd[1]: 100% done %ASAP-1')).toBe(false);
  });
});

describe('cisco-asa message bodies', () => {
  it('reads ICMP denies, protocol numbers and IPv6 endpoints', () => {
    const icmp = parse('%ASA-3-106014: Deny inbound icmp src outside:198.51.100.9 dst inside:10.0.0.1 (type 8, code 0)');
    expect(icmp).toMatchObject({ 'network.transport': 'icmp', 'network.direction': 'inbound', 'cisco.asa.icmp_type': 8, 'cisco.asa.icmp_code': 0, 'destination.ip': '10.0.0.1' });
    const gre = parse('%ASA-4-106023: Deny protocol 47 src outside:198.51.100.9 dst inside:10.0.0.1 by access-group "in" [0x0, 0x0]');
    expect(gre['network.transport']).toBe('gre');
    const v6 = parse('%ASA-4-106023: Deny tcp src outside:2001:db8::7/5000 dst dmz:2001:db8:1::10/443 by access-group "in6" [0x0, 0x0]');
    expect(v6).toMatchObject({ 'source.ip': '2001:db8::7', 'source.port': 5000, 'observer.ingress.interface.name': 'outside', 'destination.ip': '2001:db8:1::10' });
  });

  it('reads a teardown with identity users and a multi-word reason', () => {
    const e = parse('%ASA-6-302014: Teardown TCP connection 9 for outside:198.51.100.7/443 to inside:10.0.0.5/51000(CORP\\jdoe) duration 1:02:03 bytes 77 TCP Reset-I');
    expect(e).toMatchObject({
      'destination.ip': '10.0.0.5',
      'destination.user.name': 'jdoe',
      'destination.user.domain': 'CORP',
      'event.duration': 3723e9,
      'network.bytes': 77,
      'event.reason': 'TCP Reset-I',
      'event.type': ['connection', 'end'],
    });
  });

  it('puts the inside host first for outbound ICMP connections', () => {
    const e = parse('%ASA-6-302020: Built outbound ICMP connection for faddr 8.8.8.8/0 gaddr 203.0.113.5/1 laddr 10.0.0.5/1 type 8 code 0');
    expect(e).toMatchObject({ 'source.ip': '10.0.0.5', 'source.nat.ip': '203.0.113.5', 'destination.ip': '8.8.8.8', 'cisco.asa.icmp_type': 8 });
    expect(e['source.port']).toBeUndefined();
  });

  it('reads denied 106100 entries', () => {
    const e = parse('%ASA-4-106100: access-list out denied udp outside/198.51.100.7(53) -> inside/10.0.0.5(5353) hit-cnt 4 300-second interval [0xa, 0x0]');
    expect(e).toMatchObject({ 'rule.name': 'out', 'event.outcome': 'failure', 'event.type': ['connection', 'denied'], 'cisco.asa.hit_count': 4, 'source.port': 53 });
  });

  it('derives AAA and management outcomes from the message', () => {
    expect(parse('%ASA-6-113008: AAA transaction status ACCEPT : user = jdoe')['event.outcome']).toBe('success');
    expect(parse('%ASA-6-113008: AAA transaction status REJECT : user = jdoe')['event.outcome']).toBe('failure');
    const ok = parse('%ASA-6-113004: AAA user authentication Successful : server = 10.0.0.20 : user = CORP\\jdoe');
    expect(ok).toMatchObject({ 'user.name': 'jdoe', 'user.domain': 'CORP', 'event.category': ['authentication'], 'event.outcome': 'success' });
    const local = parse('%ASA-6-113015: AAA user authentication Rejected : reason = Invalid password : local database : user = admin : user IP = 198.51.100.7');
    expect(local).toMatchObject({ 'event.reason': 'Invalid password', 'cisco.asa.aaa_server_type': 'local database', 'source.ip': '198.51.100.7' });
    for (const body of ['IP address: 10.0.0.7, Uname: admin', 'IP, 10.0.0.7 : Uname: admin']) {
      const e = parse(`%ASA-6-611102: User authentication failed: ${body}`);
      expect(e).toMatchObject({ 'source.ip': '10.0.0.7', 'user.name': 'admin', 'event.outcome': 'failure' });
    }
    expect(parse("%ASA-5-111008: User 'enable_15' executed the 'clear configure access-list' command.")).toMatchObject({
      'user.name': 'enable_15',
      'cisco.asa.command_line': 'clear configure access-list',
    });
  });

  it('reads WebVPN / AnyConnect session messages', () => {
    const e = parse('%ASA-6-716002: Group <RA> User <jdoe> IP <198.51.100.7> WebVPN session terminated: Idle Timeout.');
    expect(e).toMatchObject({ 'user.name': 'jdoe', 'source.ip': '198.51.100.7', 'event.reason': 'Idle Timeout', 'event.type': ['end'] });
    expect(parse('%ASA-4-722037: Group <RA> User <jdoe> IP <198.51.100.7> SVC closing connection: DPD failure.')['event.reason']).toBe('DPD failure');
  });

  it('reads FTD security events and ignores FTD placeholder users', () => {
    const e = parse('%FTD-6-430002: AccessControlRuleAction: Block, SrcIP: 10.0.0.5, DstIP: 198.51.100.80, SrcPort: 5000, DstPort: 443, Protocol: tcp, User: No Authentication Required, Prefilter Policy: PF, DNSQuery: a, b.example');
    expect(e).toMatchObject({ 'event.type': ['connection', 'start', 'denied'], 'event.outcome': 'failure', 'cisco.ftd.Prefilter_Policy': 'PF', 'dns.question.name': 'a, b.example' });
    expect(e['user.name']).toBeUndefined();
    expect(e['cisco.ftd.User']).toBe('No Authentication Required');
  });

  it('keeps unknown ids and unparseable bodies as message only', () => {
    const e = parse('%ASA-5-111111: something new');
    expect(e.message).toBe('something new');
    expect(e['event.category']).toBeUndefined();
    const bad = parse('%ASA-6-302013: Built outbound TCP connection x for a:not-an-ip/1 (b) to c:999.1.1.1/2');
    expect(bad['source.ip']).toBeUndefined();
    expect(bad['destination.ip']).toBeUndefined();
    expect(bad['event.action']).toBe('connection-built');
  });
});
