import iconv from 'iconv-lite';
import { MamoriError } from '../core/errors.js';

/** Turns the bytes of one complete message into text; never throws. */
export type Decoder = (bytes: Buffer) => string;

const BOM = 0xfeff;

/**
 * Builds the decoder for a listener's charset, once per listener: every
 * lookup (name canonicalisation, codec tables) happens here, not per message.
 * Undecodable bytes become U+FFFD so a bad sender never loses a message.
 *
 * UTF-8 uses the native TextDecoder. Other charsets go through iconv-lite
 * (shift_jis, euc-jp, cp932, windows-1252, ...); the few it lacks but ICU
 * has (iso-2022-jp) fall back to TextDecoder.
 */
export function makeDecoder(charset: string): Decoder {
  const canonical = charset.toLowerCase().replace(/[^0-9a-z]/g, '');
  if (canonical === 'utf8') return textDecoder('utf-8');
  if (iconv.encodingExists(charset)) return iconvDecoder(iconv.getCodec(charset));
  const native = tryTextDecoder(charset);
  if (native) return native;
  throw new MamoriError(
    'MAMORI_E_INVALID',
    `Unknown charset '${charset}'. Use an encoding name from iconv-lite ` +
      '(https://github.com/pillarjs/iconv-lite/wiki/Supported-Encodings) or a WHATWG encoding label ' +
      '(https://encoding.spec.whatwg.org/#names-and-labels), for example utf-8, shift_jis, euc-jp, iso-2022-jp, windows-1252.',
    { charset },
  );
}

function textDecoder(label: string): Decoder {
  // fatal: false maps invalid sequences to U+FFFD; ignoreBOM: false strips a leading BOM.
  const decoder = new TextDecoder(label, { fatal: false, ignoreBOM: false });
  return (bytes) => decoder.decode(bytes);
}

function tryTextDecoder(label: string): Decoder | undefined {
  try {
    return textDecoder(label);
  } catch {
    return undefined;
  }
}

function iconvDecoder(codec: iconv.Codec): Decoder {
  return (bytes) => {
    // A fresh decoder per message: stateful codecs must not carry state from one message into the next.
    const decoder = new codec.decoder(undefined, codec);
    const head = decoder.write(bytes);
    const tail = decoder.end();
    const text = tail ? head + tail : head;
    return text.charCodeAt(0) === BOM ? text.slice(1) : text;
  };
}
