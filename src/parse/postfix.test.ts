import { describe, expect, it } from 'vitest';
import { postfix } from './postfix.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };
const parse = (tag: string, body: string) => postfix.parse(`May  1 10:00:00 mx1 ${tag}[42]: ${body}`, ctx);

describe('postfix tags and queue ids', () => {
  it('takes the process from the last tag component, for services and multi-instance names', () => {
    const submission = parse('postfix/submission/smtpd', 'connect from unknown[192.0.2.1]');
    expect(submission).toMatchObject({ 'process.name': 'smtpd', 'event.dataset': 'postfix.smtpd', 'log.syslog.appname': 'postfix/submission/smtpd' });
    expect(parse('postfix-out/smtp', 'connect from unknown[192.0.2.1]')['event.dataset']).toBe('postfix.smtp');
  });

  it('reads short and long queue ids but not lower-case words or NOQUEUE', () => {
    expect(parse('postfix/qmgr', '4Vd1xq3bQYz9sWM: removed')['postfix.queue_id']).toBe('4Vd1xq3bQYz9sWM');
    expect(parse('postfix/qmgr', '3F1C21A0B2C: removed')['transaction.id']).toBe('3F1C21A0B2C');
    expect(parse('postfix/anvil', 'statistics: max cache size 3 at May  1 09:59:00')['postfix.queue_id']).toBeUndefined();
    expect(parse('postfix/smtpd', 'NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 450 4.7.1 busy')['postfix.queue_id']).toBeUndefined();
  });

  it('rejects other programs, tags that only look like postfix, and lines without a header', () => {
    expect(() => parse('sshd', 'Accepted password for a from 192.0.2.1 port 1 ssh2')).toThrow('not a postfix line: program is "sshd"');
    expect(() => parse('postfix', 'hello')).toThrow('program is "postfix"');
    expect(() => parse('postfix/', 'hello')).toThrow('program is "postfix/"');
    expect(() => postfix.parse('connect from unknown[192.0.2.1]', ctx)).toThrow('no syslog header');
  });
});

