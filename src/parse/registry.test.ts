import { describe, expect, it } from 'vitest';
import { MamoriError } from '../core/errors.js';
import { detect } from './auto.js';
import { getParser, parserInfo, parserNames } from './registry.js';

describe('parser registry', () => {
  it('lists every parser with a description', () => {
    expect(parserNames().sort()).toEqual(['auto', 'cef', 'json', 'rfc3164', 'rfc5424']);
    for (const { name, description } of parserInfo()) {
      expect(getParser(name).name).toBe(name);
      expect(description.length).toBeGreaterThan(10);
    }
  });

  it('fails on an unknown name with the known names', () => {
    try {
      getParser('syslog');
      expect.fail('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(MamoriError);
      expect((err as MamoriError).code).toBe('MAMORI_E_UNKNOWN_PART');
      expect((err as MamoriError).message).toContain('auto, cef, json, rfc3164, rfc5424');
    }
  });
});

describe('auto detection', () => {
  it('picks the parser from the first bytes of a line', () => {
    expect(detect('<13>May  1 10:00:00 h CEF:0|a|b|c|d|e|1|').name).toBe('cef');
    expect(detect('<13>1 2024-05-01T10:00:00Z h a - - -').name).toBe('rfc5424');
    expect(detect('<13>12 x').name).toBe('rfc5424');
    expect(detect('<13>May  1 10:00:00 h t: m').name).toBe('rfc3164');
    expect(detect('<13>1x').name).toBe('rfc3164');
    expect(detect(' {"a":1}').name).toBe('json');
    expect(detect('x'.repeat(600) + ' CEF:0|').name).toBe('rfc3164');
  });
});
