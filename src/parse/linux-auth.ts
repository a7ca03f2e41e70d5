import type { MamoriEvent } from '../core/event.js';
import { hostEvent, readHostLine, sniffTag, spanIs, type HostLine, wrongProgram } from './host-log.js';
import { readAccounts } from './linux-auth-accounts.js';
import { classify, PREFIX, setRemoteHost, Template, unquote } from './linux-auth-fields.js';
import { isPamMessage, readPam } from './linux-auth-pam.js';
import { readSshd } from './linux-auth-sshd.js';
import type { ParseContext, Parser } from './parser.js';

/** Reads a program's own messages into the event; false leaves it as an informational event. */
type Reader = (event: MamoriEvent, body: string) => boolean;

interface Program {
  /** `linux-auth.<dataset>`. */
  dataset: string;
  /** Category of messages the reader does not recognise. */
  category: string;
  read: Reader;
}

/** `alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id`, with failure reasons before the fields. */
function readSudo(event: MamoriEvent, body: string): boolean {
  const colon = body.indexOf(' : ');
  if (colon < 0) return false;
  const user = body.slice(0, colon).trim();
  const reasons: string[] = [];
  let i = colon + 3;
  let fields = 0;
  while (i < body.length) {
    // COMMAND comes last and runs to the end: commands may contain " ; ".
    const commandField = body.startsWith('COMMAND=', i);
    const sep = commandField ? -1 : body.indexOf(' ; ', i);
    const end = sep < 0 ? body.length : sep;
    const eq = body.indexOf('=', i);
    if (eq > i && eq < end && isUpperKey(body, i, eq)) {
      setSudoField(event, body.slice(i, eq), body.slice(eq + 1, end));
      fields++;
    } else {
      reasons.push(body.slice(i, end));
    }
    i = end + 3;
  }
  if (fields === 0) return false;
  if (user.length > 0) event['user.name'] = user;
  const failed = reasons.length > 0;
  const authentication = failed && reasons.some((r) => r.includes('password'));
  classify(event, authentication ? ['process', 'authentication'] : ['process'], [failed ? 'info' : 'start'], 'sudo_command', failed ? 'failure' : 'success');
  if (failed) event['event.reason'] = reasons.join('; ');
  else if (event['user.target.name'] !== undefined) event['user.effective.name'] = event['user.target.name'];
  return true;
}

function isUpperKey(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if ((c < 65 || c > 90) && c !== 95) return false;
  }
  return true;
}

function setSudoField(event: MamoriEvent, key: string, value: string): void {
  switch (key) {
    case 'TTY':
      event['linux_auth.tty'] = value;
      break;
    case 'PWD':
      event['process.working_directory'] = value;
      break;
    case 'USER':
      event['user.target.name'] = value;
      break;
    case 'GROUP':
      event['user.effective.group.name'] = value;
      break;
    case 'COMMAND': {
      event['process.command_line'] = value;
      const space = value.indexOf(' ');
      const executable = space < 0 ? value : value.slice(0, space);
      if (executable.charCodeAt(0) === 47) event['process.executable'] = executable;
      break;
    }
    default:
      event['linux_auth.sudo.' + key.toLowerCase()] = value;
  }
}

const SU_TO = new Template('(to %) % on %');
const SU_FAILED = new Template('FAILED SU (to %) % on %');
const SU_OK_LEGACY = new Template('Successful su for % by %');
const SU_FAILED_LEGACY = new Template('FAILED su for % by %');
const SU_SHADOW = new Template('% % %:%');

