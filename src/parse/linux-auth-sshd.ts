/**
 * OpenSSH server messages (`sshd`, and `sshd-session` / `sshd-auth` since
 * OpenSSH 9.8): logins, failures, invalid users, disconnects and the
 * scanner noise (no identification string, banner/kex errors).
 */
import type { MamoriEvent } from '../core/event.js';
import { classify, setRemoteHost } from './linux-auth-fields.js';
import { readFailureFields } from './linux-auth-pam.js';
import { parsePort } from './net.js';
import { parseUint } from './syslog.js';

const PREAUTH = ' [preauth]';
const USERAUTH_INVALID = 'input_userauth_request: invalid user ';
const DISCONNECTED = 'Disconnected from ';
const DISCONNECTING = 'Disconnecting ';
const RECEIVED_DISCONNECT = 'Received disconnect from ';
const MAX_AUTH = 'maximum authentication attempts exceeded for ';
const NOT_ALLOWED = ' not allowed because ';
const PAM_FAILURE = 'PAM: Authentication failure for ';
const INVALID_USER = 'invalid user ';
const REVERSE_MAPPING = 'reverse mapping checking getaddrinfo for ';
const KEX_FAILED = 'kex_exchange_identification: ';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * `<addr> port <n>` (or a bare `<addr>`) at `i` into `side`.ip/domain and
 * .port; returns the index after it. The address ends at a blank or at
 * `: ` (an IPv6 address holds colons, never `: `).
 */
function readAddrPort(event: MamoriEvent, text: string, i: number, side: 'source' | 'destination' = 'source'): number {
  let k = i;
  while (k < text.length) {
    const c = text.charCodeAt(k);
    if (c === 32 || (c === 58 && (k + 1 === text.length || text.charCodeAt(k + 1) === 32))) break;
    k++;
  }
  const host = text.slice(i, k);
  if (side === 'source') setRemoteHost(event, host);
  else if (host.length > 0) event['destination.ip'] = host;
  if (!text.startsWith(' port ', k)) return k;
  let end = k + 6;
  while (end < text.length && end - k < 12 && isDigit(text.charCodeAt(end))) end++;
  const port = parsePort(text.slice(k + 6, end));
  if (port !== undefined) event[side === 'source' ? 'source.port' : 'destination.port'] = port;
  return end;
}

/** `invalid user ` / `authenticating user ` / `user ` before a name; sets `linux_auth.ssh.invalid_user`. */
function skipUserKind(event: MamoriEvent, text: string, i: number): number | undefined {
  if (text.startsWith(INVALID_USER, i)) {
    event['linux_auth.ssh.invalid_user'] = true;
    return i + INVALID_USER.length;
  }
  if (text.startsWith('authenticating user ', i)) return i + 20;
  if (text.startsWith('user ', i)) return i + 5;
  return undefined;
}

/**
 * `[authenticating user |invalid user |user ]NAME ADDR port N` ending at
 * `end`. Names are read up to the address before the last ` port `, so an
 * attacker's name with blanks stays whole.
 */
function readUserAddrPort(event: MamoriEvent, text: string, i: number, end: number): void {
  const nameStart = skipUserKind(event, text, i);
  if (nameStart === undefined) {
    readAddrPort(event, text, i);
    return;
  }
  const portAt = text.lastIndexOf(' port ', end);
  const addrEnd = portAt > nameStart ? portAt : end;
  const addrStart = text.lastIndexOf(' ', addrEnd - 1) + 1;
  if (addrStart <= nameStart) return;
  if (addrStart - 1 > nameStart) event['user.name'] = text.slice(nameStart, addrStart - 1);
  readAddrPort(event, text, addrStart);
}

/** `[invalid user ]NAME from ADDR[ port N][ ssh2]` at `i`; the last ` from ` ends the name. */
function readUserFrom(event: MamoriEvent, text: string, i: number): void {
  const invalid = text.startsWith(INVALID_USER, i);
  if (invalid) event['linux_auth.ssh.invalid_user'] = true;
  const nameStart = invalid ? i + INVALID_USER.length : i;
  const fromAt = text.lastIndexOf(' from ');
  if (fromAt < nameStart) return;
  if (fromAt > nameStart) event['user.name'] = text.slice(nameStart, fromAt);
  readAddrPort(event, text, fromAt + 6);
}

