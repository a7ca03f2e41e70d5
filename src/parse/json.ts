import type { MamoriEvent } from '../core/event.js';
import { DROPPED_FIELDS, flattenInto, type FlattenState } from './flatten.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { readJsonObject } from './json-line.js';
import { epochToMs, isoFromMs, isValidMs, parseEpochText, parseIso } from './time.js';

/** Where the event time is looked for, first match wins. */
const TIME_FIELDS = ['@timestamp', 'timestamp', 'time', 'ts'];

/**
 * Fields a document may not set: the pipeline owns them, and letting a
 * sender choose `tenant.id` or `event.id` would let it write into another
 * tenant or overwrite stored events. The raw line keeps them in event.original.
 */
function notReserved(field: string): boolean {
  return !(
    field === 'event.id' ||
    field === 'event.original' ||
    field === 'event.ingested' ||
    field.startsWith('tenant.') ||
    field.startsWith('mamori.')
  );
}

function timeOf(value: unknown, zone: string | undefined): number {
  if (typeof value === 'number') return epochToMs(value);
  if (typeof value !== 'string') return NaN;
  const epoch = parseEpochText(value);
  return Number.isNaN(epoch) ? parseIso(value, zone) : epoch;
}

function isObjectStart(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 123) return true;
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10 && c !== 0xfeff) return false;
  }
  return false;
}

export const json: Parser = {
  name: 'json',
  description: 'One JSON object per line; nested objects become dotted ECS field names',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    if (!isObjectStart(line)) throw new ParseError('not a JSON object');
    const doc = readJsonObject(line);

    const event: MamoriEvent = { '@timestamp': undefined };
    const state: FlattenState = { fields: 0, dropped: 0 };
    flattenInto(event, doc as Record<string, unknown>, '', state, notReserved);
    if (state.dropped > 0) event[DROPPED_FIELDS] = state.dropped;

    let ms = NaN;
    for (const field of TIME_FIELDS) {
      const value = event[field];
      if (value === undefined) continue;
      ms = timeOf(value, ctx.timezone);
      if (isValidMs(ms)) break;
    }
    event['@timestamp'] = isoFromMs(isValidMs(ms) ? ms : ctx.received);
    if (typeof event['event.kind'] !== 'string') event['event.kind'] = 'event';
    if (typeof event['event.dataset'] !== 'string') event['event.dataset'] = 'json';
    event['event.module'] = 'json';
    return event;
  },
};
