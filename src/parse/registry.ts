import { MamoriError } from '../core/errors.js';
import { auto } from './auto.js';
import { cef } from './cef.js';
import { json } from './json.js';
import type { Parser } from './parser.js';
import { rfc3164 } from './rfc3164.js';
import { rfc5424 } from './rfc5424.js';

/** Every parser Mamori ships, by name. Adding a parser means adding it here. */
const PARSERS: ReadonlyMap<string, Parser> = new Map([auto, cef, json, rfc3164, rfc5424].map((p) => [p.name, p]));

export function getParser(name: string): Parser {
  const parser = PARSERS.get(name);
  if (!parser) {
    throw new MamoriError(
      'MAMORI_E_UNKNOWN_PART',
      `unknown parser "${name}"; known parsers: ${parserNames().join(', ')}`,
      { name, known: parserNames() },
    );
  }
  return parser;
}

export function parserNames(): string[] {
  return [...PARSERS.keys()];
}

export function parserInfo(): { name: string; description: string }[] {
  return [...PARSERS.values()].map(({ name, description }) => ({ name, description }));
}
