import { ParseError } from './parser.js';

/** How much of JSON.parse's message an error keeps (it quotes the input). */
const MAX_ERROR_DETAIL = 200;

/** Decodes one line of JSON (a leading BOM is ignored); a ParseError saying why when it is not JSON. */
export function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
  } catch (err) {
    throw new ParseError(`invalid JSON: ${String((err as Error).message).slice(0, MAX_ERROR_DETAIL)}`);
  }
}

/** One line that must hold a JSON object. */
export function readJsonObject(line: string): Record<string, unknown> {
  const doc = parseJsonLine(line);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ParseError('not a JSON object');
  return doc as Record<string, unknown>;
}
