import { describe, expect, it } from 'vitest';
import { iptables } from './iptables.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };
const packet = 'SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP SPT=1000 DPT=80 WINDOW=10 RES=0x00 SYN URGP=0';

describe('iptables', () => {
  it('reads the action from the prefix words', () => {
    const action = (prefix: string) => {
      const e = iptables.parse(`${prefix}IN=eth0 OUT= ${packet}`, ctx);
      return [e['event.action'], e['event.type'], e['event.outcome'], e['rule.name']];
    };
    expect(action('[UFW ALLOW] ')).toEqual(['allow', ['connection', 'allowed'], 'success', 'UFW ALLOW']);
    expect(action('[UFW AUDIT] ')).toEqual(['log', ['connection'], undefined, 'UFW AUDIT']);
    expect(action('iptables REJECT: ')).toEqual(['reject', ['connection', 'denied'], 'failure', 'iptables REJECT']);
    expect(action('denied-by-policy ')).toEqual(['deny', ['connection', 'denied'], 'failure', 'denied-by-policy']);
    expect(action('')).toEqual(['log', ['connection'], undefined, undefined]);
  });

  it('ignores the packet quoted in an ICMP error', () => {
    const e = iptables.parse(
      'IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.9 LEN=576 TTL=64 ID=7 PROTO=ICMP TYPE=3 CODE=4 [SRC=192.0.2.9 DST=198.51.100.1 LEN=1500 TTL=63 ID=8 DF PROTO=TCP SPT=443 DPT=5000 WINDOW=1 RES=0x00 ACK URGP=0 ] MTU=1400',
      ctx,
    );
    expect(e).toMatchObject({ 'source.ip': '192.0.2.1', 'destination.ip': '192.0.2.9', 'iptables.id': 7, 'iptables.icmp.type': 3, 'iptables.icmp.code': 4, 'iptables.icmp.mtu': 1400, 'network.transport': 'icmp' });
    expect(e['source.port']).toBeUndefined();
    expect(e['iptables.tcp.flags']).toBeUndefined();
    expect(e['iptables.fragment_flags']).toBeUndefined();
  });

  it('keeps a MAC of another link type as it is and names ICMPv6 as IANA does', () => {
    const e = iptables.parse('IN=ppp0 OUT= MAC=00:11 SRC=2001:db8::1 DST=2001:db8::2 LEN=72 TC=0 HOPLIMIT=255 FLOWLBL=0 PROTO=ICMPv6 TYPE=135 CODE=0', ctx);
    expect(e).toMatchObject({ 'iptables.mac': '00:11', 'network.transport': 'ipv6-icmp', 'network.type': 'ipv6', 'iptables.ttl': 255, 'iptables.icmp.type': 135 });
    expect(e['source.mac']).toBeUndefined();
  });

  it('keeps unknown keys lower-cased and unknown words as flags', () => {
    const e = iptables.parse(`IN=eth0 OUT= PHYSIN=veth1 ${packet} OPT (020405B4)`, ctx);
    expect(e['iptables.physin']).toBe('veth1');
    expect(e['iptables.flags']).toEqual(['OPT', '(020405B4)']);
  });

  it('reads header times in the source zone and keeps the host', () => {
    const e = iptables.parse(`May  1 10:00:00 gw kernel: [  12.5] [UFW BLOCK] IN=eth0 OUT= ${packet}`, { ...ctx, timezone: 'Europe/Berlin' });
    expect(e).toMatchObject({ '@timestamp': '2024-05-01T08:00:00.000Z', 'host.name': 'gw', 'observer.hostname': 'gw', 'rule.name': 'UFW BLOCK' });
  });

  it('rejects a line with no IN= field and sniffs only packet logs', () => {
    expect(() => iptables.parse('May  1 10:00:00 gw kernel: SRC=1.2.3.4', ctx)).toThrow('no IN= field');
    expect(iptables.sniff?.(`kernel: IN=eth0 OUT= ${packet}`)).toBe(true);
    expect(iptables.sniff?.('LOGIN=ok SRC=x')).toBe(false);
    expect(iptables.sniff?.('<13>May  1 10:00:00 host app: hello')).toBe(false);
  });
});
