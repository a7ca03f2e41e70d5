/**
 * Turning log data into text that is safe and legible on screen. Log data is
 * attacker-controlled: it is only ever rendered as React text (escaped), and
 * characters that would hide or reorder what an analyst reads are made
 * visible here.
 */

// C0 controls, DEL, C1 controls, zero-width and bidirectional formatting characters, BOM.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const C0_NAMES = [
  'NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'TAB', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI',
  'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US',
];

/** The short name shown for an invisible character: its ASCII abbreviation, or its code point. */
function controlName(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return C0_NAMES[code];
  if (code === 0x7f) return 'DEL';
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A run of ordinary text, or one invisible character shown by name. */
export interface Segment {
  text: string;
  /** True for one invisible character, whose name is `text`. */
  control: boolean;
}

/**
 * `text` cut into ordinary runs and invisible characters, so that a view can
 * draw the latter as marked names (an escape sequence reads as ESC, a
 * right-to-left override as U+202E) that no log line can imitate.
 */
export function segments(text: string): Segment[] {
  const parts: Segment[] = [];
  let last = 0;
  INVISIBLE.lastIndex = 0;
  for (let m = INVISIBLE.exec(text); m; m = INVISIBLE.exec(text)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index), control: false });
    parts.push({ text: controlName(m[0]), control: true });
    last = m.index + 1;
  }
  if (last < text.length || parts.length === 0) parts.push({ text: text.slice(last), control: false });
  return parts;
}

/** `text` as one plain string with invisible characters written as `<NAME>`: for attributes and titles. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (ch) => `<${controlName(ch)}>`);
}

/** Any field value as one line of text: strings as they are, everything else as JSON. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

export interface Clipped {
  /** At most `max` characters of the value: text to show, possibly with `segments` or `visible`. */
  text: string;
  /** Characters left out; 0 when the whole text fits. */
  omitted: number;
}

/** A value cut to `max` characters: a 64 KiB line would freeze a table. */
export function clip(value: unknown, max: number): Clipped {
  const text = valueText(value);
  const omitted = Math.max(0, text.length - max);
  return { text: omitted > 0 ? text.slice(0, max) : text, omitted };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026-11-22 10:00:05.123` in the browser's time zone; the raw text when it is not a time. */
export function formatTime(iso: unknown): string {
  if (typeof iso !== 'string') return valueText(iso);
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

// Inside quotes the search language reads \" and \\ as escapes; wildcards are literal there.
const QUOTED_SPECIAL = /["\\]/g;

/** A query term matching `value` exactly in `field`, quoted and escaped for the search language. */
export function fieldTerm(field: string, value: string): string {
  return `${field}:"${value.replace(QUOTED_SPECIAL, '\\$&')}"`;
}
