/**
 * `DOMAIN\user` names as Windows-integrated devices (firewalls with
 * identity firewalling, VPN gateways) log them, split into the ECS name and
 * domain fields.
 */
import type { MamoriEvent } from '../core/event.js';

/**
 * Sets `<prefix>name` (and `<prefix>domain` when `raw` is `DOMAIN\name`)
 * from a user as logged; `prefix` is `user.`, `source.user.` or
 * `destination.user.`. An empty name or domain part is not split.
 */
export function setDomainUser(event: MamoriEvent, prefix: string, raw: string): void {
  if (raw.length === 0) return;
  const slash = raw.indexOf('\\');
  if (slash > 0 && slash < raw.length - 1) {
    event[prefix + 'name'] = raw.slice(slash + 1);
    event[prefix + 'domain'] = raw.slice(0, slash);
  } else {
    event[prefix + 'name'] = raw;
  }
}
