import { describe, expect, it } from 'vitest';
import { ParseError } from './parser.js';
import { snort } from './snort.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12), timezone: 'UTC' };
const ALERT = '[**] [1:2019401:3] ET POLICY Test [**] [Classification: Misc activity] [Priority: 3] {TCP} 10.0.0.1:1234 -> 192.0.2.1:80';

describe('snort times', () => {
  it('reads a yearless time in the source zone', () => {
    const e = snort.parse(`05/01-10:00:00.500000 ${ALERT}`, { ...ctx, timezone: 'Asia/Tokyo' });
    expect(e['@timestamp']).toBe('2024-05-01T01:00:00.500Z');
  });

  it('dates December alerts read in January in the previous year', () => {
    const e = snort.parse(`12/31-23:59:59.000000 ${ALERT}`, { received: Date.UTC(2025, 0, 1, 0, 5), timezone: 'UTC' });
    expect(e['@timestamp']).toBe('2024-12-31T23:59:59.000Z');
  });

  it('reads the -y year form and rejects impossible dates', () => {
    expect(snort.parse(`02/29/24-01:02:03.000001 ${ALERT}`, ctx)['@timestamp']).toBe('2024-02-29T01:02:03.000Z');
    expect(() => snort.parse(`02/30/24-01:02:03.000001 ${ALERT}`, ctx)).toThrow(ParseError);
  });
});

describe('snort alerts', () => {
  it('keeps brackets that are part of the message', () => {
    const e = snort.parse('05/01-10:00:00.1 [**] [1:1:1] MALWARE [CnC] beacon [**] [Priority: 1] {UDP} 10.0.0.1:53 -> 10.0.0.2:5353', ctx);
    expect(e['rule.name']).toBe('MALWARE [CnC] beacon');
    expect(e['event.severity']).toBe(1);
    expect(e['network.transport']).toBe('udp');
  });

  it('reads IPv6 endpoints with and without brackets', () => {
    // Unbracketed, `2001:db8::1:443` is itself a valid address: read as one, without a port.
    const bare = snort.parse('05/01-10:00:00.1 [**] [1:1:1] m [**] [Priority: 1] {TCP} 2001:db8::1:443 -> fe80::1', ctx);
    expect(bare['source.ip']).toBe('2001:db8::1:443');
    expect(bare['source.port']).toBeUndefined();
    const ported = snort.parse('05/01-10:00:00.1 [**] [1:1:1] m [**] [Priority: 1] {TCP} 2001:db8:0:0:0:0:0:1:443 -> fe80::1', ctx);
    expect(ported['source.ip']).toBe('2001:db8:0:0:0:0:0:1');
    expect(ported['source.port']).toBe(443);
    const bracketed = snort.parse('05/01-10:00:00.1 [**] [1:1:1] m [**] [Priority: 1] {TCP} [2001:db8::1]:443 -> [2001:db8::2]:50000', ctx);
    expect(bracketed['destination.ip']).toBe('2001:db8::2');
    expect(bracketed['destination.port']).toBe(50000);
  });

  it('leaves addresses out when the tail is not src -> dst', () => {
    const e = snort.parse('05/01-10:00:00.1 [**] [1:1:1] odd {TCP} text [**] [Priority: 1] {TCP} 999.0.0.1:1 -> 10.0.0.2:2', ctx);
    expect(e['source.ip']).toBeUndefined();
    expect(e['rule.id']).toBe('1');
  });

  it('reads alert_syslog without a time of its own line', () => {
    const e = snort.parse('snort[99]: [1:2:3] msg [Classification: c] [Priority: 4]: {ICMP} 10.0.0.1 -> 10.0.0.2', ctx);
    expect(e['event.kind']).toBe('alert');
    expect(e['rule.category']).toBe('c');
    expect(e['event.severity']).toBe(4);
    expect(e['@timestamp']).toBe('2024-05-01T12:00:00.000Z');
  });

  it('rejects lines that are no Snort output', () => {
    for (const line of ['', 'hello world', '[**] no rule id', '[1:2] msg', '05/01-10:00:00.1 nothing here', '[Classification: x] trailing']) {
      expect(() => snort.parse(line, ctx), line).toThrow(ParseError);
    }
  });

  it('handles a megabyte of brackets in linear time', () => {
    const line = `05/01-10:00:00.1 [**] [1:1:1] ${'[x] '.repeat(250_000)}[**] [Priority: 1]`;
    const started = performance.now();
    expect(snort.parse(line, ctx)['event.severity']).toBe(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('snort sniff', () => {
  it('recognises alert lines only', () => {
    expect(snort.sniff!(`05/01-10:00:00.1 ${ALERT}`)).toBe(true);
    expect(snort.sniff!('snort[1]: [1:2:3] m [Classification: c] [Priority: 1]: {TCP} a -> b')).toBe(true);
    expect(snort.sniff!('CEF:0|a|b|c|d|e|1|')).toBe(false);
  });
});
