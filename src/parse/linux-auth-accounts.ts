/**
 * Account management messages of shadow-utils (useradd, userdel, usermod,
 * groupadd, groupdel, groupmod, passwd, chage, gpasswd, chsh, chfn): the
 * account changed is `user.target.*` (or `group.*`); the actor is only
 * known when the tool names it (`changed by 'root'`).
 */
import type { MamoriEvent } from '../core/event.js';
import { readKv } from './kv.js';
import { classify, PREFIX, Template, unquote } from './linux-auth-fields.js';

interface Shape {
  template: Template;
  action: string;
  type: string[];
  /** Field of each capture, in order. */
  fields: readonly string[];
  outcome: 'success' | 'failure';
}

const SHAPES: Shape[] = (
  [
    ["delete user '%'", 'user_deleted', ['user', 'deletion'], ['user.target.name']],
    ["add '%' to group '%'", 'user_added_to_group', ['group', 'change'], ['user.target.name', 'group.name']],
    ["add '%' to shadow group '%'", 'user_added_to_group', ['group', 'change'], ['user.target.name', 'group.name']],
    ["delete '%' from group '%'", 'user_removed_from_group', ['group', 'change'], ['user.target.name', 'group.name']],
    ["delete '%' from shadow group '%'", 'user_removed_from_group', ['group', 'change'], ['user.target.name', 'group.name']],
    ["removed group '%' owned by '%'", 'group_deleted', ['group', 'deletion'], ['group.name', 'user.target.name']],
    ["removed shadow group '%' owned by '%'", 'group_deleted', ['group', 'deletion'], ['group.name', 'user.target.name']],
    ["group '%' removed", 'group_deleted', ['group', 'deletion'], ['group.name']],
    ["group '%' removed from %", 'group_deleted', ['group', 'deletion'], ['group.name', 'linux_auth.file']],
    ["change user '%' password", 'password_changed', ['user', 'change'], ['user.target.name']],
    ["lock user '%' password", 'user_locked', ['user', 'change'], ['user.target.name']],
    ["unlock user '%' password", 'user_unlocked', ['user', 'change'], ['user.target.name']],
    ["change user name '%' to '%'", 'user_renamed', ['user', 'change'], ['user.target.name', 'user.changes.name']],
    ["change user '%' % from '%' to '%'", 'user_changed', ['user', 'change'], ['user.target.name', 'linux_auth.changed', 'linux_auth.changed_from', 'linux_auth.changed_to']],
    ["changed user '%' shell to '%'", 'user_changed', ['user', 'change'], ['user.target.name', 'linux_auth.shell']],
    ["changed user '%' information", 'user_changed', ['user', 'change'], ['user.target.name']],
    ["password for '%' changed by '%'", 'password_changed', ['user', 'change'], ['user.target.name', 'user.name']],
    ['changed password expiry for %', 'password_expiry_changed', ['user', 'change'], ['user.target.name']],
    ['user % added by % to group %', 'user_added_to_group', ['group', 'change'], ['user.target.name', 'user.name', 'group.name']],
    ['user % removed by % from group %', 'user_removed_from_group', ['group', 'change'], ['user.target.name', 'user.name', 'group.name']],
    ['group changed in % (group %/%, new name: %)', 'group_renamed', ['group', 'change'], ['linux_auth.file', 'group.name', 'group.id', 'group.changes.name']],
    ["failed adding user '%', data deleted", 'user_added', ['user', 'creation'], ['user.target.name'], 'failure'],
  ] as const
).map(([text, action, type, fields, outcome]) => ({
  template: new Template(text),
  action,
  type: [...type],
  fields,
  outcome: outcome ?? 'success',
}));

/** `key=value, key=value` records: the opening words → action and ECS fields per key. */
const RECORDS: ReadonlyArray<readonly [string, string, string[]]> = [
  ['new user: ', 'user_added', ['user', 'creation']],
  ['new group: ', 'group_added', ['group', 'creation']],
  ['group added to ', 'group_added', ['group', 'creation']],
];

const USER_KEYS = new Map([
  ['name', 'user.target.name'],
  ['UID', 'user.target.id'],
  ['GID', 'user.target.group.id'],
  ['home', 'linux_auth.home'],
  ['shell', 'linux_auth.shell'],
  ['from', 'linux_auth.tty'],
]);
const GROUP_KEYS = new Map([
  ['name', 'group.name'],
  ['GID', 'group.id'],
]);

function readRecord(event: MamoriEvent, body: string, start: number, keys: ReadonlyMap<string, string>): void {
  readKv(
    body,
    start,
    {
      pair: (key, value) => {
        if (value.length > 0) event[keys.get(key) ?? PREFIX + key] = value;
      },
    },
    { pairSeparator: 44 },
  );
}

/** Reads an account management message; false when it is none of the known shapes. */
export function readAccounts(event: MamoriEvent, body: string): boolean {
  for (const [opening, action, type] of RECORDS) {
    if (!body.startsWith(opening)) continue;
    classify(event, ['iam'], [...type], action, 'success');
    // `group added to /etc/group: name=...` names the file before the pairs.
    const colon = body.indexOf(': ', opening.length - 2);
    if (colon < 0) return true;
    if (colon > opening.length) event['linux_auth.file'] = body.slice(opening.length, colon);
    readRecord(event, body, colon + 2, type[0] === 'user' ? USER_KEYS : GROUP_KEYS);
    return true;
  }
  for (const shape of SHAPES) {
    const captures = shape.template.match(body);
    if (captures === undefined) continue;
    classify(event, ['iam'], [...shape.type], shape.action, shape.outcome);
    shape.fields.forEach((field, k) => {
      const value = unquote(captures[k]);
      if (value.length > 0) event[field] = value;
    });
    return true;
  }
  return false;
}
