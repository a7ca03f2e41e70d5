import { describe, expect, it } from 'vitest';
import { nginx } from './nginx.js';
import { ParseError } from './parser.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'Asia/Tokyo' };
const COMBINED = '10.0.0.1 - bob [01/May/2024:10:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "curl/8"';

describe('nginx access', () => {
  it('reads $request_time appended to combined or main', () => {
    expect(nginx.parse(COMBINED + ' 0.250', ctx)['event.duration']).toBe(250_000_000);
    const main = nginx.parse(COMBINED + ' "-" 1.000', ctx);
    expect(main['event.duration']).toBe(1_000_000_000);
    expect(main['nginx.access.x_forwarded_for']).toBeUndefined();
  });

  it('keeps other appended fields, and an X-Forwarded-For that is not an address', () => {
    const event = nginx.parse(COMBINED + ' "unknown, 10.0.0.2" rt=0.1 uct="0.000"', ctx);
    expect(event['nginx.access.x_forwarded_for']).toBe('unknown, 10.0.0.2');
    expect(event['network.forwarded_ip']).toBeUndefined();
    expect(event['nginx.access.extra']).toBe('rt=0.1 uct="0.000"');
  });

  it('keeps an escaped quote inside the user agent', () => {
    const event = nginx.parse('10.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "x\\" \\"y"', ctx);
    expect(event['user_agent.original']).toBe('x" "y');
  });

  it('reads JSON with time_local, numbers, nested objects and unknown keys', () => {
    const event = nginx.parse(
      '{"time_local":"01/May/2024:19:00:00 +0900","remote_addr":"10.0.0.1","request_method":"POST","request_uri":"/x?y=1","status":502,"request_time":0.5,"upstream":{"addr":"10.0.0.9:80"},"cf_ray":"abc","tags":["a"]}',
      ctx,
    );
    expect(event).toMatchObject({
      '@timestamp': '2024-05-01T10:00:00.000Z',
      'source.ip': '10.0.0.1',
      'http.request.method': 'POST',
      'url.path': '/x',
      'url.query': 'y=1',
      'http.response.status_code': 502,
      'event.outcome': 'failure',
      'event.duration': 500_000_000,
      'nginx.access.upstream.addr': '10.0.0.9:80',
      'nginx.access.cf_ray': 'abc',
      'nginx.access.tags': ['a'],
    });
    expect(event['nginx.access.time_local']).toBeUndefined();
  });

  it('reads msec epoch times and falls back to the receive time', () => {
    expect(nginx.parse('{"msec":"1714557600.123","remote_addr":"10.0.0.1"}', ctx)['@timestamp']).toBe('2024-05-01T10:00:00.123Z');
    expect(nginx.parse('{"remote_addr":"10.0.0.1"}', ctx)['@timestamp']).toBe('2024-05-01T12:00:00.000Z');
  });

  it('keeps reserved names a JSON line sends under nginx.access.*', () => {
    const event = nginx.parse('{"remote_addr":"10.0.0.1","tenant":{"id":"other"},"event.id":"x","__proto__":{"polluted":1}}', ctx);
    expect(event['tenant.id']).toBeUndefined();
    expect(event['event.id']).toBeUndefined();
    expect(event['nginx.access.tenant.id']).toBe('other');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects invalid JSON and non-objects', () => {
    expect(() => nginx.parse('{"remote_addr":', ctx)).toThrow('invalid JSON');
    expect(() => nginx.parse('{', ctx)).toThrow(ParseError);
  });
});

describe('nginx error', () => {
  it('reads the zone-less time in the source zone', () => {
    const event = nginx.parse('2024/05/01 10:00:00 [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)', ctx);
    expect(event).toMatchObject({ '@timestamp': '2024-05-01T01:00:00.000Z', 'log.level': 'emerg', 'process.pid': 1, 'process.thread.id': 1 });
    expect(event['nginx.error.connection_id']).toBeUndefined();
    expect(event.message).toBe('bind() to 0.0.0.0:80 failed (98: Address already in use)');
  });

  it('does not take a client named inside a quoted path for the real one', () => {
    const event = nginx.parse(
      '2024/05/01 10:00:00 [error] 7#7: *1 open() "/srv/a, client: 6.6.6.6, server: x" failed (2: No such file or directory), client: 10.0.0.1, server: s, request: "GET /a, client: 6.6.6.6 HTTP/1.1", host: "h"',
      ctx,
    );
    expect(event['source.ip']).toBe('10.0.0.1');
    expect(event['url.original']).toBe('/a, client: 6.6.6.6');
    expect(event['url.domain']).toBe('h');
  });

  it('keeps a client that is not an address, and a garbage request', () => {
    const event = nginx.parse('2024/05/01 10:00:00 [info] 7#7: *2 client sent invalid request, client: unix:, server: s, request: "\\x16\\x03\\x01"', ctx);
    expect(event['nginx.error.client']).toBe('unix:');
    expect(event['nginx.error.request']).toBe('\\x16\\x03\\x01');
  });

  it('rejects an impossible time', () => {
    expect(() => nginx.parse('2024/02/30 10:00:00 [error] 1#1: x', ctx)).toThrow('invalid nginx error log time');
  });

  it('sniffs error lines and JSON access lines', () => {
    expect(nginx.sniff!('2024/05/01 10:00:00 [error] 1#1: x')).toBe(true);
    expect(nginx.sniff!('{"time_local":"x","remote_addr":"1.2.3.4"}')).toBe(true);
    expect(nginx.sniff!('{"src_ip":"1.2.3.4"}')).toBe(false);
    expect(nginx.sniff!(COMBINED)).toBe(false);
  });
});
