/**
 * Helpers shared by the linux-auth readers (sshd, PAM, sudo/su/login,
 * account tools): event classification, addresses that may be names, and
 * fixed message templates matched without regular expressions.
 */
import type { MamoriEvent } from '../core/event.js';
import { isIp } from './net.js';

export const PREFIX = 'linux_auth.';

export function classify(event: MamoriEvent, category: string[], type: string[], action: string | undefined, outcome?: 'success' | 'failure'): void {
  event['event.category'] = category;
  event['event.type'] = type;
  if (action !== undefined) event['event.action'] = action;
  if (outcome !== undefined) event['event.outcome'] = outcome;
}

/** A remote host as logged (`rhost=`, `from X`): an address goes to `source.ip`, a name to `source.domain`. */
export function setRemoteHost(event: MamoriEvent, host: string): void {
  if (host.length === 0) return;
  if (isIp(host)) event['source.ip'] = host;
  else event['source.domain'] = host;
}

/** `'bob'` → `bob`: shadow-utils and login quote names. */
export function unquote(value: string): string {
  return value.length >= 2 && value.charCodeAt(0) === 39 && value.charCodeAt(value.length - 1) === 39 ? value.slice(1, -1) : value;
}

/**
 * A message shape such as `delete user '%'`: literal text with `%` where a
 * value is captured. A capture runs to the next occurrence of the literal
 * after it (or to the end of the text for a final `%`). Compiled once at
 * module load; matching uses startsWith/indexOf only.
 */
export class Template {
  private readonly literals: string[];

  constructor(text: string) {
    this.literals = text.split('%');
  }

  /** The captured values, or undefined when `text` (from `start`) does not have this shape. */
  match(text: string, start = 0): string[] | undefined {
    const literals = this.literals;
    if (!text.startsWith(literals[0], start)) return undefined;
    let at = start + literals[0].length;
    const captures: string[] = [];
    for (let k = 1; k < literals.length; k++) {
      const literal = literals[k];
      if (literal.length === 0) {
        captures.push(text.slice(at));
        at = text.length;
        continue;
      }
      const last = k === literals.length - 1;
      const end = last ? text.length - literal.length : text.indexOf(literal, at);
      if (end < at || (last && !text.endsWith(literal))) return undefined;
      captures.push(text.slice(at, end));
      at = end + literal.length;
    }
    return at === text.length ? captures : undefined;
  }
}
