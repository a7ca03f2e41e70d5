/**
 * PAM module messages, whatever program logs them:
 * `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root`,
 * `pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)`, pam_faillock, pam_tally2, pam_sss ...
 */
import type { MamoriEvent } from '../core/event.js';
import { readKv } from './kv.js';
import { classify, setRemoteHost, Template } from './linux-auth-fields.js';

const PAM = 'linux_auth.pam.';

/** End of `pam_<name>(<service>:<type>)` + `: ` at the start of `body`, or -1. */
function moduleEnd(body: string): number {
  if (!body.startsWith('pam_')) return -1;
  const open = body.indexOf('(', 4);
  if (open < 0 || open > 40) return -1;
  const close = body.indexOf('):', open);
  return close > open && close - open < 64 ? close : -1;
}

/** Whether `body` is a PAM module message. */
export function isPamMessage(body: string): boolean {
  return moduleEnd(body) > 0;
}

/**
 * The `; logname= uid= euid= tty= ruser= rhost= user=` list of PAM failures.
 * The account being authenticated is `user`; when another account asks for
 * it (`ruser`, as in su or sudo) that one is the actor and `user` the target.
 */
export function readFailureFields(event: MamoriEvent, body: string, start: number): void {
  let user = '';
  let ruser = '';
  readKv(body, start, {
    pair: (key, value) => {
      if (value.length === 0) return;
      switch (key) {
        case 'user':
          user = value;
          break;
        case 'ruser':
          ruser = value;
          break;
        case 'rhost':
          setRemoteHost(event, value);
          break;
        case 'tty':
          event['linux_auth.tty'] = value;
          break;
        default:
          event[PAM + key] = value;
      }
    },
  });
  if (ruser.length > 0 && user.length > 0 && ruser !== user) {
    event['user.name'] = ruser;
    event['user.target.name'] = user;
  } else if (user.length > 0 || ruser.length > 0) {
    event['user.name'] = user || ruser;
  }
}

/** `alice(uid=1000)` or `alice` → [name, uid]; `(uid=0)` → ['', '0']. */
function nameAndUid(text: string): [string, string | undefined] {
  const open = text.indexOf('(uid=');
  if (open < 0 || !text.endsWith(')')) return [text, undefined];
  return [text.slice(0, open), text.slice(open + 5, -1)];
}

/**
 * `session opened for user X(uid=N) by Y(uid=M)`. The session belongs to
 * X; when a named account Y opened it for someone else (sudo, su) Y is the
 * actor and X the target, as in the sudo and su records themselves.
 * `LOGIN` is login(1)'s placeholder, not an account.
 */
function readSession(event: MamoriEvent, text: string, opened: boolean): void {
  classify(event, ['session'], [opened ? 'start' : 'end'], opened ? 'session_opened' : 'session_closed', 'success');
  const byAt = text.lastIndexOf(' by ');
  const [owner, ownerUid] = nameAndUid(byAt < 0 ? text : text.slice(0, byAt));
  const [by, byUid] = byAt < 0 ? ['', undefined] : nameAndUid(text.slice(byAt + 4));
  if (by.length > 0 && by !== 'LOGIN' && by !== owner) {
    event['user.name'] = by;
    if (byUid !== undefined) event['user.id'] = byUid;
    event['user.target.name'] = owner;
    if (ownerUid !== undefined) event['user.target.id'] = ownerUid;
  } else {
    if (owner.length > 0) event['user.name'] = owner;
    if (ownerUid !== undefined) event['user.id'] = ownerUid;
  }
}

const SESSION_OPENED = 'session opened for user ';
const SESSION_CLOSED = 'session closed for user ';
const AUTH_FAILURE = 'authentication failure;';
const USER_UNKNOWN = new Template('check pass; user unknown');
const NO_PASSWORD = new Template('auth could not identify password for [%]');
const PASSWORD_CHANGED = new Template('password changed for %');
const FAILLOCK = new Template('Consecutive login failures for user % account temporarily locked');
const TALLY = new Template('user % (%) tally %, deny %');
const SSS_RESULT = new Template('received for user %: % (%)');
const NOT_MET = new Template('requirement % not met by user "%"');
const EXPIRED = new Template('account % has expired (account expired)');

/** Reads a PAM module message into `event`; false when `body` is not one. */
export function readPam(event: MamoriEvent, body: string): boolean {
  const close = moduleEnd(body);
  if (close < 0) return false;
  const open = body.indexOf('(');
  event['linux_auth.pam.module'] = body.slice(0, open);
  const inner = body.slice(open + 1, close);
  const colon = inner.lastIndexOf(':');
  event['linux_auth.pam.service'] = colon < 0 ? inner : inner.slice(0, colon);
  if (colon >= 0) event['linux_auth.pam.type'] = inner.slice(colon + 1);
  const start = close + 2 + (body.charCodeAt(close + 2) === 32 ? 1 : 0);
  const text = body.slice(start);
  let m: string[] | undefined;
  if (text.startsWith(SESSION_OPENED)) {
    readSession(event, text.slice(SESSION_OPENED.length), true);
  } else if (text.startsWith(SESSION_CLOSED)) {
    readSession(event, text.slice(SESSION_CLOSED.length), false);
  } else if (text.startsWith(AUTH_FAILURE)) {
    classify(event, ['authentication'], ['info'], 'authentication_failure', 'failure');
    readFailureFields(event, text, AUTH_FAILURE.length);
  } else if (USER_UNKNOWN.match(text)) {
    classify(event, ['authentication'], ['info'], 'user_unknown', 'failure');
  } else if ((m = NO_PASSWORD.match(text))) {
    classify(event, ['authentication'], ['info'], 'authentication_failure', 'failure');
    event['user.name'] = m[0];
  } else if ((m = PASSWORD_CHANGED.match(text))) {
    classify(event, ['iam'], ['user', 'change'], 'password_changed', 'success');
    event['user.target.name'] = m[0];
  } else if ((m = FAILLOCK.match(text))) {
    classify(event, ['authentication'], ['info'], 'account_locked', 'failure');
    event['user.name'] = m[0];
  } else if ((m = TALLY.match(text))) {
    classify(event, ['authentication'], ['info'], 'account_locked', 'failure');
    event['user.name'] = m[0];
    event['user.id'] = m[1];
    event['linux_auth.pam.tally'] = m[2];
    event['linux_auth.pam.deny'] = m[3];
  } else if ((m = SSS_RESULT.match(text))) {
    const ok = m[1] === '0';
    classify(event, ['authentication'], ['info'], ok ? 'authentication_success' : 'authentication_failure', ok ? 'success' : 'failure');
    event['user.name'] = m[0];
    event['event.reason'] = m[2];
  } else if ((m = NOT_MET.match(text))) {
    classify(event, ['authentication'], ['info'], 'requirement_not_met', 'failure');
    event['user.name'] = m[1];
    event['event.reason'] = `requirement ${m[0]} not met`;
  } else if ((m = EXPIRED.match(text))) {
    classify(event, ['authentication'], ['info'], 'account_expired', 'failure');
    event['user.name'] = m[0];
  } else {
    classify(event, ['authentication'], ['info'], undefined);
  }
  return true;
}
