import { describe, expect, it } from 'vitest';
import { compileSigmaRegex } from './regex.js';

describe('compileSigmaRegex', () => {
  it.each(['(a+)+', '(a*)*b', '(\\w+\\s?)*$', '(?:x|y+){2,}', '((a+)?)+', '(?:.*\\)){1,}'])('rejects nested unbounded quantifier %s', (source) => {
    expect(compileSigmaRegex(source, '')).toMatch(/^regular expression risks catastrophic backtracking/);
  });

  it.each(['(a|b)+', '(a+){3}', '[(+]+', '\\(a+\\)+', 'cmd.{0,5}(?:/c|/r)', '(?:\\s-[^-\\s]{0,20}i|\\s--inode\\s)', '^a.*b.*c$'])('accepts %s', (source) => {
    expect(compileSigmaRegex(source, '')).toBeInstanceOf(RegExp);
  });

  it('turns a leading (?i) into a flag', () => {
    const re = compileSigmaRegex('(?i)abc', '') as RegExp;
    expect(re.flags).toBe('i');
    expect(re.test('xABCx')).toBe(true);
  });

  it('rejects overlong and invalid patterns with a reason', () => {
    expect(compileSigmaRegex('a'.repeat(5000), '')).toBe('regular expression longer than 4096 characters');
    expect(compileSigmaRegex('(?x)a b', '')).toBe('inline flag (?x) is not supported');
    expect(compileSigmaRegex('a{2,1}', '')).toMatch(/^invalid regular expression/);
  });
});
