import { describe, expect, it } from 'vitest';
import { hostEvent, readHostLine, sniffTag, spanIs } from './host-log.js';
import { Template } from './linux-auth-fields.js';
import { parseDecimal, setSmtpReply } from './mail-fields.js';
import type { MamoriEvent } from '../core/event.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };

describe('readHostLine', () => {
  it('copies time, PRI, host and program into the host event', () => {
    const host = readHostLine('<86>May  1 10:00:00 web01 sshd[7]: hello', ctx, 'x');
    expect(hostEvent('m', 'm.d', host, 'sshd')).toEqual({
      '@timestamp': '2024-05-01T10:00:00.000Z',
      'event.kind': 'event',
      'event.module': 'm',
      'event.dataset': 'm.d',
      'log.syslog.priority': 86,
      'log.syslog.facility.code': 10,
      'log.syslog.facility.name': 'authpriv',
      'log.syslog.severity.code': 6,
      'log.syslog.severity.name': 'informational',
      'host.name': 'web01',
      'process.name': 'sshd',
      'process.pid': 7,
      message: 'hello',
    });
  });

  it('unwraps rsyslog repeats and leaves malformed ones as they are', () => {
    expect(readHostLine('May  1 10:00:00 h a: message repeated 12 times: [ x y]', ctx, 'x')).toMatchObject({ body: 'x y', repeated: 12 });
    expect(readHostLine('May  1 10:00:00 h a: message repeated 2 times: [ cut', ctx, 'x')).toMatchObject({ body: 'cut', repeated: 2 });
    expect(readHostLine('May  1 10:00:00 h a: message repeated many times: [ x]', ctx, 'x')).toMatchObject({ body: 'message repeated many times: [ x]', repeated: undefined });
  });

  it('names the format in its errors', () => {
    expect(() => readHostLine('no header here', ctx, 'fmt')).toThrow('not a fmt line: no syslog header');
    expect(() => readHostLine('<13>May  1 10:00:00 host just words', ctx, 'fmt')).toThrow('not a fmt line: no program tag');
  });
});

describe('sniffTag', () => {
  const tagOf = (line: string) => {
    let tag: string | undefined;
    sniffTag(line, (text, start, end) => {
      tag = text.slice(start, end);
      return true;
    });
    return tag;
  };

  it('finds the tag after BSD, ISO and RFC 5424 headers, with and without host', () => {
    expect(tagOf('<13>May  1 10:00:00 host sshd[1]: x')).toBe('sshd');
    expect(tagOf('May  1 10:00:00 sudo: x')).toBe('sudo');
    expect(tagOf('2024-05-01T10:00:00.1+02:00 host postfix/smtpd[1]: x')).toBe('postfix/smtpd');
    expect(tagOf('<13>1 2024-05-01T10:00:00Z host app 1 - - x')).toBe('app');
    expect(tagOf('just some words without a tag')).toBeUndefined();
    expect(tagOf('x'.repeat(10_000))).toBeUndefined();
  });

  it('compares spans without slicing', () => {
    expect(spanIs('a sshd b', 2, 6, 'sshd')).toBe(true);
    expect(spanIs('a sshdx b', 2, 7, 'sshd')).toBe(false);
  });
});

describe('Template', () => {
  it('captures up to the next literal and requires the whole text', () => {
    expect(new Template("delete user '%'").match("delete user 'bob'")).toEqual(['bob']);
    expect(new Template("delete user '%'").match("delete user 'bob' now")).toBeUndefined();
    expect(new Template('(%) CMD (%)').match('(root) CMD (echo (a))')).toEqual(['root', 'echo (a)']);
    expect(new Template('a % b %').match('a x b ')).toEqual(['x', '']);
    expect(new Template('fixed').match('fixed')).toEqual([]);
    expect(new Template('x%x').match('x')).toBeUndefined();
  });
});

describe('mail fields', () => {
  it('reads SMTP replies with and without a code or DSN', () => {
    const reply = (text: string) => {
      const e: MamoriEvent = {};
      setSmtpReply(e, { code: 'p.reply_code', dsn: 'p.dsn' }, text);
      return e;
    };
    expect(reply('554 5.7.1 <a@b>: denied')).toEqual({ 'event.reason': '554 5.7.1 <a@b>: denied', 'p.reply_code': 554, 'p.dsn': '5.7.1' });
    expect(reply('5.7.1 Spam')).toEqual({ 'event.reason': '5.7.1 Spam', 'p.dsn': '5.7.1' });
    expect(reply('450 busy')).toEqual({ 'event.reason': '450 busy', 'p.reply_code': 450 });
    expect(reply('5.7.1234 x')).toEqual({ 'event.reason': '5.7.1234 x' });
    expect(reply('')).toEqual({});
  });

  it('parses plain decimals only', () => {
    expect([parseDecimal('0.52'), parseDecimal('12'), parseDecimal('1.'), parseDecimal('.5'), parseDecimal('1e3'), parseDecimal('')]).toEqual([0.52, 12, undefined, undefined, undefined, undefined]);
  });
});
