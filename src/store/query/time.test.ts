import { describe, expect, it } from 'vitest';
import { MAX_TIME_MS, isDateOnly, parseDuration, parseTimeArg, tryParseTime } from './time.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

describe('parseDuration', () => {
  it('reads each unit', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('2w')).toBe(1_209_600_000);
    expect(parseDuration(' 1h ')).toBe(3_600_000);
  });

  it('rejects zero, junk and absurd sizes with MAMORI_E_INVALID', () => {
    for (const bad of ['0m', '', 'h', '5', '5 m', '-5m', '1.5h', '5M', '1h30m', '99999999999999w', '5mm']) {
      expect(() => parseDuration(bad), bad).toThrow(expect.objectContaining({ code: 'MAMORI_E_INVALID' }));
    }
  });
});

describe('parseTimeArg', () => {
  it('reads ISO 8601 in its common forms; no zone means UTC', () => {
    expect(parseTimeArg('2024-05-01', NOW)).toBe(Date.parse('2024-05-01T00:00:00Z'));
    expect(parseTimeArg('2024-05-01T10:00:00Z', NOW)).toBe(Date.parse('2024-05-01T10:00:00Z'));
    expect(parseTimeArg('2024-05-01T10:00', NOW)).toBe(Date.parse('2024-05-01T10:00:00Z'));
    expect(parseTimeArg('2024-05-01 10:00:00.123', NOW)).toBe(Date.parse('2024-05-01T10:00:00.123Z'));
    expect(parseTimeArg('2024-05-01T10:00:00.123456789Z', NOW)).toBe(Date.parse('2024-05-01T10:00:00.123Z'));
    expect(parseTimeArg('2024-05-01T19:00:00+09:00', NOW)).toBe(Date.parse('2024-05-01T10:00:00Z'));
    expect(parseTimeArg('2024-05-01T05:30:00-0430', NOW)).toBe(Date.parse('2024-05-01T10:00:00Z'));
    expect(parseTimeArg('2024-02-29', NOW)).toBe(Date.parse('2024-02-29T00:00:00Z'));
  });

  it('reads epoch milliseconds, now and relative times', () => {
    expect(parseTimeArg('1714557600000', NOW)).toBe(1714557600000);
    expect(parseTimeArg('now', NOW)).toBe(NOW);
    expect(parseTimeArg('NOW', NOW)).toBe(NOW);
    expect(parseTimeArg('now-15m', NOW)).toBe(NOW - 900_000);
    expect(parseTimeArg('now+1h', NOW)).toBe(NOW + 3_600_000);
    expect(parseTimeArg('1h', NOW)).toBe(NOW - 3_600_000);
    expect(parseTimeArg('7d', NOW)).toBe(NOW - 7 * 86_400_000);
  });

  it('rejects impossible dates, junk and times outside 1970..2299', () => {
    for (const bad of [
      '2024-02-30', '2023-02-29', '2024-13-01', '2024-05-01T24:00', '2024-05-01T10:60', '2024-05-01Z', '24-05-01',
      '1969-12-31', '0070-01-01', '2300-01-01', 'yesterday', 'now-', 'now-5', '', '2024-05-01T10:00+25:00', '-1', '99999999999999999',
    ]) {
      expect(tryParseTime(bad, NOW), bad).toBeUndefined();
    }
    expect(tryParseTime('2299-12-31T23:59:59.999Z', NOW)).toBe(MAX_TIME_MS);
    expect(() => parseTimeArg('soon', NOW)).toThrow(expect.objectContaining({ code: 'MAMORI_E_INVALID' }));
  });

  it('tells a bare date apart', () => {
    expect(isDateOnly('2024-05-01')).toBe(true);
    expect(isDateOnly('2024-05-01T00:00')).toBe(false);
    expect(isDateOnly('1714557600')).toBe(false);
  });
});
