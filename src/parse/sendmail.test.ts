import { describe, expect, it } from 'vitest';
import { sendmail } from './sendmail.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };
const parse = (body: string, tag = 'sendmail') => sendmail.parse(`May  1 10:00:00 mail1 ${tag}[42]: ${body}`, ctx);

describe('sendmail pairs', () => {
  it('ends a value only at ", key=" outside parentheses', () => {
    const e = parse('44UA0Xq1012345: to=<b@example.net>, delay=00:00:01, mailer=esmtp, relay=mx.example.net. [198.51.100.7], dsn=2.0.0, stat=Sent (Ok: queued as 12, id=3, x=4)');
    expect(e).toMatchObject({ 'sendmail.status': 'Sent', 'sendmail.response': 'Ok: queued as 12, id=3, x=4', 'event.outcome': 'success' });
    expect(e['sendmail.id']).toBeUndefined();
    expect(e['destination.domain']).toBe('mx.example.net');
  });

  it('splits several recipients and reads every relay spelling', () => {
    expect(parse('44UA0Xq1012345: to=a@x.example,<b@y.example>, stat=queued')['email.to.address']).toEqual(['a@x.example', 'b@y.example']);
    expect(parse('44UA0Xq1012345: from=<a@x.example>, relay=[IPv6:2001:db8::1]')['source.ip']).toBe('2001:db8::1');
    const local = parse('44UA0Xq1012345: from=root, relay=root@localhost');
    expect(local['sendmail.relay']).toBe('root@localhost');
    expect(local['source.ip']).toBeUndefined();
    const user = parse('44UA0Xq1012345: from=<a@x.example>, relay=alice@client.example [192.0.2.4] (may be forged)');
    expect(user).toMatchObject({ 'sendmail.relay_user': 'alice', 'source.domain': 'client.example', 'source.ip': '192.0.2.4', 'sendmail.relay_may_be_forged': true });
    expect(parse('44UA0Xq1012345: from=<a@x.example>, relay=h [not-an-ip]')['sendmail.relay']).toBe('h [not-an-ip]');
  });

  it('gives queued messages no outcome and failed statuses without a DSN a failure', () => {
    expect(parse('44UA0Xq1012345: to=root, stat=queued', 'sm-msp-queue')).not.toHaveProperty('event.outcome');
    expect(parse('44UA0Xq1012345: to=root, stat=queued', 'sm-msp-queue')['event.dataset']).toBe('sendmail.msp');
    expect(parse('44UA0Xq1012345: to=<x@y.example>, stat=User unknown')).toMatchObject({ 'event.outcome': 'failure', 'sendmail.status': 'User unknown' });
  });

  it('reads the text before the pairs of AUTH failures and marks SYSERR lines', () => {
    const auth = parse('AUTH failure (PLAIN): user not found (-20) SASL(-13): user not found: checkpass failed, user=bob, relay=[192.0.2.9]');
    expect(auth).toMatchObject({ 'sendmail.auth.mech': 'PLAIN', 'user.name': 'bob', 'source.ip': '192.0.2.9', 'event.outcome': 'failure' });
    expect(parse('SYSERR(root): hash map "Alias0": missing map file /etc/mail/aliases.db')['log.level']).toBe('error');
  });

  it('keeps unknown messages and survives unbalanced or huge input', () => {
    const e = parse('starting daemon (8.17.1): SMTP+queueing@00:30:00');
    expect(e).toMatchObject({ 'event.category': ['email'], message: 'starting daemon (8.17.1): SMTP+queueing@00:30:00' });
    expect(e['event.action']).toBeUndefined();
    // An unclosed parenthesis swallows the pairs after it instead of failing the line.
    expect(parse('44UA0Xq1012345: from=<a@b> (((, size=1, nrcpts=2')['email.from.address']).toBe('<a@b> (((, size=1, nrcpts=2');
    expect(parse('44UA0Xq1012345: ' + ', a='.repeat(100_000))['event.module']).toBe('sendmail');
  });

  it('rejects other programs by name', () => {
    expect(() => parse('connect', 'postfix/smtpd')).toThrow('not a sendmail line: program is "postfix/smtpd"');
  });
});

describe('sendmail sniff', () => {
  it('matches the sendmail tags only', () => {
    expect(sendmail.sniff?.('<22>May  1 10:00:00 mail1 sendmail[1]: x')).toBe(true);
    expect(sendmail.sniff?.('May  1 10:00:00 mail1 sm-mta[1]: x')).toBe(true);
    expect(sendmail.sniff?.('May  1 10:00:00 mail1 sendmail-foo[1]: x')).toBe(false);
    expect(sendmail.sniff?.('May  1 10:00:00 mail1 postfix/smtpd[1]: sendmail[1]:')).toBe(false);
  });
});
