import { describe, expect, it } from 'vitest';
import { completeEvent } from './complete.js';
import { GOLDEN_CONTEXT, goldenCases } from './golden.js';
import { ParseError } from './parser.js';
import { getParser, parserNames } from './registry.js';

describe('golden fixtures', () => {
  const cases = goldenCases();

  it('cover every registered parser with at least five cases, one of them a line it must reject', () => {
    const rejects = (c: (typeof cases)[number]) => typeof c.expected.error === 'string' && Object.keys(c.expected).length === 1;
    for (const name of parserNames()) {
      expect(cases.filter((c) => c.parser === name).length, name).toBeGreaterThanOrEqual(5);
      // auto never rejects a line: its malformed case (broken JSON) is kept as a raw message.
      if (name !== 'auto') expect(cases.some((c) => c.parser === name && rejects(c)), name).toBe(true);
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
