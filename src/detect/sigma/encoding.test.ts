import { describe, expect, it } from 'vitest';
import { base64Offsets, foldDashes, utf16 } from './encoding.js';

describe('encoding modifiers', () => {
  it('encodes UTF-16 as the specification shows', () => {
    expect([...utf16('cmd', 'utf16le')]).toEqual([0x63, 0, 0x6d, 0, 0x64, 0]);
    expect([...utf16('cmd', 'utf16be')]).toEqual([0, 0x63, 0, 0x6d, 0, 0x64]);
    expect([...utf16('cmd', 'utf16')]).toEqual([0xff, 0xfe, 0x63, 0, 0x6d, 0, 0x64, 0]);
  });

  it('gives base64offset forms that occur in any encoding of the value inside other text', () => {
    const value = Buffer.from('/bin/sh -c');
    const forms = base64Offsets(value);
    expect(forms).toHaveLength(3);
    for (let prefix = 0; prefix < 6; prefix++) {
      for (let suffix = 0; suffix < 3; suffix++) {
        const encoded = Buffer.concat([Buffer.alloc(prefix, 0x41), value, Buffer.alloc(suffix, 0x42)]).toString('base64');
        expect(forms.some((f) => encoded.includes(f)), `prefix ${prefix} suffix ${suffix}`).toBe(true);
      }
    }
  });

  it('folds every windash character to "-"', () => {
    expect(foldDashes('a/b\u2013c\u2014d\u2015e-f')).toBe('a-b-c-d-e-f');
  });
});
