import { MamoriError } from '../../core/errors.js';

/**
 * A MAMORI_E_QUERY error pointing at a place in the query text. The message
 * gives the 1-based column for people; `details.offset` gives the 0-based
 * offset for a UI that underlines the spot.
 */
export function queryError(message: string, offset: number): MamoriError {
  return new MamoriError('MAMORI_E_QUERY', `${message} (column ${offset + 1})`, { offset, column: offset + 1 });
}

/** The user's text, JSON-quoted and cut short so an error message stays readable. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
