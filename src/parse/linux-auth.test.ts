import { describe, expect, it } from 'vitest';
import { linuxAuth } from './linux-auth.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'Asia/Tokyo' };
const parse = (tag: string, body: string) => linuxAuth.parse(`May  1 10:00:00 web01 ${tag}: ${body}`, ctx);

describe('linux-auth sshd', () => {
  it('reads the time in the source zone', () => {
    expect(parse('sshd[1]', 'Server listening on 0.0.0.0 port 22.')['@timestamp']).toBe('2024-05-01T01:00:00.000Z');
  });

  it('keeps attacker user names with blanks or " from " whole and skips empty ones', () => {
    expect(parse('sshd[1]', 'Failed password for invalid user john from x from 192.0.2.1 port 22 ssh2')['user.name']).toBe('john from x');
    expect(parse('sshd[1]', 'Invalid user a b from 192.0.2.1 port 22')['user.name']).toBe('a b');
    const empty = parse('sshd[1]', 'Invalid user  from 192.0.2.1 port 22');
    expect(empty['user.name']).toBeUndefined();
    expect(empty['source.ip']).toBe('192.0.2.1');
    expect(parse('sshd[1]', 'Connection closed by invalid user a b 192.0.2.1 port 22 [preauth]')['user.name']).toBe('a b');
  });

  it('reads certificate signatures, IPv6 and host names', () => {
    const cert = parse('sshd[1]', 'Accepted publickey for alice from 2001:db8::7 port 50022 ssh2: ED25519-CERT SHA256:abc ID alice@example.com (serial 5) CA ED25519 SHA256:def');
    expect(cert).toMatchObject({ 'user.name': 'alice', 'source.ip': '2001:db8::7', 'source.port': 50022, 'linux_auth.ssh.signature': 'ED25519-CERT SHA256:abc ID alice@example.com (serial 5) CA ED25519 SHA256:def' });
    const named = parse('sshd[1]', 'Failed password for root from scanner.example port 22 ssh2');
    expect(named['source.domain']).toBe('scanner.example');
    expect(named['source.ip']).toBeUndefined();
  });

  it('reads the older disconnect form, PAM summaries and the OpenSSH 9.8 program name', () => {
    const old = parse('sshd[1]', 'Received disconnect from 192.0.2.1: 11: Bye Bye');
    expect(old).toMatchObject({ 'source.ip': '192.0.2.1', 'linux_auth.ssh.disconnect_code': 11, 'event.reason': 'Bye Bye' });
    const summary = parse('sshd-session[1]', 'PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=scanner.example  user=root');
    expect(summary).toMatchObject({ 'event.dataset': 'linux-auth.sshd', 'process.name': 'sshd-session', 'linux_auth.ssh.more_failures': 5, 'source.domain': 'scanner.example', 'user.name': 'root' });
  });

  it('leaves unknown sshd messages as informational events', () => {
    const e = parse('sshd[1]', 'Received signal 15; terminating.');
    expect(e).toMatchObject({ 'event.category': ['authentication'], 'event.type': ['info'] });
    expect(e['event.action']).toBeUndefined();
  });
});

describe('linux-auth sudo and su', () => {
  it('keeps commands holding " ; " and maps GROUP and unknown keys', () => {
    const e = parse('sudo', 'alice : TTY=pts/0 ; PWD=/srv ; USER=postgres ; GROUP=dba ; ENV=A=1 ; COMMAND=/bin/sh -c "a ; b"');
    expect(e).toMatchObject({
      'user.name': 'alice',
      'user.target.name': 'postgres',
      'user.effective.name': 'postgres',
      'user.effective.group.name': 'dba',
      'linux_auth.sudo.env': 'A=1',
      'process.command_line': '/bin/sh -c "a ; b"',
      'process.executable': '/bin/sh',
      'event.outcome': 'success',
    });
  });

  it('treats sudo messages without fields as informational', () => {
    const e = parse('sudo', 'unable to resolve host web01: Name or service not known');
    expect(e['event.action']).toBeUndefined();
    expect(e['event.category']).toEqual(['process']);
  });

  it('reads the shadow-utils su forms', () => {
    expect(parse('su[1]', 'FAILED su for root by mallory')).toMatchObject({ 'event.outcome': 'failure', 'user.name': 'mallory', 'user.target.name': 'root' });
    expect(parse('su[1]', '- pts/2 mallory:root')).toMatchObject({ 'event.outcome': 'failure', 'linux_auth.tty': 'pts/2', 'user.name': 'mallory' });
    expect(parse('su[1]', '(to oracle) root on none')['user.target.name']).toBe('oracle');
  });
});

