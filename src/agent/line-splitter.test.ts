import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

function split(chunks: (string | Buffer)[], max = 16) {
  const lines: [string, number | undefined][] = [];
  const s = new LineSplitter(max, (bytes, cut) => lines.push([bytes.toString('utf8'), cut]));
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c);
  return { lines, s };
}

describe('LineSplitter', () => {
  it('splits on LF, strips a final CR, skips empty lines and keeps an unfinished line pending', () => {
    const { lines, s } = split(['a\r\nbb\n\n\r\ncc', 'c\nddd']);
    expect(lines).toEqual([['a', undefined], ['bb', undefined], ['ccc', undefined]]);
    expect(s.pendingBytes).toBe(3);
    s.flush();
    expect(lines.at(-1)).toEqual(['ddd', undefined]);
    expect(s.pendingBytes).toBe(0);
  });

  it('cuts lines longer than the limit and reports their full size, across chunks, without buffering the rest', () => {
    const long = 'x'.repeat(40);
    const { lines } = split([long.slice(0, 10), long.slice(10) + '\r\nok\n', 'y'.repeat(20) + '\n']);
    expect(lines).toEqual([['x'.repeat(16), 41], ['ok', undefined], ['y'.repeat(16), 20]]);
  });

  it('does not keep references to the caller buffer', () => {
    const buf = Buffer.from('abc');
    const { lines, s } = split([buf]);
    buf.fill(0x7a);
    s.push(Buffer.from('\n'));
    expect(lines).toEqual([['abc', undefined]]);
  });

  it('passes invalid UTF-8 bytes through untouched (decoding is the caller job)', () => {
    const got: Buffer[] = [];
    const s = new LineSplitter(64, (b) => got.push(Buffer.from(b)));
    s.push(Buffer.from([0xff, 0xfe, 0x0a, 0xc3]));
    s.push(Buffer.from([0xa9, 0x0a]));
    expect(got).toEqual([Buffer.from([0xff, 0xfe]), Buffer.from([0xc3, 0xa9])]);
  });
});