/** `(to root) alice on pts/0`, `FAILED SU (to root) alice on pts/0`, and the older shadow-utils forms. */
function readSu(event: MamoriEvent, body: string): boolean {
  let m: string[] | undefined;
  let ok: boolean;
  if ((m = SU_TO.match(body))) ok = true;
  else if ((m = SU_FAILED.match(body))) ok = false;
  else if ((m = SU_OK_LEGACY.match(body))) {
    ok = true;
    m.push('');
  } else if ((m = SU_FAILED_LEGACY.match(body))) {
    ok = false;
    m.push('');
  } else if ((m = SU_SHADOW.match(body)) && (m[0] === '+' || m[0] === '-')) {
    // `+ pts/0 alice:root` (success) / `- pts/0 alice:root` (failure).
    ok = m[0] === '+';
    m = [m[3], m[2], m[1]];
  } else return false;
  const [target, user, tty] = m;
  classify(event, ['authentication'], ['start'], 'su', ok ? 'success' : 'failure');
  if (user.length > 0) event['user.name'] = user;
  if (target.length > 0) {
    event['user.target.name'] = target;
    if (ok) event['user.effective.name'] = target;
  }
  if (tty.length > 0 && tty !== '???') event['linux_auth.tty'] = tty;
  return true;
}

/** The quoted or bare word after `marker` (`on '/dev/tty1'`, `FROM host`), up to a blank or `,`. */
function wordAfter(body: string, marker: string): string | undefined {
  const at = body.indexOf(marker);
  if (at < 0) return undefined;
  const start = at + marker.length;
  let end = start;
  if (body.charCodeAt(start) === 39) {
    const close = body.indexOf("'", start + 1);
    return close < 0 ? undefined : body.slice(start + 1, close);
  }
  while (end < body.length && body.charCodeAt(end) !== 32 && body.charCodeAt(end) !== 44) end++;
  return body.slice(start, end);
}

/**
 * login(1) of util-linux (`FAILED LOGIN 1 FROM host FOR root, Authentication failure`,
 * `ROOT LOGIN ON tty1`, `LOGIN ON tty1 BY alice`) and of shadow-utils
 * (`FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure`, `ROOT LOGIN  on '/dev/tty1'`).
 */
function readLogin(event: MamoriEvent, body: string): boolean {
  const failed = body.startsWith('FAILED LOGIN ');
  const root = body.startsWith('ROOT LOGIN ');
  if (!failed && !root && !body.startsWith('LOGIN ON ')) return false;
  classify(event, ['authentication'], ['start'], failed ? 'login_failed' : 'login', failed ? 'failure' : 'success');
  const tty = wordAfter(body, ' ON ') ?? wordAfter(body, ' on ');
  if (tty !== undefined && tty.length > 0) event['linux_auth.tty'] = tty;
  const from = wordAfter(body, ' FROM ') ?? wordAfter(body, ' from ');
  if (from !== undefined) setRemoteHost(event, from);
  if (root) {
    event['user.name'] = 'root';
  } else if (failed) {
    const forAt = body.lastIndexOf(' FOR ');
    if (forAt < 0) return true;
    const comma = body.indexOf(', ', forAt);
    const user = unquote(body.slice(forAt + 5, comma < 0 ? body.length : comma));
    if (user.length > 0) event['user.name'] = user;
    if (comma > 0) event['event.reason'] = body.slice(comma + 2);
  } else {
    const by = wordAfter(body, ' BY ');
    if (by !== undefined && by.length > 0) event['user.name'] = by;
  }
  return true;
}

const NEW_SESSION = new Template('New session % of user %.');
const REMOVED_SESSION = new Template('Removed session %.');
const LOGGED_OUT = new Template('Session % logged out. Waiting for processes to exit.');

/** systemd-logind: `New session 42 of user alice.`, `Removed session 42.`. */
function readLogind(event: MamoriEvent, body: string): boolean {
  let m: string[] | undefined;
  if ((m = NEW_SESSION.match(body))) {
    classify(event, ['session'], ['start'], 'new_session', 'success');
    event['user.name'] = m[1];
  } else if ((m = REMOVED_SESSION.match(body))) {
    classify(event, ['session'], ['end'], 'removed_session', 'success');
  } else if ((m = LOGGED_OUT.match(body))) {
    classify(event, ['session'], ['info'], 'session_logged_out');
  } else {
    return false;
  }
  event['linux_auth.session_id'] = m[0];
  return true;
}

