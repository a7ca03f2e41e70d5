import { describe, expect, it } from 'vitest';
import { completeEvent } from './complete.js';
import { GOLDEN_CONTEXT, goldenCases } from './golden.js';
import { ParseError } from './parser.js';
import { getParser, parserNames } from './registry.js';

describe('golden fixtures', () => {
  const cases = goldenCases();

  it('cover every registered parser with at least five cases', () => {
    for (const name of parserNames()) {
      expect(cases.filter((c) => c.parser === name).length, name).toBeGreaterThanOrEqual(5);
    }
  });

  for (const c of cases) {
    it(`${c.parser}/${c.name}`, () => {
      const parser = getParser(c.parser);
      if (typeof c.expected.error === 'string' && Object.keys(c.expected).length === 1) {
        expect(() => parser.parse(c.input, GOLDEN_CONTEXT)).toThrow(ParseError);
        expect(() => parser.parse(c.input, GOLDEN_CONTEXT)).toThrow(c.expected.error);
      } else {
        expect(completeEvent(parser.parse(c.input, GOLDEN_CONTEXT), GOLDEN_CONTEXT.received)).toEqual(c.expected);
      }
    });
  }
});
