/**
 * Address and port checks for values parsers copy into typed columns
 * (`source.ip`, `destination.port`, ...). A value that fails stays in the
 * parser's own namespace instead, so nothing is lost and columns stay clean.
 */
import { parseUint } from './syslog.js';

export function isIpv4(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255 || (digits > 1 && s.charCodeAt(i - digits) === 48)) return false;
      parts++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + c - 48;
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  return parts === 4;
}

/** IPv6 in any RFC 4291 text form, including `::ffff:1.2.3.4`; zone ids (`%eth0`) are rejected. */
export function isIpv6(s: string): boolean {
  const n = s.length;
  if (n < 2 || n > 45) return false;
  let groups = 0;
  let compressed = false;
  let hexRun = 0;
  let i = 0;
  if (s.charCodeAt(0) === 58) {
    if (s.charCodeAt(1) !== 58) return false;
    compressed = true;
    i = 2;
    if (n === 2) return true;
  }
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102)) {
      if (++hexRun > 4) return false;
    } else if (c === 58) {
      if (hexRun === 0) {
        if (compressed || s.charCodeAt(i - 1) !== 58) return false;
        compressed = true;
      } else {
        groups++;
      }
      hexRun = 0;
      if (i === n - 1 && s.charCodeAt(i - 1) !== 58) return false;
    } else if (c === 46) {
      // Embedded IPv4 tail takes the room of two groups.
      if (!isIpv4(s.slice(i - hexRun))) return false;
      groups += 2;
      hexRun = 0;
      i = n;
      break;
    } else {
      return false;
    }
  }
  if (hexRun > 0) groups++;
  return compressed ? groups < 8 : groups === 8;
}

export function isIp(s: string): boolean {
  return isIpv4(s) || isIpv6(s);
}

/** A TCP/UDP port number from text, or undefined when it is not one. */
export function parsePort(s: string): number | undefined {
  return parseUint(s, 65535);
}
