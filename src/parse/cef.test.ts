import { describe, expect, it } from 'vitest';
import { cef, findCef } from './cef.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };
const parse = (ext: string) => cef.parse(`CEF:0|V|P|1|100|Name|5|${ext}`, ctx);

describe('cef extension', () => {
  it('ends a value only at a space followed by key=', () => {
    const e = parse('msg=a b = c d=e=f request=http://h/?q=1&r=2 cs1=x');
    expect(e.message).toBe('a b = c');
    expect(e['cef.extensions.d']).toBe('e=f');
    expect(e['url.full']).toBe('http://h/?q=1&r=2');
    expect(e['cef.extensions.cs1']).toBe('x');
  });

  it('unescapes \\=, \\\\, \\n and \\r and keeps unknown escapes', () => {
    const e = parse('msg=a\\=b \\\\ c\\nd\\re\\tf fname=x\\\\');
    expect(e.message).toBe('a=b \\ c\nd\re\\tf');
    expect(e['file.name']).toBe('x\\');
  });

  it('keeps values that do not fit their ECS type under cef.extensions', () => {
    const e = parse('src=not-an-ip spt=99999 in=-5 rt=someday fileHash=abc dst=2001:db8::1 dpt=443');
    expect(e['cef.extensions.src']).toBe('not-an-ip');
    expect(e['cef.extensions.spt']).toBe('99999');
    expect(e['cef.extensions.in']).toBe('-5');
    expect(e['cef.extensions.rt']).toBe('someday');
    expect(e['cef.extensions.fileHash']).toBe('abc');
    expect(e['@timestamp']).toBe('2024-05-01T12:00:00.000Z');
    expect(e['destination.ip']).toBe('2001:db8::1');
    expect(e['destination.port']).toBe(443);
  });

  it('reads rt as epoch ms, with a zone name, an offset or an IANA zone', () => {
    expect(parse('rt=1714557600000')['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
    expect(parse('rt=May 01 2024 10:00:00.123 UTC')['@timestamp']).toBe('2024-05-01T10:00:00.123Z');
    expect(parse('rt=May 01 2024 10:00:00 +0200')['@timestamp']).toBe('2024-05-01T08:00:00.000Z');
    expect(parse('rt=May 01 2024 10:00:00 Asia/Tokyo')['@timestamp']).toBe('2024-05-01T01:00:00.000Z');
    expect(parse('rt=2024-05-01T10:00:00Z')['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
  });

  it('maps text severities, outcomes and numeric protocols', () => {
    const sev = (s: string) => cef.parse(`CEF:0|V|P|1|1|N|${s}|`, ctx)['event.severity'];
    expect([sev('Low'), sev('medium'), sev('HIGH'), sev('Very-High'), sev('0'), sev('11'), sev('Unknown')]).toEqual([3, 6, 8, 10, 0, undefined, undefined]);
    expect(parse('outcome=Failed proto=6')).toMatchObject({ 'event.outcome': 'failure', 'network.transport': 'tcp' });
    expect(parse('outcome=maybe')['cef.extensions.outcome']).toBe('maybe');
  });

  it('accepts a header without the final pipe and an empty extension', () => {
    const e = cef.parse('CEF:0|V|P|1|100|Name|7', ctx);
    expect(e['event.severity']).toBe(7);
    expect(Object.keys(e).some((k) => k.startsWith('cef.extensions.'))).toBe(false);
  });

  it('rejects a bad version or a missing CEF: marker', () => {
    expect(() => cef.parse('CEF:x|V|P|1|100|N|5|', ctx)).toThrow('invalid CEF version');
    expect(() => cef.parse('hello CEF world', ctx)).toThrow('no "CEF:" header');
  });

  it('ignores a syslog header it cannot read', () => {
    const e = cef.parse('garbage here CEF:0|V|P|1|100|N|5|src=10.0.0.1', ctx);
    expect(e['source.ip']).toBe('10.0.0.1');
    expect(e['observer.hostname']).toBeUndefined();
  });

  it('reads an RFC 5424 header in front of CEF', () => {
    const e = cef.parse('<134>1 2024-05-01T10:00:00Z fw9 app - - - CEF:0|V|P|1|100|N|5|', ctx);
    expect(e).toMatchObject({ '@timestamp': '2024-05-01T10:00:00.000Z', 'observer.hostname': 'fw9', 'log.syslog.priority': 134 });
  });

  it('finds CEF: only where a payload can start', () => {
    expect(findCef('CEF:0|')).toBe(0);
    expect(findCef('<13>CEF:0|')).toBe(4);
    expect(findCef('xCEF:0| host CEF:0|')).toBe(13);
    expect(findCef('aaaa CEF:0|', 3)).toBe(-1);
  });
});
