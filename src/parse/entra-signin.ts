import type { MamoriEvent } from '../core/event.js';
import { mapAzureEnvelope, splitAzureRecord } from './azure-diagnostic.js';
import {
  flattenSnake,
  isoTime,
  keepUnmapped,
  mapText,
  newBudget,
  objectOf,
  readCloudRecord,
  reportDropped,
  setSourceAddress,
  text,
  type JsonObject,
} from './cloud-json.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { isoFromMs } from './time.js';

const PREFIX = 'azure.signinlogs.';
const WRAPPERS = ['records', 'value'];
const MAX_ERROR_DETAIL = 60;

/** Diagnostic-settings categories of sign-in logs → dataset. */
const CATEGORY_DATASETS = new Map([
  ['SignInLogs', 'entra-signin.interactive'],
  ['NonInteractiveUserSignInLogs', 'entra-signin.non_interactive'],
  ['ServicePrincipalSignInLogs', 'entra-signin.service_principal'],
  ['ManagedIdentitySignInLogs', 'entra-signin.managed_identity'],
  ['ADFSSignInLogs', 'entra-signin.adfs'],
]);
/** Graph `signInEventTypes` values → dataset, for the Graph shape (no category). */
const EVENT_TYPE_DATASETS = new Map([
  ['servicePrincipal', 'entra-signin.service_principal'],
  ['managedIdentity', 'entra-signin.managed_identity'],
  ['nonInteractiveUser', 'entra-signin.non_interactive'],
  ['interactiveUser', 'entra-signin.interactive'],
]);

/** Entry members mapped to ECS fields only (structured members such as `status` and `location` are also kept whole). */
const MAPPED: ReadonlySet<string> = new Set(['createdDateTime', 'userPrincipalName', 'userDisplayName', 'userId', 'ipAddress', 'userAgent', 'correlationId']);

function datasetOf(entry: JsonObject, category: string | undefined): string {
  if (category !== undefined) {
    const dataset = CATEGORY_DATASETS.get(category);
    if (dataset === undefined) throw new ParseError(`category "${category.slice(0, MAX_ERROR_DETAIL)}" is not a sign-in log`);
    return dataset;
  }
  if (Array.isArray(entry.signInEventTypes)) {
    for (const type of entry.signInEventTypes) {
      const dataset = EVENT_TYPE_DATASETS.get(type as string);
      if (dataset !== undefined) return dataset;
    }
  }
  return entry.isInteractive === false ? 'entra-signin.non_interactive' : 'entra-signin.interactive';
}

function setUser(event: MamoriEvent, entry: JsonObject, state: ReturnType<typeof newBudget>): void {
  const upn = mapText(event, 'user.name', entry, 'userPrincipalName', PREFIX, state);
  if (upn !== undefined && upn.includes('@')) event['user.email'] = upn;
  mapText(event, 'user.full_name', entry, 'userDisplayName', PREFIX, state);
  mapText(event, 'user.id', entry, 'userId', PREFIX, state);
}

function setGeo(event: MamoriEvent, location: JsonObject): void {
  const city = text(location.city);
  if (city !== undefined) event['source.geo.city_name'] = city;
  const region = text(location.state);
  if (region !== undefined) event['source.geo.region_name'] = region;
  const country = text(location.countryOrRegion);
  if (country !== undefined) event['source.geo.country_iso_code'] = country;
  const point = objectOf(location.geoCoordinates);
  const lat = point?.latitude;
  const lon = point?.longitude;
  if (typeof lat === 'number' && typeof lon === 'number' && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
    event['source.geo.location'] = { lat, lon };
  }
}

/**
 * Outcome from `status.errorCode` (0 is success; 50074/50076 "strong
 * authentication required" and other interrupts count as failures, as the
 * portal shows them), else from the envelope's `resultType`.
 */
function setOutcome(event: MamoriEvent, entry: JsonObject, envelope: JsonObject | undefined): void {
  const status = objectOf(entry.status);
  let code: unknown = status?.errorCode;
  if (code === undefined || code === null) code = envelope?.resultType;
  const n = typeof code === 'number' ? code : typeof code === 'string' && code.length > 0 ? Number(code) : NaN;
  if (!Number.isSafeInteger(n)) return;
  if (n === 0) {
    event['event.outcome'] = 'success';
    return;
  }
  event['event.outcome'] = 'failure';
  event['error.code'] = String(n);
  const reason = text(status?.failureReason) ?? text(envelope?.resultDescription);
  if (reason !== undefined) event['error.message'] = reason;
}

export const entraSignin: Parser = {
  name: 'entra-signin',
  description: 'Microsoft Entra ID (Azure AD) sign-in logs: diagnostic settings / Event Hub records and Graph signIn resources',
  sniff(line: string): boolean {
    // Diagnostic categories all end in `SignInLogs"`; Graph signIn resources carry conditionalAccessStatus.
    return line.indexOf('SignInLogs"') >= 0 || line.indexOf('"conditionalAccessStatus"') >= 0;
  },
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const { entry, envelope } = splitAzureRecord(readCloudRecord(line, WRAPPERS));
    if (envelope === undefined && (entry.createdDateTime === undefined || (entry.status === undefined && entry.appId === undefined))) {
      throw new ParseError('not an Entra ID sign-in record: no properties, createdDateTime or status');
    }
    const category = text(envelope?.category);
    const state = newBudget();
    const event: MamoriEvent = {
      '@timestamp': undefined,
      'event.kind': 'event',
      'event.module': 'entra-signin',
      'event.dataset': datasetOf(entry, category),
      'event.category': ['authentication'],
      'event.type': ['start'],
      'cloud.provider': 'azure',
    };
    if (category !== undefined) event[PREFIX + 'category'] = category;
    setOutcome(event, entry, envelope);
    setUser(event, entry, state);
    if (!setSourceAddress(event, entry.ipAddress)) keepUnmapped(event, entry, 'ipAddress', PREFIX, state);
    mapText(event, 'user_agent.original', entry, 'userAgent', PREFIX, state);
    const location = objectOf(entry.location);
    if (location !== undefined) setGeo(event, location);
    mapText(event, 'azure.correlation_id', entry, 'correlationId', PREFIX, state);

    let ms = isoTime(entry.createdDateTime, 'UTC');
    if (Number.isNaN(ms)) keepUnmapped(event, entry, 'createdDateTime', PREFIX, state);
    flattenSnake(event, entry, PREFIX, state, MAPPED);
    if (envelope !== undefined) {
      const envelopeMs = mapAzureEnvelope(event, envelope, PREFIX, state);
      if (Number.isNaN(ms)) ms = envelopeMs;
    } else {
      // The Graph resource has no tenant of the log itself; the resource tenant is the one signed in to.
      const tenant = text(entry.resourceTenantId);
      if (tenant !== undefined) event['cloud.account.id'] = tenant;
    }
    if (event['event.action'] === undefined) event['event.action'] = 'Sign-in activity';
    event['@timestamp'] = isoFromMs(Number.isNaN(ms) ? ctx.received : ms);
    reportDropped(event, state);
    return event;
  },
};
