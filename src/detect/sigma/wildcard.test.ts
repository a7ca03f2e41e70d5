import { describe, expect, it } from 'vitest';
import { compilePattern, parsePattern, QMARK, STAR } from './wildcard.js';

describe('parsePattern: escaping per the specification', () => {
  it.each([
    ['C:\\Windows', ['C:\\Windows']],
    ['C:\\\\Windows', ['C:\\Windows']],
    ['a\\*b', ['a*b']],
    ['a\\?b', ['a?b']],
    ['a\\\\*', ['a\\', STAR]],
    ['a\\\\\\*', ['a\\*']],
    ['a\\\\\\\\b', ['a\\\\b']],
    ['trailing\\', ['trailing\\']],
    ['**x??', [STAR, 'x', QMARK, QMARK]],
  ])('%s', (text, expected) => {
    expect(parsePattern(text)).toEqual(expected);
  });

  it('reads placeholders only when asked, with \\% as a plain percent', () => {
    expect(parsePattern('%Admins%')).toEqual(['%Admins%']);
    expect(parsePattern('x%Admins%', true)).toEqual(['x', { placeholder: 'Admins' }]);
    expect(parsePattern('\\%plain%name%', true)).toEqual(['%plain', { placeholder: 'name' }]);
  });
});

describe('compilePattern', () => {
  const cases: [string, string, boolean][] = [
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['ab*', 'abzzz', true],
    ['*bc', 'zzbc', true],
    ['*b*', 'zbz', true],
    ['a*c*e', 'abcde', true],
    ['a*c*e', 'aec', false],
    ['a*a', 'a', false],
    ['a*b*a', 'aba', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*', '', true],
    ['', '', true],
    ['', 'x', false],
    ['a.c', 'abc', false],
    ['(x)*', '(x)yz', true],
  ];
  it.each(cases)('%s vs %s → %s', (pattern, value, expected) => {
    expect(compilePattern(parsePattern(pattern), false)(value)).toBe(expected);
  });

  it('lowercases needles when folding and leaves them when cased', () => {
    expect(compilePattern(parsePattern('*CMD.exe'), true)('c:\\cmd.exe')).toBe(true);
    expect(compilePattern(parsePattern('*CMD.exe'), false)('c:\\cmd.exe')).toBe(false);
  });

  it('runs star patterns in linear time on hostile input', () => {
    const test = compilePattern(parsePattern('*a*a*a*a*a*a*a*a*a*a*b'), false);
    const started = performance.now();
    expect(test('a'.repeat(200_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
