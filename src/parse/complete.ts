/**
 * Fields derived from what a parser filled, computed once for every event
 * in `normalise()` so that no parser has to remember them: the ECS
 * `related.*` pivots analysts and threat-intel matching rely on, totals of
 * directional byte and packet counts, and a `@timestamp` for lines with no
 * time of their own.
 */
import type { MamoriEvent } from '../core/event.js';
import { isoFromMs } from './time.js';

const IP_FIELDS = ['source.ip', 'destination.ip', 'source.nat.ip', 'destination.nat.ip', 'client.ip', 'server.ip', 'host.ip', 'observer.ip'];
const USER_FIELDS = ['user.name', 'source.user.name', 'destination.user.name', 'user.target.name', 'user.effective.name'];
const HASH_FIELDS = ['file.hash.md5', 'file.hash.sha1', 'file.hash.sha256', 'file.hash.sha512', 'process.hash.md5', 'process.hash.sha1', 'process.hash.sha256'];
const HOST_FIELDS = ['host.name', 'source.domain', 'destination.domain', 'url.domain', 'dns.question.name'];

/** Distinct string values of `fields` merged into the array `target` already holds. */
function collect(event: MamoriEvent, target: string, fields: readonly string[]): void {
  const existing = event[target];
  let values: string[] | undefined = Array.isArray(existing) ? (existing.filter((v) => typeof v === 'string') as string[]) : undefined;
  for (const field of fields) {
    const value = event[field];
    if (typeof value !== 'string' || value.length === 0) continue;
    if (values === undefined) values = [value];
    else if (!values.includes(value)) values.push(value);
  }
  if (values !== undefined && values.length > 0) event[target] = values;
}

function sum(event: MamoriEvent, target: string, a: string, b: string): void {
  if (event[target] !== undefined) return;
  const x = event[a];
  const y = event[b];
  if (typeof x === 'number' && typeof y === 'number') event[target] = x + y;
}

/** Adds the derived fields to `event` in place and returns it. */
export function completeEvent(event: MamoriEvent, received: number): MamoriEvent {
  if (event['@timestamp'] === undefined) event['@timestamp'] = isoFromMs(received);
  collect(event, 'related.ip', IP_FIELDS);
  collect(event, 'related.user', USER_FIELDS);
  collect(event, 'related.hash', HASH_FIELDS);
  collect(event, 'related.hosts', HOST_FIELDS);
  sum(event, 'network.bytes', 'source.bytes', 'destination.bytes');
  sum(event, 'network.packets', 'source.packets', 'destination.packets');
  return event;
}
