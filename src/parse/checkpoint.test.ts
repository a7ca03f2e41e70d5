import { describe, expect, it } from 'vitest';
import { checkpoint } from './checkpoint.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };
const syslog = (list: string) => `<134>1 2024-05-01T10:00:00Z gw CheckPoint 1 - [${list}]`;

describe('checkpoint syslog format', () => {
  it('undoes \\", \\\\ and \\] inside values', () => {
    const e = checkpoint.parse(syslog('origin:"10.1.1.1"; rule_name:"say \\"hi\\" [x\\] c:\\\\tmp"; product:"Firewall"'), ctx);
    expect(e['rule.name']).toBe('say "hi" [x] c:\\tmp');
  });

  it('keeps the pairs of a line cut before its closing bracket', () => {
    const e = checkpoint.parse('<134>1 2024-05-01T10:00:00Z gw CheckPoint 1 - [origin:"10.1.1.1"; src:"10.0.0.1"; dst:"10.0', ctx);
    expect(e['source.ip']).toBe('10.0.0.1');
    expect(e['checkpoint.dst']).toBe('10.0');
  });

  it('puts ifname on the side ifdir names, and under checkpoint without ifdir', () => {
    expect(checkpoint.parse(syslog('ifname:"eth3"; ifdir:"outbound"; origin:"10.1.1.1"'), ctx)['observer.egress.interface.name']).toBe('eth3');
    expect(checkpoint.parse(syslog('ifname:"eth3"; origin:"10.1.1.1"'), ctx)['checkpoint.ifname']).toBe('eth3');
  });

  it('splits "Full Name (login)" users and keeps plain ones', () => {
    expect(checkpoint.parse(syslog('origin:"10.1.1.1"; dst_user_name:"Ann Lee (alee)"'), ctx)).toMatchObject({ 'destination.user.name': 'alee', 'destination.user.full_name': 'Ann Lee' });
    expect(checkpoint.parse(syslog('origin:"10.1.1.1"; user:"svc_backup"'), ctx)['user.name']).toBe('svc_backup');
  });

  it('gives an unknown blade the generic dataset and keeps the detect verdict out of event.type', () => {
    const e = checkpoint.parse(syslog('product:"Mobile Access"; action:"Detect"; severity:"3"'), ctx);
    expect(e).toMatchObject({ 'event.dataset': 'checkpoint.log', 'event.kind': 'event', 'event.action': 'detect', 'event.severity': 3, 'observer.product': 'Mobile Access' });
    expect(e['event.type']).toBeUndefined();
    expect(e['event.outcome']).toBeUndefined();
  });

  it('finds the list after a header whose fields contain brackets', () => {
    const e = checkpoint.parse('<134>May  1 10:00:00 gw CheckPoint[42]: [loguid:"{0x1}"; src:"10.0.0.9"]', ctx);
    expect(e).toMatchObject({ 'source.ip': '10.0.0.9', 'observer.hostname': 'gw', '@timestamp': '2024-05-01T10:00:00.000Z' });
  });
});

describe('checkpoint generic format', () => {
  it('reads blank-separated pairs with quoted values', () => {
    const e = checkpoint.parse('time=1714557600 origin=10.1.1.1 product="URL Filtering" action=Block resource="http://x.example/a b"', ctx);
    expect(e).toMatchObject({ 'event.dataset': 'checkpoint.url_filtering', 'url.full': 'http://x.example/a b', 'event.type': ['access', 'denied'] });
  });

  it('rejects lines with no pairs or with no Check Point field', () => {
    expect(() => checkpoint.parse('hello world', ctx)).toThrow('no [key:"value"; ...] list and no key=value pairs');
    expect(() => checkpoint.parse('src=10.0.0.1 dst=10.0.0.2', ctx)).toThrow('no origin, originsn, loguid or product');
  });

  it('sniffs Log Exporter lines only', () => {
    expect(checkpoint.sniff?.(syslog('origin:"1.1.1.1"'))).toBe(true);
    expect(checkpoint.sniff?.('time=1|loguid={0x1}|origin=1.1.1.1')).toBe(true);
    expect(checkpoint.sniff?.('<14>May  1 10:00:00 fw kernel: IN=eth0 SRC=1.1.1.1')).toBe(false);
  });
});
