import { describe, expect, it } from 'vitest';
import { ParseError } from './parser.js';
import { epochToMs, isValidTimeZone, localToUtc, parseIso, readBsd, readIso, zoneOffset } from './time.js';

const iso = (ms: number | undefined) => (ms === undefined || Number.isNaN(ms) ? undefined : new Date(ms).toISOString());

describe('time zones', () => {
  it('gives offsets that follow daylight saving time', () => {
    expect(zoneOffset('Europe/Berlin', Date.UTC(2024, 0, 15))).toBe(3600_000);
    expect(zoneOffset('Europe/Berlin', Date.UTC(2024, 6, 15))).toBe(7200_000);
    expect(zoneOffset('Asia/Kolkata', Date.UTC(2024, 6, 15))).toBe(19_800_000);
    expect(zoneOffset(undefined, 0)).toBe(0);
  });

  it('converts wall-clock times on both sides of a DST change', () => {
    // Berlin switched to summer time on 2024-03-31 at 02:00 local (01:00 UTC).
    expect(iso(localToUtc(Date.UTC(2024, 2, 31, 1, 30), 'Europe/Berlin'))).toBe('2024-03-31T00:30:00.000Z');
    expect(iso(localToUtc(Date.UTC(2024, 2, 31, 3, 30), 'Europe/Berlin'))).toBe('2024-03-31T01:30:00.000Z');
  });

  it('rejects unknown zone names with a ParseError', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Nowhere/City')).toBe(false);
    expect(() => localToUtc(0, 'Nowhere/City')).toThrow(ParseError);
  });
});

describe('ISO 8601', () => {
  it('reads fractions and offsets', () => {
    expect(iso(parseIso('2024-05-01T10:00:00.123456Z', undefined))).toBe('2024-05-01T10:00:00.123Z');
    expect(iso(parseIso('2024-05-01T10:00:00-0530', undefined))).toBe('2024-05-01T15:30:00.000Z');
    expect(iso(parseIso('2024-05-01t10:00:00,5+02', undefined))).toBe('2024-05-01T08:00:00.500Z');
    expect(iso(parseIso('2024-05-01', 'Asia/Tokyo'))).toBe('2024-04-30T15:00:00.000Z');
  });

  it('rejects impossible dates and junk', () => {
    for (const s of ['2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01T10:00Z', '2024-05-01T10:00:00+25:00', '2024-5-1', '', 'x']) {
      expect(parseIso(s, undefined), s).toBeNaN();
    }
    expect(readIso('2024-05-01T10:00:00Z rest', 0, undefined)?.end).toBe(20);
  });
});

describe('BSD timestamps', () => {
  const received = Date.UTC(2024, 0, 1, 0, 5); // just after new year

  it('infers the year, moving December lines received in January back one year', () => {
    expect(iso(readBsd('Dec 31 23:59:59', 0, received, undefined)?.ms)).toBe('2023-12-31T23:59:59.000Z');
    expect(iso(readBsd('Jan  1 00:04:00', 0, received, undefined)?.ms)).toBe('2024-01-01T00:04:00.000Z');
  });

  it('uses the source time zone for the year and the time', () => {
    // 00:05 UTC on Jan 1 is still Dec 31 in New York, so "Dec 31" is the current year there.
    const ms = readBsd('Dec 31 19:00:00', 0, received, 'America/New_York')?.ms;
    expect(iso(ms)).toBe('2024-01-01T00:00:00.000Z');
  });

  it('reads explicit years, single-digit days and fractions', () => {
    expect(iso(readBsd('May 01 2022 10:00:00.250', 0, received, undefined)?.ms)).toBe('2022-05-01T10:00:00.250Z');
    expect(iso(readBsd('may  1 10:00:00', 0, Date.UTC(2024, 5, 1), undefined)?.ms)).toBe('2024-05-01T10:00:00.000Z');
  });

  it('rejects malformed times', () => {
    for (const s of ['Foo  1 10:00:00', 'May 1', 'May 32 10:00:00', 'May  1 25:00:00', 'May  1 10:0:00', 'Feb 29 2023 10:00:00']) {
      expect(readBsd(s, 0, received, undefined), s).toBeUndefined();
    }
  });
});

describe('epoch numbers', () => {
  it('guesses the unit from the magnitude', () => {
    expect(iso(epochToMs(1714557600))).toBe('2024-05-01T10:00:00.000Z');
    expect(iso(epochToMs(1714557600123))).toBe('2024-05-01T10:00:00.123Z');
    expect(iso(epochToMs(1714557600123456))).toBe('2024-05-01T10:00:00.123Z');
    expect(iso(epochToMs(1714557600123456789))).toBe('2024-05-01T10:00:00.123Z');
    expect(epochToMs(-1)).toBeNaN();
    expect(epochToMs(Infinity)).toBeNaN();
  });
});
