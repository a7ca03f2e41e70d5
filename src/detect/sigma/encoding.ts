/**
 * Byte-level value transforms of the encoding modifiers. They run once, at
 * compile time, on the rule's values; events are never decoded.
 */

export type Utf16Variant = 'utf16le' | 'utf16be' | 'utf16';

export function utf16(text: string, variant: Utf16Variant): Buffer {
  const le = Buffer.from(text, 'utf16le');
  if (variant === 'utf16le') return le;
  if (variant === 'utf16') return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  const be = Buffer.from(le);
  be.swap16();
  return be;
}

export function base64(bytes: Buffer): string {
  return bytes.toString('base64');
}

/**
 * The three base64 forms of `bytes` when it sits at byte offset 0, 1 or 2 of
 * a longer encoded text: encode behind 0–2 filler bytes, then drop the
 * leading characters that depend on the filler and the trailing ones that
 * depend on what follows. What remains is stable wherever the value lands.
 */
export function base64Offsets(bytes: Buffer): string[] {
  const startTrim = [0, 2, 3];
  const endTrim = [0, 3, 2];
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift, 0x20), bytes]).toString('base64');
    const end = endTrim[(bytes.length + shift) % 3];
    out.push(encoded.slice(startTrim[shift], encoded.length - end));
  }
  return out;
}

/**
 * `windash` treats `-`, `/`, en dash, em dash and horizontal bar as one
 * character. Rather than expanding every permutation (5^n values for n
 * dashes), needle and haystack are both folded to `-`; that is equivalent
 * because a needle's other characters are never dashes.
 */
const DASHES = /[/\u2013\u2014\u2015]/g;

export function foldDashes(text: string): string {
  return text.replace(DASHES, '-');
}
