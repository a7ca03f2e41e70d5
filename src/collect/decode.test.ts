import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { MamoriError } from '../core/errors.js';
import { makeDecoder } from './decode.js';

describe('makeDecoder', () => {
  it('decodes UTF-8 under any spelling of its name', () => {
    for (const name of ['utf-8', 'UTF-8', 'utf8', 'Utf_8']) {
      expect(makeDecoder(name)(Buffer.from('<13>ログイン ok', 'utf8'))).toBe('<13>ログイン ok');
    }
  });

  it('strips a leading UTF-8 BOM but keeps one inside the text', () => {
    const decode = makeDecoder('utf-8');
    expect(decode(Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xef, 0xbb, 0xbf, 0x62]))).toBe('a\uFEFFb');
  });

  it('turns invalid UTF-8 into U+FFFD without losing the rest', () => {
    const decode = makeDecoder('utf-8');
    expect(decode(Buffer.from([0x61, 0xff, 0xfe, 0x62, 0xe3, 0x81]))).toBe('a\uFFFD\uFFFDb\uFFFD');
    // Overlong encoding and an encoded surrogate are invalid too.
    expect(decode(Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]))).not.toMatch(/[/\uD800]/);
  });

  it('decodes Japanese legacy charsets', () => {
    const text = '<13>ログイン失敗 user=山田';
    for (const charset of ['shift_jis', 'Shift_JIS', 'cp932', 'euc-jp']) {
      expect(makeDecoder(charset)(iconv.encode(text, charset))).toBe(text);
    }
  });

  it('decodes ISO-2022-JP (escape sequences) per message, without state leaking into the next one', () => {
    const decode = makeDecoder('iso-2022-jp');
    // ESC $ B switches to JIS X 0208; the first message never switches back.
    const unterminated = Buffer.from([0x1b, 0x24, 0x42, 0x25, 0x2d]);
    expect(decode(unterminated)).toContain('キ');
    expect(decode(Buffer.from('%-', 'latin1'))).toBe('%-');
  });

  it('decodes windows-1252 and latin1', () => {
    expect(makeDecoder('windows-1252')(Buffer.from([0x80, 0x20, 0xe9]))).toBe('€ é');
    expect(makeDecoder('latin1')(Buffer.from([0xe9]))).toBe('é');
  });

  it('replaces bytes invalid in Shift_JIS and starts every message fresh', () => {
    const decode = makeDecoder('shift_jis');
    // A lead byte cut off at the end of a message must not swallow the next message's first byte.
    expect(decode(Buffer.from([0x61, 0x83]))).toBe('a\uFFFD');
    expect(decode(Buffer.from('bc', 'latin1'))).toBe('bc');
  });

  it('rejects an unknown charset with MAMORI_E_INVALID and says where valid names are listed', () => {
    let caught: unknown;
    try {
      makeDecoder('klingon-8');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MamoriError);
    expect((caught as MamoriError).code).toBe('MAMORI_E_INVALID');
    expect((caught as MamoriError).message).toContain('klingon-8');
    expect((caught as MamoriError).message).toContain('Supported-Encodings');
  });

  it('never throws on arbitrary bytes', () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    for (const charset of ['utf-8', 'shift_jis', 'euc-jp', 'iso-2022-jp', 'windows-1252']) {
      expect(typeof makeDecoder(charset)(bytes)).toBe('string');
    }
  });
});