/**
 * `Accepted|Failed <method> for [invalid user ]NAME from ADDR port N ssh2[: KEYTYPE SHA256:...]`.
 * The key signature is cut first (the part after the last `: ` when the
 * word before it is the protocol) so that `from` is searched from the right.
 */
function readLogin(event: MamoriEvent, text: string, verbEnd: number, accepted: boolean): boolean {
  const forAt = text.indexOf(' for ', verbEnd);
  if (forAt < 0) return false;
  let end = text.length;
  const sigAt = text.lastIndexOf(': ');
  if (sigAt > forAt && (text.startsWith(' ssh2', sigAt - 5) || text.startsWith(' ssh1', sigAt - 5))) {
    event['linux_auth.ssh.signature'] = text.slice(sigAt + 2);
    end = sigAt;
  }
  const fromAt = text.lastIndexOf(' from ', end);
  if (fromAt < forAt) return false;
  classify(event, ['authentication'], ['start'], accepted ? 'ssh_login' : 'ssh_login_failed', accepted ? 'success' : 'failure');
  event['linux_auth.ssh.method'] = text.slice(verbEnd, forAt);
  readUserFrom(event, text.slice(0, end), forAt + 5);
  return true;
}

/** `Received disconnect from ADDR port N:11: reason` (older: `from ADDR: 11: reason`). */
function readReceivedDisconnect(event: MamoriEvent, text: string, i: number): void {
  classify(event, ['network'], ['connection', 'end'], 'ssh_disconnect');
  let k = readAddrPort(event, text, i);
  if (text.charCodeAt(k) !== 58) return;
  k += text.charCodeAt(k + 1) === 32 ? 2 : 1;
  const codeStart = k;
  while (k < text.length && k - codeStart < 4 && isDigit(text.charCodeAt(k))) k++;
  const code = parseUint(text.slice(codeStart, k), 255);
  if (code !== undefined) event['linux_auth.ssh.disconnect_code'] = code;
  if (text.startsWith(': ', k)) event['event.reason'] = text.slice(k + 2);
}

/** Fixed openings of messages about a remote address: prefix → action, category, type, outcome. */
const ADDRESS_EVENTS: ReadonlyArray<readonly [string, string, string, string, 'failure' | undefined]> = [
  ['Did not receive identification string from ', 'ssh_no_identification', 'network', 'connection', 'failure'],
  ['banner exchange: Connection from ', 'ssh_banner_exchange_failed', 'network', 'connection', 'failure'],
  ['Unable to negotiate with ', 'ssh_negotiation_failed', 'network', 'connection', 'failure'],
  ['Timeout before authentication for ', 'ssh_timeout', 'network', 'connection', 'failure'],
];

/** `Connection from ADDR port N on ADDR port N[ rdomain "x"]`. */
function readConnection(event: MamoriEvent, text: string, i: number): void {
  classify(event, ['network'], ['connection', 'start'], 'ssh_connection');
  const end = readAddrPort(event, text, i);
  if (text.startsWith(' on ', end)) readAddrPort(event, text, end + 4, 'destination');
}

/** `reverse mapping checking getaddrinfo for NAME [ADDR] failed - POSSIBLE BREAK-IN ATTEMPT!` and `Address ADDR maps to NAME, but ...`. */
function readBreakIn(event: MamoriEvent, text: string): void {
  classify(event, ['network'], ['info'], 'ssh_possible_break_in');
  const open = text.indexOf(' [');
  const close = text.indexOf(']', open);
  if (text.startsWith(REVERSE_MAPPING) && open > 0 && close > open) {
    event['source.domain'] = text.slice(REVERSE_MAPPING.length, open);
    setRemoteHost(event, text.slice(open + 2, close));
  } else if (text.startsWith('Address ')) {
    const mapsAt = text.indexOf(' maps to ');
    const comma = text.indexOf(', ', mapsAt);
    if (mapsAt > 8 && comma > mapsAt) {
      setRemoteHost(event, text.slice(8, mapsAt));
      event['source.domain'] = text.slice(mapsAt + 9, comma);
    }
  }
}

