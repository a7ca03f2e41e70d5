import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeDecoder } from './decode.js';
import { FrameSplitter } from './framing.js';

interface Frame {
  data: string;
  truncatedFrom?: number;
}

const utf8 = makeDecoder('utf-8');

function splitter(max = 1024, decode = utf8): { framer: FrameSplitter; frames: Frame[] } {
  const frames: Frame[] = [];
  const framer = new FrameSplitter(max, decode, (data, truncatedFrom) => {
    frames.push(truncatedFrom === undefined ? { data } : { data, truncatedFrom });
  });
  return { framer, frames };
}

/** Frames of `chunks` pushed one after the other, then end of stream. */
function frame(chunks: (string | Buffer)[], max = 1024): Frame[] {
  const { framer, frames } = splitter(max);
  for (const chunk of chunks) framer.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  framer.end();
  return frames;
}

const data = (frames: Frame[]): string[] => frames.map((f) => f.data);
const octet = (msg: string): string => `${Buffer.byteLength(msg)} ${msg}`;

describe('FrameSplitter: non-transparent framing', () => {
  it('splits on LF, CRLF and NUL, and skips empty lines', () => {
    expect(data(frame(['<13>a\n<13>b\r\n<13>c\0\n\r\n\0<13>d\n']))).toEqual(['<13>a', '<13>b', '<13>c', '<13>d']);
  });

  it('keeps a CR that is not followed by LF', () => {
    expect(data(frame(['<13>a\rb\n<13>c\r\0']))).toEqual(['<13>a\rb', '<13>c\r']);
  });

  it('delivers a last line without terminator when the stream ends', () => {
    expect(data(frame(['<13>a\n<13>b']))).toEqual(['<13>a', '<13>b']);
    expect(data(frame(['<13>a\n<13>b\r']))).toEqual(['<13>a', '<13>b']);
  });

  it('holds a partial line across chunks', () => {
    const { framer, frames } = splitter();
    framer.push(Buffer.from('<13>hel'));
    expect(frames).toEqual([]);
    expect(framer.bufferedBytes).toBe(7);
    framer.push(Buffer.from('lo\r'));
    framer.push(Buffer.from('\n<13>x'));
    expect(data(frames)).toEqual(['<13>hello']);
  });
});

describe('FrameSplitter: octet counting', () => {
  it('reads counted frames whose content holds LF and NUL', () => {
    const msgs = ['<13>one', '<13>multi\nline\0with nul', '<13>ログイン失敗'];
    expect(data(frame([msgs.map(octet).join('')]))).toEqual(msgs);
  });

  it('detects the framing per frame, so both can be mixed', () => {
    const stream = `${octet('<1>a\nb')}<2>lf line\n${octet('<3>c')}\n<4>crlf\r\n${octet('<5>d')}`;
    expect(data(frame([stream]))).toEqual(['<1>a\nb', '<2>lf line', '<3>c', '<4>crlf', '<5>d']);
  });

  it('treats what only looks like the start of a count as a plain line', () => {
    expect(data(frame(['99999999999 <13>eleven digits\n']))).toEqual(['99999999999 <13>eleven digits']);
    expect(data(frame(['0 <13>zero\n', '012 <13>leading zero\n']))).toEqual(['0 <13>zero', '012 <13>leading zero']);
    expect(data(frame(['12 abc\n', '12\n', '12  <x\n', '7<13>x\n']))).toEqual(['12 abc', '12', '12  <x', '7<13>x']);
    expect(data(frame(['123']))).toEqual(['123']);
    expect(data(frame(['123 ']))).toEqual(['123 ']);
  });

  it('flags an octet frame the stream ended in the middle of', () => {
    expect(frame(['20 <13>short'])).toEqual([{ data: '<13>short', truncatedFrom: 20 }]);
  });
});

