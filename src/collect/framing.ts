import type { Decoder } from './decode.js';

/**
 * Receives each complete, non-empty message of a stream. `truncatedFrom` is
 * set when the message was cut: the size in bytes the sender meant to send.
 */
export type FrameHandler = (data: string, truncatedFrom: number | undefined) => void;

const NUL = 0x00;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const LT = 0x3c;
const ZERO = 0x30;
const ONE = 0x31;
const NINE = 0x39;

/**
 * RFC 6587 MSG-LEN has no upper bound; nine digits (< 1 GB) is far beyond any
 * syslog message, and a longer run of digits is more likely a message that
 * happens to start with a number than a real count.
 */
const MAX_COUNT_DIGITS = 9;

/** Between frames: the next byte decides the framing. */
const START = 0;
/** Reading `<digits> ` that may turn out to be an octet count. */
const HEADER = 1;
/** Non-transparent framing: bytes up to LF (or CRLF, or NUL). */
const LINE = 2;
/** Octet-counted framing: a known number of bytes. */
const OCTETS = 3;
type State = typeof START | typeof HEADER | typeof LINE | typeof OCTETS;

/**
 * Splits one TCP connection's byte stream into syslog messages, per RFC 6587:
 * octet counting (`<len> <msg>`) and non-transparent framing (LF, CRLF, NUL),
 * detected anew for every frame, so a sender may mix them.
 *
 * Memory is bounded by `maxMessageBytes` per connection whatever the sender
 * does: bytes of a frame beyond the limit are counted, never kept. The
 * framer keeps views into the chunks it is given, so a chunk must not be
 * modified after `push`.
 */
export class FrameSplitter {
  private state: State = START;
  /** Kept bytes of the current frame (at most maxMessageBytes in total). */
  private readonly parts: Buffer[] = [];
  private keptBytes = 0;
  /** Bytes of the current frame seen so far, kept or not. */
  private seenBytes = 0;
  private lastByte = -1;
  private countDigits = 0;
  private countValue = 0;
  private countSpace = false;
  /** OCTETS: the announced length and how many of its bytes are still to come. */
  private octetCount = 0;
  private octetsLeft = 0;
  /** Positions of the next LF and NUL in the chunk being pushed; -1 once there are none, -2 before a search. */
  private nextLf = -2;
  private nextNul = -2;

  constructor(
    private readonly maxMessageBytes: number,
    private readonly decode: Decoder,
    private readonly onFrame: FrameHandler,
  ) {}

  /** Bytes held for a frame that is not complete yet. */
  get bufferedBytes(): number {
    return this.keptBytes;
  }

  push(chunk: Buffer): void {
    const end = chunk.length;
    this.nextLf = -2;
    this.nextNul = -2;
    let pos = 0;
    while (pos < end) {
      switch (this.state) {
        case START: {
          const b = chunk[pos];
          if (b >= ONE && b <= NINE) {
            this.state = HEADER;
            this.countDigits = 1;
            this.countValue = b - ZERO;
            this.countSpace = false;
            pos++;
          } else {
            this.state = LINE;
          }
          break;
        }
        case HEADER: {
          const b = chunk[pos];
          if (!this.countSpace && b >= ZERO && b <= NINE && this.countDigits < MAX_COUNT_DIGITS) {
            this.countDigits++;
            this.countValue = this.countValue * 10 + (b - ZERO);
            pos++;
          } else if (!this.countSpace && b === SPACE) {
            this.countSpace = true;
            pos++;
          } else if (this.countSpace && b === LT) {
            // The '<' of the PRI is the first byte of the message: not consumed here.
            this.state = OCTETS;
            this.octetCount = this.countValue;
            this.octetsLeft = this.countValue;
          } else {
            this.headerToLine();
          }
          break;
        }
        case LINE: {
          const t = this.terminator(chunk, pos);
          if (t === -1) {
            this.keep(chunk, pos, end);
            pos = end;
          } else {
            this.keep(chunk, pos, t);
            this.finishLine(chunk[t] === LF);
            pos = t + 1;
          }
          break;
        }
        case OCTETS: {
          const take = Math.min(this.octetsLeft, end - pos);
          this.keep(chunk, pos, pos + take);
          this.octetsLeft -= take;
          pos += take;
          if (this.octetsLeft === 0) {
            this.emit(this.keptBytes, this.octetCount > this.keptBytes ? this.octetCount : undefined);
          }
          break;
        }
      }
    }
  }

  /** The stream ended: delivers a last frame that had no terminator (an unfinished octet frame is flagged as cut). */
  end(): void {
    switch (this.state) {
      case HEADER:
        this.headerToLine();
        this.finishLine(true);
        break;
      case LINE:
        this.finishLine(true);
        break;
      case OCTETS:
        this.emit(this.keptBytes, this.octetCount);
        break;
      case START:
        break;
    }
  }

  /** The digits (and space) read as a possible count are the start of a plain line after all. */
  private headerToLine(): void {
    const header = Buffer.from(this.countSpace ? `${this.countValue} ` : `${this.countValue}`, 'latin1');
    this.state = LINE;
    this.keep(header, 0, header.length);
  }

  /** Position of the next LF or NUL at or after `from`, or -1; each chunk is scanned at most once per byte value. */
  private terminator(chunk: Buffer, from: number): number {
    if (this.nextLf !== -1 && this.nextLf < from) this.nextLf = chunk.indexOf(LF, from);
    if (this.nextNul !== -1 && this.nextNul < from) this.nextNul = chunk.indexOf(NUL, from);
    if (this.nextLf === -1) return this.nextNul;
    if (this.nextNul === -1) return this.nextLf;
    return Math.min(this.nextLf, this.nextNul);
  }

  private keep(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    this.seenBytes += to - from;
    this.lastByte = chunk[to - 1];
    const room = this.maxMessageBytes - this.keptBytes;
    if (room <= 0) return;
    const kept = Math.min(room, to - from);
    this.parts.push(chunk.subarray(from, from + kept));
    this.keptBytes += kept;
  }

  private finishLine(byLf: boolean): void {
    const size = byLf && this.lastByte === CR ? this.seenBytes - 1 : this.seenBytes;
    if (size <= this.maxMessageBytes) this.emit(size, undefined);
    else this.emit(this.keptBytes, size);
  }

  /**
   * Delivers the first `length` kept bytes (empty frames are skipped) and starts the next frame.
   * The state is reset before the handler runs, so a handler that throws leaves the framer usable.
   */
  private emit(length: number, truncatedFrom: number | undefined): void {
    let data: string | undefined;
    if (length > 0) {
      const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.keptBytes);
      data = this.decode(length === bytes.length ? bytes : bytes.subarray(0, length));
    }
    this.parts.length = 0;
    this.keptBytes = 0;
    this.seenBytes = 0;
    this.lastByte = -1;
    this.state = START;
    if (data !== undefined) this.onFrame(data, truncatedFrom);
  }
}
