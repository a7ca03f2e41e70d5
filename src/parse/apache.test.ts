import { describe, expect, it } from 'vitest';
import { apache } from './apache.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'Asia/Tokyo' };

describe('apache access', () => {
  it('reads a client host name (HostnameLookups On) into source.domain', () => {
    const event = apache.parse('client7.example.net - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 5', ctx);
    expect(event['source.domain']).toBe('client7.example.net');
    expect(event['source.ip']).toBeUndefined();
  });

  it('keeps ident and appended fields other than %D', () => {
    const event = apache.parse('10.0.0.1 ident1 - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "ua" "10.9.9.9" 123', ctx);
    expect(event['apache.access.ident']).toBe('ident1');
    expect(event['apache.access.extra']).toBe('"10.9.9.9" 123');
    expect(event['event.duration']).toBeUndefined();
  });

  it('rejects a non-numeric status or size', () => {
    expect(() => apache.parse('10.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" OK 5', ctx)).toThrow('invalid HTTP status');
    expect(() => apache.parse('10.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 5kB', ctx)).toThrow('invalid response size');
    expect(() => apache.parse('10.0.0.1 - - [yesterday] "GET / HTTP/1.1" 200 5', ctx)).toThrow('invalid CLF time');
    expect(() => apache.parse('10.0.0.1 - - [01/May/2024:10:00:00 +0000] 200 5', ctx)).toThrow('no "request"');
  });
});

describe('apache error', () => {
  it('reads the zone-less time in the source zone', () => {
    const event = apache.parse('[Wed May 01 10:00:00.500000 2024] [ssl:warn] [pid 9] AH01909: server certificate does NOT include an ID which matches the server name', ctx);
    expect(event).toMatchObject({ '@timestamp': '2024-05-01T01:00:00.500Z', 'log.level': 'warn', 'apache.error.module': 'ssl', 'process.pid': 9, 'error.code': 'AH01909' });
    expect(event['process.thread.id']).toBeUndefined();
  });

  it('reads IPv6 clients with and without a port', () => {
    expect(apache.parse('[Wed May 01 10:00:00 2024] [error] [client ::1] File does not exist: /var/www/x', ctx)['source.ip']).toBe('::1');
    const v24 = apache.parse('[Wed May 01 10:00:00.1 2024] [core:info] [pid 1:tid 2] [client 2001:db8::7:51234] AH00128: File does not exist', ctx);
    expect(v24).toMatchObject({ 'source.ip': '2001:db8::7', 'source.port': 51234 });
  });

  it('accepts a space-padded day and an empty module', () => {
    const event = apache.parse('[Wed May  1 10:00:00 2024] [:error] [pid 5] PHP Warning:  something', ctx);
    expect(event).toMatchObject({ '@timestamp': '2024-05-01T01:00:00.000Z', 'log.level': 'error', message: 'PHP Warning:  something' });
    expect(event['apache.error.module']).toBeUndefined();
  });

  it('takes the time from syslog when Apache logs there without its own', () => {
    const event = apache.parse('<187>May  1 10:00:00 web1 httpd[77]: [core:error] [pid 77] AH00037: Symbolic link not allowed', ctx);
    expect(event).toMatchObject({ 'host.name': 'web1', 'process.name': 'httpd', 'process.pid': 77, '@timestamp': '2024-05-01T01:00:00.000Z', 'error.code': 'AH00037' });
  });

  it('rejects an impossible time and a line with no level', () => {
    expect(() => apache.parse('[Wed Feb 30 10:00:00 2024] [error] x', ctx)).toThrow('invalid Apache error log time');
    expect(() => apache.parse('[unclosed', ctx)).toThrow('no [level]');
  });

  it('sniffs error lines and CLF lines', () => {
    expect(apache.sniff!('[Wed May 01 10:00:00.123456 2024] [core:error] [pid 1] x')).toBe(true);
    expect(apache.sniff!('10.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 5')).toBe(true);
    expect(apache.sniff!('<13>May  1 10:00:00 host app: [info] hello')).toBe(false);
    expect(apache.sniff!('{"remote_addr":"1.2.3.4"}')).toBe(false);
  });
});