describe('FrameSplitter: chunk boundaries', () => {
  const stream = Buffer.from(
    `${octet('<1>count\ned')}<2>line ログ\r\n${octet('<3>x')}\0<4>nul\0${octet('<5>ログイン失敗')}\n<6>last\n`,
    'utf8',
  );
  const expected = ['<1>count\ned', '<2>line ログ', '<3>x', '<4>nul', '<5>ログイン失敗', '<6>last'];

  it('gives the same frames whatever byte the stream is split at', () => {
    for (let i = 0; i <= stream.length; i++) {
      expect(data(frame([stream.subarray(0, i), stream.subarray(i)]))).toEqual(expected);
    }
  });

  it('gives the same frames when fed one byte at a time', () => {
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) chunks.push(stream.subarray(i, i + 1));
    expect(data(frame(chunks))).toEqual(expected);
  });

  it('returns exactly the messages sent, for any messages, framings and chunking', () => {
    const lfMessage = fc
      .tuple(fc.integer({ min: 0, max: 191 }), fc.string({ unit: 'binary', maxLength: 40 }))
      .map(([pri, text]) => `<${pri}>${text.replace(/[\n\0]/g, ' ').replace(/\r$/, '')}`);
    const countedMessage = fc
      .tuple(fc.integer({ min: 0, max: 191 }), fc.string({ unit: 'binary', maxLength: 40 }))
      .map(([pri, text]) => `<${pri}>${text}`);
    const item = fc.oneof(
      lfMessage.map((m) => ({ message: m, wire: `${m}\n` })),
      lfMessage.map((m) => ({ message: m, wire: `${m}\r\n` })),
      lfMessage.map((m) => ({ message: m, wire: `${m}\0` })),
      countedMessage.map((m) => ({ message: m, wire: octet(m) })),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), (items, cuts) => {
        const wire = Buffer.from(items.map((i) => i.wire).join(''), 'utf8');
        const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const p of [...points, wire.length]) {
          chunks.push(wire.subarray(from, p));
          from = p;
        }
        expect(data(frame(chunks, 4096))).toEqual(items.map((i) => i.message));
      }),
      { numRuns: 500 },
    );
  });
});

describe('FrameSplitter: oversized frames', () => {
  it('cuts a long line, records its size and keeps the following frames intact', () => {
    const long = `<13>${'x'.repeat(96)}`;
    expect(frame([`<13>before\n${long}\r\n<13>after\n`], 10)).toEqual([
      { data: '<13>before' },
      { data: '<13>xxxxxx', truncatedFrom: 100 },
      { data: '<13>after' },
    ]);
  });

  it('does not flag a line of exactly the limit (its CRLF not counted)', () => {
    expect(frame(['<13>456789\r\n'], 10)).toEqual([{ data: '<13>456789' }]);
  });

  it('cuts a long octet-counted frame and resumes at the next frame', () => {
    const long = `<13>${'y'.repeat(2000)}`;
    expect(frame([`${octet(long)}${octet('<13>next')}<13>lf\n`], 16)).toEqual([
      { data: long.slice(0, 16), truncatedFrom: 2004 },
      { data: '<13>next' },
      { data: '<13>lf' },
    ]);
  });

  it('passes a 10 MB line between two good lines with bounded memory', () => {
    const max = 65_536;
    const { framer, frames } = splitter(max);
    framer.push(Buffer.from('<13>good one\n<13>'));
    const piece = Buffer.alloc(65_000, 'z');
    let sent = 4;
    let peak = 0;
    while (sent < 10_000_000) {
      framer.push(piece);
      sent += piece.length;
      peak = Math.max(peak, framer.bufferedBytes);
    }
    framer.push(Buffer.from('\n<13>good two\n'));
    expect(peak).toBeLessThanOrEqual(max);
    expect(framer.bufferedBytes).toBe(0);
    expect(frames).toHaveLength(3);
    expect(frames[0]).toEqual({ data: '<13>good one' });
    expect(frames[1].data).toBe(`<13>${'z'.repeat(max - 4)}`);
    expect(frames[1].truncatedFrom).toBe(sent);
    expect(frames[2]).toEqual({ data: '<13>good two' });
  });

  it('delivers a cut line that never ended when the stream ends', () => {
    expect(frame(['<13>', 'a'.repeat(50)], 8)).toEqual([{ data: '<13>aaaa', truncatedFrom: 54 }]);
  });
});

describe('FrameSplitter: hostile input', () => {
  it('decodes invalid UTF-8 as U+FFFD and keeps going', () => {
    const bytes = Buffer.concat([Buffer.from('<13>a'), Buffer.from([0xff, 0xc3]), Buffer.from('\n<13>b\n')]);
    expect(data(frame([bytes]))).toEqual(['<13>a\uFFFD\uFFFD', '<13>b']);
  });

  it('never throws and never holds more than the limit on random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
        const { framer, frames } = splitter(64);
        for (const chunk of chunks) {
          framer.push(Buffer.from(chunk));
          expect(framer.bufferedBytes).toBeLessThanOrEqual(64);
        }
        framer.end();
        for (const f of frames) {
          expect(f.data.length).toBeGreaterThan(0);
          expect(Buffer.byteLength(f.data)).toBeLessThanOrEqual(64 * 3);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('survives a handler that throws', () => {
    let calls = 0;
    const framer = new FrameSplitter(100, utf8, () => {
      calls++;
      if (calls === 1) throw new Error('handler bug');
    });
    expect(() => framer.push(Buffer.from('<13>a\n'))).toThrow('handler bug');
    framer.push(Buffer.from('<13>b\n'));
    expect(calls).toBe(2);
  });
});
