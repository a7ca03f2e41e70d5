import type { MamoriEvent } from '../core/event.js';
import { cef, findCef } from './cef.js';
import { json } from './json.js';
import { ParseError, type ParseContext, type Parser } from './parser.js';
import { rfc3164 } from './rfc3164.js';
import { rfc5424 } from './rfc5424.js';
import { readPri } from './syslog.js';
import { isoFromMs } from './time.js';

/** A syslog header in front of `CEF:` is never longer than this. */
const CEF_SEARCH_LIMIT = 512;

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

function isJson(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 123) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return false;
}

/** The parser a line's first bytes point to. */
export function detect(line: string): Parser {
  if (findCef(line, CEF_SEARCH_LIMIT) >= 0) return cef;
  if (isRfc5424(line)) return rfc5424;
  if (isJson(line)) return json;
  return rfc3164;
}

export const auto: Parser = {
  name: 'auto',
  description: 'Detects CEF, RFC 5424, RFC 3164 or JSON per line; event.module names the format it chose',
  parse(line: string, ctx: ParseContext): MamoriEvent {
    const chosen = detect(line);
    try {
      return chosen.parse(line, ctx);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
    }
    if (chosen !== rfc3164) {
      try {
        return rfc3164.parse(line, ctx);
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
      }
    }
    return {
      '@timestamp': isoFromMs(ctx.received),
      'event.kind': 'event',
      'event.module': 'auto',
      'event.dataset': 'raw',
      message: line,
    };
  },
};