describe('postfix records', () => {
  it('maps each delivery status to an outcome and keeps the reply of failures as the reason', () => {
    const status = (s: string) => parse('postfix/smtp', `ABCDEF123: to=<b@example.net>, relay=none, dsn=4.4.1, status=${s} (no route)`);
    expect(status('sent')['event.outcome']).toBe('success');
    expect(status('deferred')).toMatchObject({ 'event.outcome': 'failure', 'event.reason': 'no route', 'postfix.relay': 'none' });
    expect(status('bounced')['event.outcome']).toBe('failure');
    expect(status('weird')['event.outcome']).toBeUndefined();
  });

  it('keeps addresses with blanks and a helo holding ">" whole', () => {
    const e = parse('postfix/smtpd', 'NOQUEUE: reject: RCPT from unknown[192.0.2.9]: 550 5.1.1 no; from=<"john doe"@example.com> to=<a@example.net> proto=SMTP helo=<x>y>');
    expect(e['email.from.address']).toBe('"john doe"@example.com');
    expect(e['postfix.helo']).toBe('x>y');
    expect(e['postfix.reply_code']).toBe(550);
  });

  it('puts relay and client addresses that are no IP under postfix.*', () => {
    const lmtp = parse('postfix/lmtp', 'ABCDEF123: to=<a@example.com>, relay=mail.example.com[private/dovecot-lmtp], status=sent (ok)');
    expect(lmtp).toMatchObject({ 'destination.domain': 'mail.example.com', 'postfix.relay': 'private/dovecot-lmtp' });
    expect(lmtp['destination.ip']).toBeUndefined();
    const client = parse('postfix/smtpd', 'ABCDEF123: client=unknown[2001:db8::5]:2525');
    expect(client).toMatchObject({ 'source.ip': '2001:db8::5', 'source.port': 2525, 'event.action': 'receive' });
    expect(client['source.domain']).toBeUndefined();
  });

  it('reads milter and header-check actions', () => {
    const milter = parse('postfix/cleanup', 'ABCDEF123: milter-reject: END-OF-MESSAGE from a.example[192.0.2.7]: 5.7.1 Spam; from=<s@a.example> to=<b@example.com> proto=ESMTP helo=<a.example>');
    expect(milter).toMatchObject({ 'event.action': 'milter_reject', 'event.type': ['denied'], 'postfix.dsn': '5.7.1', 'postfix.stage': 'END-OF-MESSAGE' });
    const warn = parse('postfix/cleanup', 'ABCDEF123: warning: header Subject: hi from a.example[192.0.2.7]; from=<s@a.example> to=<b@example.com> proto=ESMTP helo=<a.example>');
    expect(warn).toMatchObject({ 'event.action': 'warning', 'event.type': ['info'], 'postfix.content': 'Subject: hi', 'source.ip': '192.0.2.7' });
    expect(warn['event.outcome']).toBeUndefined();
  });

  it('reads postscreen verdicts and TLS sessions', () => {
    expect(parse('postfix/postscreen', 'PASS OLD [192.0.2.3]:4000')).toMatchObject({ 'event.action': 'pass_old', 'event.type': ['allowed'], 'source.port': 4000 });
    expect(parse('postfix/postscreen', 'HANGUP after 0.5 from [192.0.2.3]:4000 in tests after SMTP handshake')).toMatchObject({ 'event.action': 'hangup', 'source.ip': '192.0.2.3' });
    const tls = parse('postfix/smtp', 'Verified TLS connection established to mx.example.net[198.51.100.7]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)');
    expect(tls).toMatchObject({ 'destination.port': 25, 'tls.version': '1.2', 'tls.cipher': 'ECDHE-RSA-AES256-GCM-SHA384', 'postfix.tls.trust': 'Verified' });
  });

  it('unwraps rsyslog repeats and keeps unknown messages as informational email events', () => {
    const repeated = parse('postfix/smtpd', 'message repeated 4 times: [ lost connection after AUTH from unknown[192.0.2.8]]');
    expect(repeated).toMatchObject({ 'postfix.repeated': 4, 'event.action': 'lost_connection', 'postfix.stage': 'AUTH', 'source.ip': '192.0.2.8' });
    const other = parse('postfix/smtpd', 'warning: TLS library problem: error:0A000126');
    expect(other).toMatchObject({ 'log.level': 'warning', 'event.category': ['email'], message: 'warning: TLS library problem: error:0A000126' });
    expect(other['event.action']).toBeUndefined();
  });

  it('survives cut and hostile records', () => {
    for (const body of ['ABCDEF123: to=<unterminated', 'ABCDEF123: status=sent (', 'reject: ', 'NOQUEUE: reject: RCPT from', 'connect from [', 'DNSBL rank x for', 'ABCDEF123: ' + '=,'.repeat(50_000)]) {
      expect(parse('postfix/smtpd', body)['event.module']).toBe('postfix');
    }
    expect(parse('postfix/smtp', 'ABCDEF123: to=<unterminated, status=sent')['email.to.address']).toBe('unterminated, status=sent');
  });
});

describe('postfix sniff', () => {
  it('matches postfix tags in BSD, ISO and RFC 5424 headers only', () => {
    expect(postfix.sniff?.('<22>May  1 10:00:00 mx1 postfix/smtpd[1]: connect from x[192.0.2.1]')).toBe(true);
    expect(postfix.sniff?.('2024-05-01T10:00:00+02:00 mx1 postfix-out/smtp[1]: x')).toBe(true);
    expect(postfix.sniff?.('<22>1 2024-05-01T10:00:00Z mx1 postfix/qmgr 1 - - x')).toBe(true);
    expect(postfix.sniff?.('May  1 10:00:00 mx1 sshd[1]: postfix/smtpd')).toBe(false);
    expect(postfix.sniff?.('May  1 10:00:00 mx1 postfixd[1]: x')).toBe(false);
  });
});
