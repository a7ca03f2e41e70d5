import { describe, expect, it } from 'vitest';
import { clip, fieldTerm, formatTime, segments, valueText, visible } from './format';

describe('visible', () => {
  it('keeps ordinary text, Japanese included', () => {
    expect(visible('Failed password for root from 10.0.0.7')).toBe('Failed password for root from 10.0.0.7');
    expect(visible('ログイン失敗 ユーザー=山田')).toBe('ログイン失敗 ユーザー=山田');
  });

  it('names C0 controls and DEL by their ASCII abbreviations', () => {
    expect(visible('a\u0000b\tc\nd\re\u001b[31mf\u007f')).toBe('a<NUL>b<TAB>c<LF>d<CR>e<ESC>[31mf<DEL>');
  });

  it('names C1, zero-width and bidi override characters instead of letting them act', () => {
    expect(visible('x\u0085y')).toBe('x<U+0085>y');
    expect(visible('admin\u200b')).toBe('admin<U+200B>');
    expect(visible('evil\u202Etxt.exe')).toBe('evil<U+202E>txt.exe');
    expect(visible('\ufeffbom')).toBe('<U+FEFF>bom');
    expect(visible('\u2066a\u2069')).toBe('<U+2066>a<U+2069>');
  });

  it('leaves markup as text (React escapes it on render)', () => {
    expect(visible('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });

  it('handles lone surrogates from invalid UTF-8 without throwing', () => {
    expect(visible('a\ud800b\ufffd')).toBe('a\ud800b\ufffd');
  });
});

describe('segments', () => {
  it('separates invisible characters from the text around them', () => {
    expect(segments('evil\u202Etxt\u001b\u001b')).toEqual([
      { text: 'evil', control: false },
      { text: 'U+202E', control: true },
      { text: 'txt', control: false },
      { text: 'ESC', control: true },
      { text: 'ESC', control: true },
    ]);
  });

  it('gives one plain segment for ordinary and empty text', () => {
    expect(segments('plain <b>text</b>')).toEqual([{ text: 'plain <b>text</b>', control: false }]);
    expect(segments('')).toEqual([{ text: '', control: false }]);
  });

  it('keeps a literal "<ESC>" in a log apart from a real escape character', () => {
    expect(segments('<ESC>')).toEqual([{ text: '<ESC>', control: false }]);
    expect(segments('\u001b')).toEqual([{ text: 'ESC', control: true }]);
  });

  it('is linear on a long line full of controls', () => {
    const line = '\u0007a'.repeat(50_000);
    const parts = segments(line);
    expect(parts).toHaveLength(100_000);
    expect(parts.filter((p) => p.control)).toHaveLength(50_000);
  });
});

describe('valueText and clip', () => {
  it('renders every JSON type as text', () => {
    expect(valueText('s')).toBe('s');
    expect(valueText(443)).toBe('443');
    expect(valueText(false)).toBe('false');
    expect(valueText(null)).toBe('');
    expect(valueText(undefined)).toBe('');
    expect(valueText(['network', 'authentication'])).toBe('["network","authentication"]');
    expect(valueText({ a: { b: 1 } })).toBe('{"a":{"b":1}}');
  });

  it('survives values JSON cannot write', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(valueText(cyclic)).toBe('[object Object]');
  });

  it('clips long values and says how much was left out', () => {
    const long = 'A'.repeat(70_000);
    const d = clip(long, 1000);
    expect(d.text).toHaveLength(1000);
    expect(d.omitted).toBe(69_000);
    expect(clip('short', 1000)).toEqual({ text: 'short', omitted: 0 });
    expect(clip(['a', 'b'], 4)).toEqual({ text: '["a"', omitted: 5 });
  });
});

describe('formatTime', () => {
  it('formats an ISO time in local time with milliseconds', () => {
    const iso = '2026-11-22T10:00:05.123Z';
    const d = new Date(iso);
    expect(formatTime(iso)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:05\.123$/);
    expect(formatTime(iso).slice(11, 13)).toBe(String(d.getHours()).padStart(2, '0'));
  });

  it('shows anything else as it is', () => {
    expect(formatTime('not a time')).toBe('not a time');
    expect(formatTime(undefined)).toBe('');
    expect(formatTime(12)).toBe('12');
  });
});

describe('fieldTerm', () => {
  it('quotes the value and escapes quotes and backslashes', () => {
    expect(fieldTerm('source.ip', '10.0.0.1')).toBe('source.ip:"10.0.0.1"');
    expect(fieldTerm('user.name', 'Alice "A" Smith')).toBe('user.name:"Alice \\"A\\" Smith"');
    expect(fieldTerm('process.executable', 'C:\\Windows\\*')).toBe('process.executable:"C:\\\\Windows\\\\*"');
  });
});
