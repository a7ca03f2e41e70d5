import { describe, expect, it } from 'vitest';
import { findLeef, leef } from './leef.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };

describe('leef header', () => {
  it('unescapes \\| in header fields', () => {
    const e = leef.parse('LEEF:1.0|A\\|B|P|1|ID\\\\1|src=10.0.0.1', ctx);
    expect(e).toMatchObject({ 'observer.vendor': 'A|B', 'event.code': 'ID\\1', 'source.ip': '10.0.0.1' });
  });

  it('reads LEEF 2.0 with no delimiter field, an empty one, and hex forms', () => {
    expect(leef.parse('LEEF:2.0|V|P|1|E|src=10.0.0.1\tdst=10.0.0.2', ctx)['destination.ip']).toBe('10.0.0.2');
    expect(leef.parse('LEEF:2.0|V|P|1|E||src=10.0.0.1\tdst=10.0.0.2', ctx)['destination.ip']).toBe('10.0.0.2');
    expect(leef.parse('LEEF:2.0|V|P|1|E|0x7C|src=10.0.0.1|dst=10.0.0.2', ctx)['destination.ip']).toBe('10.0.0.2');
    expect(leef.parse('LEEF:2.0|V|P|1|E|x25|usrName=a b%dst=10.0.0.2', ctx)).toMatchObject({ 'user.name': 'a b', 'destination.ip': '10.0.0.2' });
  });

  it('rejects bad versions, delimiters and short headers', () => {
    expect(() => leef.parse('LEEF:3.0|V|P|1|E|a=b', ctx)).toThrow('unsupported LEEF version "3.0"');
    expect(() => leef.parse('LEEF:2.0|V|P|1|E|xZZ|a=b', ctx)).toThrow('invalid LEEF 2.0 delimiter "xZZ"');
    expect(() => leef.parse('LEEF:1.0|V|P|1', ctx)).toThrow('incomplete LEEF header');
    expect(() => leef.parse('no marker here', ctx)).toThrow('no "LEEF:" header');
  });
});

describe('leef attributes', () => {
  it('reads devTime with devTimeFormat in any order, in the source zone', () => {
    const e = leef.parse('LEEF:1.0|V|P|1|E|devTimeFormat=dd.MM.yyyy HH:mm:ss\tdevTime=01.05.2024 10:00:00', { ...ctx, timezone: 'Europe/Berlin' });
    expect(e['@timestamp']).toBe('2024-05-01T08:00:00.000Z');
  });

  it('keeps a devTime it cannot read and falls back to the header time', () => {
    const e = leef.parse('<13>May  1 10:00:00 h LEEF:1.0|V|P|1|E|devTime=yesterday\tdevTimeFormat=yyyy', ctx);
    expect(e).toMatchObject({ '@timestamp': '2024-05-01T10:00:00.000Z', 'leef.devTime': 'yesterday', 'leef.devTimeFormat': 'yyyy' });
  });

  it('keeps values that do not fit under leef, and marks logouts', () => {
    const e = leef.parse('LEEF:1.0|V|P|1|E|src=host-a\tsrcPort=-1\tsev=High\tisLogoutEvent=true\tusrName=CORP\\ann', ctx);
    expect(e).toMatchObject({ 'leef.src': 'host-a', 'leef.srcPort': '-1', 'leef.sev': 'High', 'event.category': ['authentication'], 'event.type': ['end'], 'user.name': 'ann', 'user.domain': 'CORP' });
  });
});

describe('findLeef / sniff', () => {
  it('only accepts LEEF: at the start or after a blank or PRI', () => {
    expect(findLeef('<13>LEEF:1.0|')).toBe(4);
    expect(findLeef('xLEEF:1.0| LEEF:1.0|')).toBe(11);
    expect(leef.sniff?.('host app: LEEF:2.0|V|P|1|E|')).toBe(true);
    expect(leef.sniff?.('CEF:0|LEEF:|x')).toBe(false);
  });
});
