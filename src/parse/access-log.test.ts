import { describe, expect, it } from 'vitest';
import type { MamoriEvent } from '../core/event.js';
import { FieldReader, durationNs, parseClfTime, setRequestLine, setUrl } from './access-log.js';

function fields(line: string): string[] {
  const reader = new FieldReader(line);
  const out: string[] = [];
  for (let f = reader.next(); f !== undefined; f = reader.next()) out.push(f);
  return out;
}

function request(line: string): MamoriEvent {
  const event: MamoriEvent = {};
  setRequestLine(event, line, 'x.');
  return event;
}

describe('FieldReader', () => {
  it('splits bare and quoted fields on runs of blanks', () => {
    expect(fields('  a   "b c"\t- ""  d ')).toEqual(['a', 'b c', '-', '', 'd']);
  });

  it('undoes \\" and \\\\ inside quotes and keeps \\xHH as written', () => {
    expect(fields('"say \\"hi\\" \\\\ \\x16" z')).toEqual(['say "hi" \\ \\x16', 'z']);
  });

  it('only closes a quote before a blank, so a stray quote stays in the value', () => {
    expect(fields('"a"b" c')).toEqual(['a"b', 'c']);
  });

  it('runs an unterminated quote to the end of the line', () => {
    expect(fields('x "never closed')).toEqual(['x', 'never closed']);
  });

  it('reads [bracketed] fields and leaves the rest', () => {
    const reader = new FieldReader('[01/May/2024:10:00:00 +0000] tail  end  ');
    expect(reader.nextBracketed()).toBe('01/May/2024:10:00:00 +0000');
    expect(reader.nextBracketed()).toBeUndefined();
    expect(reader.rest()).toBe('tail  end');
  });
});

describe('parseClfTime', () => {
  it('applies the offset the line carries', () => {
    expect(new Date(parseClfTime('01/May/2024:10:00:00 +0900', 'UTC')).toISOString()).toBe('2024-05-01T01:00:00.000Z');
    expect(new Date(parseClfTime('01/May/2024:10:00:00 -0730', 'Asia/Tokyo')).toISOString()).toBe('2024-05-01T17:30:00.000Z');
  });

  it('reads fractions, ISO 8601, and a zone-less time in the given zone', () => {
    expect(new Date(parseClfTime('01/May/2024:10:00:00.250 +0000', 'UTC')).toISOString()).toBe('2024-05-01T10:00:00.250Z');
    expect(new Date(parseClfTime('2024-05-01T10:00:00+02:00', 'UTC')).toISOString()).toBe('2024-05-01T08:00:00.000Z');
    expect(new Date(parseClfTime('01/May/2024:10:00:00', 'Asia/Tokyo')).toISOString()).toBe('2024-05-01T01:00:00.000Z');
  });

  it('rejects impossible dates and malformed text', () => {
    for (const bad of ['30/Feb/2024:10:00:00 +0000', '01/Foo/2024:10:00:00 +0000', '01/May/2024:25:00:00 +0000', '01/May/2024:10:00:00 +9', '01/May/2024:10:00:00 x', '']) {
      expect(parseClfTime(bad, 'UTC'), bad).toBeNaN();
    }
  });
});

describe('setRequestLine', () => {
  it('splits method, origin-form target and version', () => {
    expect(request('GET /a/b.php?x=1&y=2#top HTTP/1.1')).toEqual({
      'http.request.method': 'GET',
      'http.version': '1.1',
      'url.original': '/a/b.php?x=1&y=2#top',
      'url.path': '/a/b.php',
      'url.query': 'x=1&y=2',
      'url.fragment': 'top',
    });
  });

  it('accepts HTTP/0.9 lines without a version', () => {
    expect(request('GET /')).toEqual({ 'http.request.method': 'GET', 'url.original': '/', 'url.path': '/' });
  });

  it('splits absolute URLs with user info, ports and IPv6 literals', () => {
    expect(request('GET http://bob:secret@Example.com:8080/p?q HTTP/1.1')).toMatchObject({
      'url.full': 'http://bob:secret@Example.com:8080/p?q',
      'url.scheme': 'http',
      'url.username': 'bob',
      'url.domain': 'Example.com',
      'url.port': 8080,
      'url.path': '/p',
      'url.query': 'q',
    });
    expect(request('GET http://bob:secret@Example.com:8080/p?q HTTP/1.1')['url.password']).toBeUndefined();
    expect(request('GET http://[2001:db8::1]:8443/ HTTP/1.1')).toMatchObject({ 'url.domain': '[2001:db8::1]', 'url.port': 8443, 'url.path': '/' });
  });

  it('reads CONNECT targets as host:port', () => {
    expect(request('CONNECT example.com:443 HTTP/1.1')).toMatchObject({ 'url.domain': 'example.com', 'url.port': 443 });
    expect(request('CONNECT [::1]:443 HTTP/1.1')).toMatchObject({ 'url.domain': '[::1]', 'url.port': 443 });
  });

  it('keeps a line that is not a request whole under the prefix', () => {
    expect(request('\\x16\\x03\\x01\\x00\\xA5')).toEqual({ 'x.request': '\\x16\\x03\\x01\\x00\\xA5' });
    expect(request('GET  HTTP/1.1')).toEqual({ 'x.request': 'GET  HTTP/1.1' });
    expect(request('<script> /x HTTP/1.1')).toEqual({ 'x.request': '<script> /x HTTP/1.1' });
    expect(request('-')).toEqual({});
  });

  it('leaves targets that are neither paths nor URLs in url.original only', () => {
    for (const target of ['*', 'error:invalid-request', 'javascript:alert(1)']) {
      const event: MamoriEvent = {};
      setUrl(event, target, false);
      expect(event).toEqual({ 'url.original': target });
    }
  });
});

describe('durationNs', () => {
  it('converts whole and fractional counts of a unit', () => {
    expect(durationNs('345', 1e6)).toBe(345_000_000);
    expect(durationNs('0.042', 1e9)).toBe(42_000_000);
    expect(durationNs('1.5', 1e9)).toBe(1_500_000_000);
  });

  it('rejects non-numbers', () => {
    for (const bad of ['', '-', '1.2.3', '.5', '1e3', 'abc', '-1']) expect(durationNs(bad, 1e9), bad).toBeUndefined();
  });
});
