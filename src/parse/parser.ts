import type { MamoriEvent } from '../core/event.js';

/** What a parser knows about a line besides its text. */
export interface ParseContext {
  /** Milliseconds since the epoch when Mamori received the line (fallback timestamp). */
  received: number;
  /** IANA time zone for timestamps that carry no offset (default UTC). */
  timezone?: string;
}

/**
 * A parser turns one raw line (or JSON document) into a normalised event
 * with ECS field names. It throws `ParseError` when the line is not in its
 * format; the pipeline then stores the line as a `pipeline_error` event.
 * Parsers never fill `event.id`, `tenant.id`, `event.original` or
 * `event.ingested`: the pipeline owns those.
 */
export interface Parser {
  readonly name: string;
  readonly description: string;
  parse(line: string, ctx: ParseContext): MamoriEvent;
  /**
   * A cheap check (no allocation, a few character comparisons or one
   * indexOf) that a line carries this format's signature, used by `auto`
   * to pick a parser. Absent for formats with no signature of their own.
   */
  sniff?(line: string): boolean;
}

export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParseError';
  }
}
