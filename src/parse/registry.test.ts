import { describe, expect, it } from 'vitest';
import { MamoriError } from '../core/errors.js';
import { GOLDEN_CONTEXT, goldenCases } from './golden.js';
import { getParser, parserInfo, parserNames } from './registry.js';

/** Every format issue 3 names. */
const REQUIRED = [
  'rfc3164', 'rfc5424', 'cef', 'leef', 'json', 'kv', 'cisco-asa', 'panos', 'fortigate', 'juniper-srx', 'checkpoint', 'iptables',
  'suricata-eve', 'snort', 'zeek', 'squid', 'bluecoat', 'apache', 'nginx', 'postfix', 'sendmail', 'linux-auth', 'windows',
  'cloudtrail', 'entra-signin', 'entra-audit', 'm365-audit', 'auto',
];

describe('parser registry', () => {
  it('has every required format, each with a description', () => {
    expect(parserNames().sort()).toEqual([...REQUIRED].sort());
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
      expect((err as MamoriError).message).toContain('rfc3164, rfc5424, json');
    }
  });
});

describe('auto detection', () => {
  const auto = getParser('auto');
  const valid = goldenCases().filter((c) => c.parser !== 'auto' && !(typeof c.expected.error === 'string' && Object.keys(c.expected).length === 1));

  it('recognises the golden lines of every format with a signature, and says which it chose', () => {
    // Formats with no signature of their own.
    const generic = new Set(['rfc3164', 'rfc5424', 'json', 'kv']);
    // Lines that carry no signature: Snort "full" continuation lines (packet and header dumps), a PAM message of
    // an arbitrary program (a plain syslog line), a Blue Coat access line behind a syslog header.
    const unsigned = new Set(['snort/full-ip', 'snort/full-packet', 'snort/full-tcp', 'snort/full-xref', 'linux-auth/pam-other-program', 'bluecoat/syslog-proxied']);
    const misread: string[] = [];
    for (const c of valid) {
      if (generic.has(c.parser) || unsigned.has(`${c.parser}/${c.name}`)) continue;
      const event = auto.parse(c.input, GOLDEN_CONTEXT);
      const expected = c.parser === 'nginx' && event['event.module'] === 'apache' ? 'apache' : c.parser;
      if (event['event.module'] !== expected) misread.push(`${c.parser}/${c.name} → ${String(event['event.module'])}`);
    }
    // nginx's combined format is Apache's: those lines are read (correctly) as apache.
    expect(misread).toEqual([]);
  });

  it('reads a generic line with the generic parsers and keeps anything else as a raw message', () => {
    expect(auto.parse('<13>1 2024-05-01T10:00:00Z h a - - - hello', GOLDEN_CONTEXT)['event.module']).toBe('rfc5424');
    expect(auto.parse('<13>May  1 10:00:00 h t: m', GOLDEN_CONTEXT)['event.module']).toBe('rfc3164');
    expect(auto.parse(' {"a":1}', GOLDEN_CONTEXT)['event.module']).toBe('json');
    expect(auto.parse('just words', GOLDEN_CONTEXT)).toMatchObject({ 'event.module': 'auto', 'event.dataset': 'raw', message: 'just words' });
    // A signature inside a line of another kind does not steal it when the claimant cannot read it.
    expect(auto.parse('<13>May  1 10:00:00 h t: the text CEF:0|is not a header', GOLDEN_CONTEXT)['event.module']).toBe('rfc3164');
  });
});
