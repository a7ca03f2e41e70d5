import { describe, expect, it } from 'vitest';
import { ParseError } from './parser.js';
import { squid } from './squid.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'Asia/Tokyo' };

describe('squid', () => {
  it('reads a native line regardless of the source time zone (the time is epoch)', () => {
    const event = squid.parse('1714557600.123    345 10.0.0.5 TCP_MISS/200 1234 GET http://example.com/ - HIER_DIRECT/93.184.216.34 text/html', ctx);
    expect(event['@timestamp']).toBe('2024-05-01T10:00:00.123Z');
    expect(event['event.duration']).toBe(345_000_000);
  });

  it('splits DOMAIN\\user and keeps IPv6 clients and a hierarchy peer given by name', () => {
    const event = squid.parse('1714557600.000 5 2001:db8::5 TCP_MISS/200 10 GET http://a.example/ CORP\\alice FIRSTUP_PARENT/parent.local -', ctx);
    expect(event).toMatchObject({ 'source.ip': '2001:db8::5', 'user.name': 'alice', 'user.domain': 'CORP', 'squid.peer_host': 'parent.local' });
    expect(event['destination.ip']).toBeUndefined();
  });

  it('treats TCP_DENIED/407 (proxy authentication required) as a denial', () => {
    const event = squid.parse('1714557600.000 0 10.0.0.1 TCP_DENIED/407 3800 CONNECT evil.example:443 - HIER_NONE/- text/html', ctx);
    expect(event).toMatchObject({ 'event.type': ['access', 'denied'], 'event.outcome': 'failure', 'http.response.status_code': 407, 'destination.port': 443 });
  });

  it('marks a failed fetch (5xx) as allowed but failed', () => {
    const event = squid.parse('1714557600.000 30000 10.0.0.1 TCP_MISS/503 4000 GET http://down.example/ - HIER_DIRECT/192.0.2.1 text/html', ctx);
    expect(event).toMatchObject({ 'event.type': ['access', 'allowed'], 'event.outcome': 'failure' });
  });

  it('keeps fields appended to the native format', () => {
    const event = squid.parse('1714557600.000 1 10.0.0.1 TCP_HIT/200 10 GET http://a/ - HIER_NONE/- text/plain "Mozilla/5.0" extra', ctx);
    expect(event['squid.extra']).toBe('"Mozilla/5.0" extra');
  });

  it('reads a client host name into source.domain', () => {
    const event = squid.parse('1714557600.000 1 pc12.corp.local TCP_HIT/200 10 GET http://a/ - HIER_NONE/- -', ctx);
    expect(event['source.domain']).toBe('pc12.corp.local');
    expect(event['source.ip']).toBeUndefined();
  });

  it('puts the syslog sender in observer.hostname', () => {
    const event = squid.parse('<134>May  1 10:00:00 proxy1 squid[512]: 1714557600.000 1 10.0.0.1 TCP_HIT/200 10 GET http://a/ - HIER_NONE/- -', ctx);
    expect(event).toMatchObject({ 'observer.hostname': 'proxy1', '@timestamp': '2024-05-01T10:00:00.000Z', 'log.syslog.priority': 134 });
  });

  it('reads the squid logformat in CLF with the zone of the line', () => {
    const event = squid.parse('10.0.0.5 - - [01/May/2024:19:00:00 +0900] "CONNECT example.com:443 HTTP/1.1" 200 6000 TCP_TUNNEL:HIER_DIRECT', ctx);
    expect(event).toMatchObject({ '@timestamp': '2024-05-01T10:00:00.000Z', 'squid.result_code': 'TCP_TUNNEL', 'url.domain': 'example.com', 'destination.port': 443 });
  });

  it('rejects lines that are not Squid logs with a reason', () => {
    expect(() => squid.parse('1714557600.000 1 10.0.0.1 TCP_MISS 10 GET http://a/ - HIER_NONE/- -', ctx)).toThrow(/not CODE\/STATUS/);
    expect(() => squid.parse('', ctx)).toThrow(ParseError);
    expect(() => squid.parse('hello world', ctx)).toThrow(ParseError);
  });

  it('sniffs native lines and the CLF variants by their hierarchy code', () => {
    expect(squid.sniff!('1714557600.123    345 10.0.0.5 TCP_MISS/200 1234 GET http://example.com/ - HIER_DIRECT/1.2.3.4 -')).toBe(true);
    expect(squid.sniff!('10.0.0.5 - - [01/May/2024:19:00:00 +0900] "GET http://a/ HTTP/1.1" 200 1 TCP_MISS:HIER_DIRECT')).toBe(true);
    expect(squid.sniff!('1714557600.123456\tCyN1\t10.0.0.1')).toBe(false);
    expect(squid.sniff!('10.0.0.5 - - [01/May/2024:19:00:00 +0900] "GET / HTTP/1.1" 200 1')).toBe(false);
  });
});
