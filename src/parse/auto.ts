import type { MamoriEvent } from '../core/event.js';
import { json } from './json.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { rfc3164 } from './rfc3164.js';
import { rfc5424 } from './rfc5424.js';
import { readPri } from './syslog.js';
import { isoFromMs } from './time.js';

/** `<PRI>` followed by a 1-3 digit VERSION and a space: RFC 5424. */
function isRfc5424(line: string): boolean {
  const pri = readPri(line, 0);
  if (!pri) return false;
  let i = pri.end;
  const first = line.charCodeAt(i);
  if (first < 49 || first > 57) return false;
  for (i++; i < pri.end + 3; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) break;
  }
  return line.charCodeAt(i) === 32;
}

function startsWithBrace(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 123) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return false;
}

/**
 * Text signatures sit in a line's first few hundred characters (header,
 * tag, first fields); sniffing only this much keeps detection cost flat
 * for long lines, which would otherwise be scanned once per candidate.
 */
const SNIFF_WINDOW = 1024;

/** What a line falls back to when no vendor format claims it: the generic syslog and JSON parsers. */
function generic(line: string, isJson: boolean): Parser {
  if (isJson) return json;
  if (isRfc5424(line)) return rfc5424;
  return rfc3164;
}

function tryParse(parser: Parser, line: string, ctx: ParseContext): MamoriEvent | undefined {
  try {
    return parser.parse(line, ctx);
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    return undefined;
  }
}

/**
 * The `auto` parser over `candidates`, the registered parsers that can
 * sniff their format, most specific first. Per line: the first candidate
 * whose sniffer claims it parses it (JSON lines are only offered to
 * candidates whose format is JSON, `jsonCandidates`); when none claims it
 * or the claimant rejects it, the generic RFC 5424 / JSON / RFC 3164
 * parsers take it, and failing those the line is kept as a raw message.
 * `event.module` / `event.dataset` say which format was chosen.
 */
export function makeAuto(textCandidates: readonly Parser[], jsonCandidates: readonly Parser[]): Parser {
  return {
    name: 'auto',
    description: 'Detects the format per line (vendor formats by their signature, else RFC 5424, RFC 3164 or JSON); event.module names the format it chose',
    parse(line: string, ctx: ParseContext): MamoriEvent {
      const isJson = startsWithBrace(line);
      // JSON members come in any order, so JSON lines are sniffed whole.
      const head = isJson || line.length <= SNIFF_WINDOW ? line : line.slice(0, SNIFF_WINDOW);
      for (const candidate of isJson ? jsonCandidates : textCandidates) {
        if (!candidate.sniff!(head)) continue;
        const event = tryParse(candidate, line, ctx);
        if (event) return event;
        break;
      }
      const fallback = generic(line, isJson);
      const event = tryParse(fallback, line, ctx) ?? (fallback !== rfc3164 ? tryParse(rfc3164, line, ctx) : undefined);
      if (event) return event;
      return {
        '@timestamp': isoFromMs(ctx.received),
        'event.kind': 'event',
        'event.module': 'auto',
        'event.dataset': 'raw',
        message: line,
      };
    },
  };
}
