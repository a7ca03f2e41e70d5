import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AhoCorasick } from './aho-corasick.js';

function found(ac: AhoCorasick, text: string): number[] {
  const ids = new Set<number>();
  ac.search(text, (id) => ids.add(id));
  return [...ids].sort((a, b) => a - b);
}

describe('AhoCorasick', () => {
  it('finds every needle that occurs, overlapping and nested ones included', () => {
    const ac = new AhoCorasick(['he', 'she', 'his', 'hers', 'mimikatz', '\\temp\\']);
    expect(found(ac, 'ushers')).toEqual([0, 1, 3]);
    expect(found(ac, 'c:\\windows\\temp\\mimikatz.exe')).toEqual([4, 5]);
    expect(found(ac, 'nothing here?')).toEqual([0]);
    expect(found(ac, '')).toEqual([]);
  });

  it('agrees with indexOf on random needles and texts', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 5, unit: fc.constantFrom('a', 'b', 'c', '\\') }), { minLength: 1, maxLength: 30 }), fc.string({ maxLength: 60, unit: fc.constantFrom('a', 'b', 'c', '\\', 'x') }), (needles, text) => {
        const expected = needles.map((n, i) => (text.includes(n) ? i : -1)).filter((i) => i >= 0);
        expect(found(new AhoCorasick(needles), text)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an empty needle', () => {
    expect(() => new AhoCorasick(['a', ''])).toThrow(/empty needle/);
  });
});