const CRON_COMMAND = new Template('(%) CMD (%)');

/** cron's `(root) CMD (command)`; its PAM sessions are read as PAM messages. */
function readCron(event: MamoriEvent, body: string): boolean {
  const m = CRON_COMMAND.match(body);
  if (m === undefined) return false;
  classify(event, ['process'], ['start'], 'cron_command');
  event['user.name'] = m[0];
  event['process.command_line'] = m[1].trim();
  return true;
}

const CHKPWD_FAILED = new Template('password check failed for user (%)');

/** unix_chkpwd, the pam_unix helper: `password check failed for user (root)`. */
function readChkpwd(event: MamoriEvent, body: string): boolean {
  const m = CHKPWD_FAILED.match(body);
  if (m === undefined) return false;
  classify(event, ['authentication'], ['info'], 'authentication_failure', 'failure');
  event['user.name'] = m[0];
  return true;
}

const none: Reader = () => false;

const ACCOUNT_TOOLS = ['useradd', 'userdel', 'usermod', 'groupadd', 'groupdel', 'groupmod', 'passwd', 'chpasswd', 'chage', 'gpasswd', 'newusers', 'chsh', 'chfn'];

/** Programs whose lines this parser reads, by syslog tag. */
const PROGRAMS: ReadonlyMap<string, Program> = new Map<string, Program>([
  ['sshd', { dataset: 'sshd', category: 'authentication', read: readSshd }],
  ['sshd-session', { dataset: 'sshd', category: 'authentication', read: readSshd }],
  ['sshd-auth', { dataset: 'sshd', category: 'authentication', read: readSshd }],
  ['sudo', { dataset: 'sudo', category: 'process', read: readSudo }],
  ['su', { dataset: 'su', category: 'authentication', read: readSu }],
  ['login', { dataset: 'login', category: 'authentication', read: readLogin }],
  ['systemd-logind', { dataset: 'systemd-logind', category: 'session', read: readLogind }],
  ['CRON', { dataset: 'cron', category: 'process', read: readCron }],
  ['cron', { dataset: 'cron', category: 'process', read: readCron }],
  ['crond', { dataset: 'cron', category: 'process', read: readCron }],
  ['unix_chkpwd', { dataset: 'pam', category: 'authentication', read: readChkpwd }],
  ...ACCOUNT_TOOLS.map((tool): [string, Program] => [tool, { dataset: tool, category: 'iam', read: readAccounts }]),
]);

const PROGRAM_NAMES = [...PROGRAMS.keys()];

/** Any other program (gdm, polkitd, systemd, vsftpd, ...) is read only for its PAM messages. */
const PAM_ONLY: Program = { dataset: 'pam', category: 'authentication', read: none };

function readLine(host: HostLine): MamoriEvent {
  const known = PROGRAMS.get(host.program);
  const program = known ?? PAM_ONLY;
  if (known === undefined && !isPamMessage(host.body)) throw wrongProgram('linux-auth', host.program);
  const event = hostEvent('linux-auth', `linux-auth.${program.dataset}`, host, host.program);
  if (host.repeated !== undefined) event['linux_auth.repeated'] = host.repeated;
  if (!readPam(event, host.body) && !program.read(event, host.body)) classify(event, [program.category], ['info'], undefined);
  return event;
}

export const linuxAuth: Parser = {
  name: 'linux-auth',
  description: 'Linux authentication logs (auth.log / secure): sshd, sudo, su, login, PAM, systemd-logind, cron sessions, useradd and other account tools',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    return readLine(readHostLine(line, ctx, 'linux-auth'));
  },
  sniff(line: string): boolean {
    return sniffTag(line, (text, start, end) => {
      for (const name of PROGRAM_NAMES) if (spanIs(text, start, end, name)) return true;
      return false;
    });
  },
};
