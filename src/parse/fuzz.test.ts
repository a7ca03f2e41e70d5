import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MamoriEvent } from '../core/event.js';
import { goldenCases } from './golden.js';
import { normalise } from './normalise.js';
import { ParseError } from './parser.js';
import { getParser, parserNames } from './registry.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'Europe/Berlin' };
const RUNS = 300;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const decoder = new TextDecoder();

const text = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.uint8Array({ maxLength: 400 }).map((bytes) => decoder.decode(bytes)),
);

/** Golden inputs with random insertions, deletions and replacements. */
const goldenInputs = goldenCases().map((c) => c.input);
const mutated = fc
  .tuple(
    fc.constantFrom(...goldenInputs),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.string({ unit: 'binary', maxLength: 6 })), { minLength: 1, maxLength: 6 }),
  )
  .map(([input, edits]) =>
    edits.reduce((s, [at, remove, insert]) => {
      const i = s.length === 0 ? 0 : at % s.length;
      return s.slice(0, i) + insert + s.slice(i + remove);
    }, input),
  );

const MB = 1 << 20;
/** Inputs that punish quadratic scans, unbounded recursion and huge allocations. */
const huge: string[] = [
  'a'.repeat(MB),
  '<13>May  1 10:00:00 host tag: ' + 'x'.repeat(MB),
  '<13>1 2024-05-01T10:00:00Z h a - - ' + '[x a="b"]'.repeat(MB / 9),
  '<13>1 2024-05-01T10:00:00Z h a - - [x a="' + '\\"'.repeat(MB / 2),
  'CEF:0|a|b|c|d|e|1|' + 'k=v '.repeat(MB / 4),
  'CEF:0|a|b|c|d|e|1|k=' + '='.repeat(MB),
  'CEF:0|a|b|c|d|e|1|k=' + 'a'.repeat(MB) + '=',
  'CEF:' + '\\|'.repeat(MB / 2),
  '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000),
  '[' .repeat(MB),
  '{"a":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}',
  '{' + Array.from({ length: 100_000 }, (_, i) => `"k${i}":${i}`).join(',') + '}',
  '<13>1 2024-05-01T10:00:00Z h a - - - @cee: ' + '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
];

function checkEvent(event: MamoriEvent): void {
  expect(typeof event).toBe('object');
  expect(event['@timestamp']).toMatch(ISO);
  expect(typeof event['event.kind']).toBe('string');
}

function parseOrParseError(name: string, line: string): void {
  let event: MamoriEvent;
  try {
    event = getParser(name).parse(line, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(ParseError);
    return;
  }
  checkEvent(event);
}

describe.each(parserNames())('fuzz %s', (name) => {
  it('throws only ParseError on random text', () => {
    fc.assert(fc.property(text, (line) => parseOrParseError(name, line)), { numRuns: RUNS });
  });

  it('throws only ParseError on mutated golden inputs', () => {
    fc.assert(fc.property(mutated, (line) => parseOrParseError(name, line)), { numRuns: RUNS });
  });

  it('handles 1 MB lines and hostile nesting in bounded time', () => {
    for (const line of huge) {
      const started = performance.now();
      parseOrParseError(name, line);
      // Generous: catches quadratic behaviour (minutes), not machine noise.
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });
});

describe('fuzz normalise', () => {
  const normaliseChecked = (format: string, line: string): void => {
    const event = normalise({ id: 'e', tenant: 't', source: 's', format, received: ctx.received, timezone: ctx.timezone, data: line });
    checkEvent(event);
    expect(event['event.original']).toBe(line);
    if (event['event.kind'] === 'pipeline_error') expect(event['error.message']).toMatch(new RegExp(`^${format}: `));
  };

  it('never throws on random or mutated input, whatever the format', () => {
    const formats = fc.constantFrom(...parserNames(), 'unknown-format');
    fc.assert(fc.property(formats, fc.oneof(text, mutated), normaliseChecked), { numRuns: RUNS * 2 });
  });

  it('never throws on huge input', () => {
    for (const line of huge) for (const format of parserNames()) normaliseChecked(format, line);
  });
});
