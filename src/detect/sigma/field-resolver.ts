import type { EcsValue, MamoriEvent } from '../../core/event.js';

/**
 * Maps a Sigma field name to the event's value. The per-log-source field
 * mapping (Sigma taxonomy → ECS) will be another implementation of this
 * interface; compiled rules only ever call `resolve`.
 */
export interface FieldResolver {
  resolve(event: MamoriEvent, sigmaField: string): EcsValue | undefined;
}

/**
 * Windows `<System>` header names used by Sigma rules, and where Mamori's
 * Windows parser puts them. Everything else in a Windows rule is EventData.
 */
const WINDOWS_SYSTEM_FIELDS: Record<string, string[]> = {
  EventID: ['event.code'],
  Channel: ['winlog.channel'],
  Provider_Name: ['winlog.provider_name'],
  Computer: ['winlog.computer_name', 'host.name'],
};

/**
 * Looks a field up as written (ECS names, `message`), then as Windows
 * EventData (`winlog.event_data.<field>`), then as a Windows header field.
 * The candidate keys per field are built once and cached, so a lookup costs
 * one Map hit and a few property reads, with no string building per event.
 */
export class DefaultFieldResolver implements FieldResolver {
  private readonly keys = new Map<string, readonly string[]>();

  resolve(event: MamoriEvent, sigmaField: string): EcsValue | undefined {
    let keys = this.keys.get(sigmaField);
    if (keys === undefined) {
      keys = [sigmaField, `winlog.event_data.${sigmaField}`, ...(WINDOWS_SYSTEM_FIELDS[sigmaField] ?? [])];
      this.keys.set(sigmaField, keys);
    }
    for (let i = 0; i < keys.length; i++) {
      const value = event[keys[i]];
      if (value !== undefined) return value;
    }
    return undefined;
  }
}

export const defaultFieldResolver: FieldResolver = new DefaultFieldResolver();