/** Reads an sshd message (PAM lines are handled before); false when it is not one of the known shapes. */
export function readSshd(event: MamoriEvent, body: string): boolean {
  let text = body;
  if (text.endsWith(PREAUTH)) {
    event['linux_auth.ssh.preauth'] = true;
    text = text.slice(0, -PREAUTH.length);
  }
  for (const level of ['error: ', 'fatal: ']) {
    if (text.startsWith(level)) {
      event['log.level'] = level.slice(0, -2);
      text = text.slice(level.length);
    }
  }
  if (text.startsWith('Accepted ')) return readLogin(event, text, 'Accepted '.length, true);
  if (text.startsWith('Failed ')) return readLogin(event, text, 'Failed '.length, false);
  if (text.startsWith('Invalid user ') || text.startsWith('Illegal user ')) {
    classify(event, ['authentication'], ['info'], 'ssh_invalid_user', 'failure');
    readUserFrom(event, text, 'Invalid user '.length);
    return true;
  }
  if (text.startsWith(USERAUTH_INVALID)) {
    classify(event, ['authentication'], ['info'], 'ssh_invalid_user', 'failure');
    event['user.name'] = text.slice(USERAUTH_INVALID.length);
    return true;
  }
  if (text.startsWith('Connection closed by ') || text.startsWith('Connection reset by ')) {
    classify(event, ['network'], ['connection', 'end'], 'ssh_connection_closed');
    readUserAddrPort(event, text, text.indexOf(' by ') + 4, text.length);
    return true;
  }
  if (text.startsWith(DISCONNECTED)) {
    classify(event, ['network'], ['connection', 'end'], 'ssh_disconnect');
    readUserAddrPort(event, text, DISCONNECTED.length, text.length);
    return true;
  }
  if (text.startsWith(DISCONNECTING)) {
    const reasonAt = text.indexOf(': ', DISCONNECTING.length);
    const end = reasonAt < 0 ? text.length : reasonAt;
    classify(event, ['network'], ['connection', 'end'], 'ssh_disconnect');
    if (reasonAt > 0) event['event.reason'] = text.slice(reasonAt + 2);
    if (text.includes('Too many authentication failures', end)) event['event.outcome'] = 'failure';
    readUserAddrPort(event, text, DISCONNECTING.length, end);
    return true;
  }
  if (text.startsWith(RECEIVED_DISCONNECT)) {
    readReceivedDisconnect(event, text, RECEIVED_DISCONNECT.length);
    return true;
  }
  if (text.startsWith(MAX_AUTH)) {
    classify(event, ['authentication'], ['info'], 'ssh_max_auth_exceeded', 'failure');
    readUserFrom(event, text, MAX_AUTH.length);
    return true;
  }
  const notAllowedAt = text.startsWith('User ') ? text.indexOf(NOT_ALLOWED) : -1;
  if (notAllowedAt > 0) {
    classify(event, ['authentication'], ['info'], 'ssh_user_not_allowed', 'failure');
    readUserFrom(event, text.slice(0, notAllowedAt), 'User '.length);
    event['event.reason'] = text.slice(notAllowedAt + NOT_ALLOWED.length);
    return true;
  }
  if (text.startsWith(PAM_FAILURE)) {
    classify(event, ['authentication'], ['start'], 'ssh_login_failed', 'failure');
    const legacy = text.startsWith('illegal user ', PAM_FAILURE.length);
    readUserFrom(event, text, PAM_FAILURE.length + (legacy ? 'illegal user '.length : 0));
    if (legacy) event['linux_auth.ssh.invalid_user'] = true;
    return true;
  }
  if (text.startsWith('PAM ') && text.includes(' more authentication failure')) {
    classify(event, ['authentication'], ['info'], 'authentication_failure', 'failure');
    const count = parseUint(text.slice(4, text.indexOf(' ', 4)), 1_000_000);
    if (count !== undefined) event['linux_auth.ssh.more_failures'] = count;
    const semicolon = text.indexOf(';');
    if (semicolon > 0) readFailureFields(event, text, semicolon + 1);
    return true;
  }
  if (text.startsWith('Connection from ')) {
    readConnection(event, text, 16);
    return true;
  }
  for (const [prefix, action, category, type, outcome] of ADDRESS_EVENTS) {
    if (!text.startsWith(prefix)) continue;
    classify(event, [category], [type], action, outcome);
    const end = readAddrPort(event, text, prefix.length);
    if (text.startsWith(': ', end)) event['event.reason'] = text.slice(end + 2);
    return true;
  }
  if (text.startsWith(KEX_FAILED)) {
    classify(event, ['network'], ['connection'], 'ssh_kex_failed', 'failure');
    event['event.reason'] = text.slice(KEX_FAILED.length);
    return true;
  }
  if (text.endsWith('POSSIBLE BREAK-IN ATTEMPT!')) {
    readBreakIn(event, text);
    return true;
  }
  return false;
}
