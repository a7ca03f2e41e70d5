import { describe, expect, it } from 'vitest';
import { parseJavaDate } from './java-date-format.js';

const utc = (s: string) => Date.parse(s);

describe('parseJavaDate', () => {
  it('reads the common LEEF devTimeFormat patterns', () => {
    expect(parseJavaDate('May 01 2024 10:00:00', 'MMM dd yyyy HH:mm:ss', 'UTC')).toBe(utc('2024-05-01T10:00:00Z'));
    expect(parseJavaDate('2024-05-01T10:00:00.123+0200', "yyyy-MM-dd'T'HH:mm:ss.SSSZ", 'UTC')).toBe(utc('2024-05-01T08:00:00.123Z'));
    expect(parseJavaDate('01/05/2024 01:02:03 PM', 'dd/MM/yyyy hh:mm:ss a', 'UTC')).toBe(utc('2024-05-01T13:02:03Z'));
    expect(parseJavaDate('20240501100000', 'yyyyMMddHHmmss', 'UTC')).toBe(utc('2024-05-01T10:00:00Z'));
    expect(parseJavaDate('Wed, 1 May 2024 10:00:00 GMT', 'EEE, d MMM yyyy HH:mm:ss z', 'Asia/Tokyo')).toBe(utc('2024-05-01T10:00:00Z'));
  });

  it('reads times without a zone in the given zone', () => {
    expect(parseJavaDate('2024-05-01 10:00:00', 'yyyy-MM-dd HH:mm:ss', 'Asia/Tokyo')).toBe(utc('2024-05-01T01:00:00Z'));
  });

  it('rejects impossible dates, mismatches and unsupported patterns', () => {
    expect(parseJavaDate('2024-02-30 10:00:00', 'yyyy-MM-dd HH:mm:ss', 'UTC')).toBeNaN();
    expect(parseJavaDate('2024-05-01 25:00:00', 'yyyy-MM-dd HH:mm:ss', 'UTC')).toBeNaN();
    expect(parseJavaDate('2024-05-01', 'yyyy-MM-dd HH:mm:ss', 'UTC')).toBeNaN();
    expect(parseJavaDate('2024-05-01 10:00:00 trailing', 'yyyy-MM-dd HH:mm:ss', 'UTC')).toBeNaN();
    expect(parseJavaDate('2024 w18', "yyyy 'w'ww", 'UTC')).toBeNaN();
    expect(parseJavaDate('x', "'unterminated", 'UTC')).toBeNaN();
  });
});
