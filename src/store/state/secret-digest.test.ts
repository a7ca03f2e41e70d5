import { describe, expect, it } from 'vitest';
import { secretDigest, secretHint } from './secret-digest.js';

describe('secret digest', () => {
  it('is the SHA-256 hex of the UTF-8 secret', () => {
    expect(secretDigest('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(secretDigest('秘密')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hints with the first eight characters', () => {
    expect(secretHint('mst_abcdefgh')).toBe('mst_abcd');
    expect(secretHint('short')).toBe('short');
  });
});
