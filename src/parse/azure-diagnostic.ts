/**
 * Entra ID logs arrive in two shapes: the Azure Monitor diagnostic-settings
 * record (Event Hub, storage account, Log Analytics export), which wraps the
 * log entry in `properties` under a common envelope, and the Microsoft Graph
 * resource (`signIn`, `directoryAudit`), which is the entry alone. The entry
 * members are the same in both; this module splits the shapes and maps the
 * envelope, so each parser maps one entry shape.
 */
import type { MamoriEvent } from '../core/event.js';
import { flattenSnake, isoTime, keepUnmapped, mapText, objectOf, setSourceAddress, text, type JsonObject } from './cloud-json.js';
import type { FlattenState } from './flatten.js';

export interface AzureEntry {
  /** The log entry: `properties` of a diagnostic record, or the Graph resource itself. */
  entry: JsonObject;
  /** The diagnostic-settings envelope, absent for the Graph shape. */
  envelope?: JsonObject;
}

/** Envelope members every diagnostic record carries; `properties` alone does not make one. */
export function splitAzureRecord(record: JsonObject): AzureEntry {
  const properties = objectOf(record.properties);
  if (properties !== undefined && (record.operationName !== undefined || record.category !== undefined || record.time !== undefined)) {
    return { entry: properties, envelope: record };
  }
  return { entry: record };
}

/** Envelope members mapped here; the rest is flattened under the parser's prefix. */
const ENVELOPE_MAPPED: ReadonlySet<string> = new Set([
  'time', 'resourceId', 'operationName', 'tenantId', 'callerIpAddress', 'correlationId', 'Level', 'location', 'category', 'properties',
]);

/**
 * Maps a diagnostic envelope onto an event already holding its entry: the
 * entry's own values win (they are more precise: `ipAddress` over
 * `callerIpAddress`, the geo location over the country code).
 * Returns the envelope time in epoch ms (NaN when absent or invalid).
 */
export function mapAzureEnvelope(event: MamoriEvent, envelope: JsonObject, prefix: string, state: FlattenState): number {
  mapText(event, 'azure.resource.id', envelope, 'resourceId', prefix, state);
  if (event['event.action'] === undefined) mapText(event, 'event.action', envelope, 'operationName', prefix, state);
  if (event['cloud.account.id'] === undefined) mapText(event, 'cloud.account.id', envelope, 'tenantId', prefix, state);
  if (event['source.ip'] === undefined && !setSourceAddress(event, envelope.callerIpAddress)) {
    keepUnmapped(event, envelope, 'callerIpAddress', prefix, state);
  }
  if (event['azure.correlation_id'] === undefined) mapText(event, 'azure.correlation_id', envelope, 'correlationId', prefix, state);
  if (event[prefix + 'category'] === undefined) keepUnmapped(event, envelope, 'category', prefix, state);
  const level = envelope.Level;
  if (typeof level === 'string' || typeof level === 'number') event['log.level'] = String(level);
  const country = text(envelope.location);
  if (country !== undefined && event['source.geo.country_iso_code'] === undefined) event['source.geo.country_iso_code'] = country;
  flattenSnake(event, envelope, prefix, state, ENVELOPE_MAPPED);
  const ms = isoTime(envelope.time, 'UTC');
  if (Number.isNaN(ms)) keepUnmapped(event, envelope, 'time', prefix, state);
  return ms;
}