describe('linux-auth PAM', () => {
  it('makes the opener of a session the actor only when it is another named account', () => {
    const login = parse('login[1]', 'pam_unix(login:session): session opened for user alice(uid=1000) by LOGIN(uid=0)');
    expect(login['user.name']).toBe('alice');
    expect(login['user.target.name']).toBeUndefined();
    const self = parse('systemd[1]', 'pam_unix(systemd-user:session): session opened for user alice(uid=1000) by alice(uid=0)');
    expect(self).toMatchObject({ 'user.name': 'alice', 'event.dataset': 'linux-auth.pam' });
    const sudo = parse('sudo[1]', 'pam_unix(sudo-i:session): session closed for user root');
    expect(sudo).toMatchObject({ 'user.name': 'root', 'event.action': 'session_closed', 'linux_auth.pam.service': 'sudo-i' });
  });

  it('reads pam_sss and pam_succeed_if results', () => {
    expect(parse('sshd[1]', 'pam_sss(sshd:auth): received for user bob: 7 (Authentication failure)')).toMatchObject({ 'user.name': 'bob', 'event.outcome': 'failure', 'event.reason': 'Authentication failure' });
    expect(parse('sudo[1]', 'pam_succeed_if(sudo:auth): requirement "uid >= 1000" not met by user "root"')).toMatchObject({ 'user.name': 'root', 'event.action': 'requirement_not_met' });
  });

  it('rejects other programs unless they log a PAM message', () => {
    expect(() => parse('kernel', 'pam_unix is not here')).toThrow('not a linux-auth line: program is "kernel"');
    expect(() => parse('nginx[1]', 'pam_unix(')).toThrow('program is "nginx"');
    expect(parse('vsftpd[1]', 'pam_unix(vsftpd:auth): check pass; user unknown')['event.action']).toBe('user_unknown');
  });
});

describe('linux-auth accounts, login and logind', () => {
  it('reads usermod renames, gpasswd and failed useradd', () => {
    expect(parse('usermod[1]', "change user name 'bob' to 'robert'")).toMatchObject({ 'user.target.name': 'bob', 'user.changes.name': 'robert' });
    expect(parse('gpasswd[1]', 'user bob removed by root from group docker')).toMatchObject({ 'event.action': 'user_removed_from_group', 'user.name': 'root', 'group.name': 'docker' });
    expect(parse('useradd[1]', "failed adding user 'bob', data deleted")).toMatchObject({ 'event.action': 'user_added', 'event.outcome': 'failure' });
    expect(parse('groupmod[1]', 'group changed in /etc/group (group dev/1002, new name: devs)')).toMatchObject({ 'group.name': 'dev', 'group.id': '1002', 'group.changes.name': 'devs' });
  });

  it('reads util-linux login lines with a remote host', () => {
    expect(parse('login[1]', 'FAILED LOGIN 3 FROM 192.0.2.5 FOR admin, Authentication failure')).toMatchObject({ 'source.ip': '192.0.2.5', 'user.name': 'admin', 'event.outcome': 'failure' });
    expect(parse('login[1]', "ROOT LOGIN  on '/dev/pts/1' from 'jump.example'")).toMatchObject({ 'source.domain': 'jump.example', 'linux_auth.tty': '/dev/pts/1' });
  });

  it('reads logind sessions with non-numeric ids', () => {
    expect(parse('systemd-logind[1]', 'New session c1 of user gdm.')).toMatchObject({ 'linux_auth.session_id': 'c1', 'user.name': 'gdm' });
  });
});

describe('linux-auth sniff', () => {
  it('matches known programs in BSD and RFC 5424 headers', () => {
    expect(linuxAuth.sniff?.('<38>May  1 10:00:00 web01 sshd[1]: Accepted')).toBe(true);
    expect(linuxAuth.sniff?.('May  1 10:00:00 web01 sudo:    alice : TTY=pts/0')).toBe(true);
    expect(linuxAuth.sniff?.('<86>1 2024-05-01T10:00:00Z web01 systemd-logind 800 - - New session')).toBe(true);
    expect(linuxAuth.sniff?.('May  1 10:00:00 web01 postfix/smtpd[1]: sshd[1]:')).toBe(false);
    expect(linuxAuth.sniff?.('May  1 10:00:00 web01 sshdx[1]: x')).toBe(false);
  });
});
