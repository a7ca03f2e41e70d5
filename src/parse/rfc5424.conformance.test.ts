import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rfc5424 } from './rfc5424.js';

/** Real RFC 5424 lines with Windows event log data as @cee: JSON (shared fixtures, never copied here). */
const FIXTURE = join(import.meta.dirname, '../../../shared/fixtures/syslog/rfc5424-eventlog.txt');
const required = process.env.MAMORI_CONFORMANCE === 'required';
const present = existsSync(FIXTURE);

describe('rfc5424 conformance: Windows event log over syslog', () => {
  it.runIf(!present && required)('has its fixture file', () => {
    expect.fail(`MAMORI_CONFORMANCE=required but ${FIXTURE} is missing`);
  });

  it.skipIf(!present)('parses every line of the fixture', () => {
    const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThan(2000);
    const ctx = { received: Date.UTC(2018, 2, 25), timezone: 'UTC' };
    let cee = 0;
    for (const line of lines) {
      const event = rfc5424.parse(line, ctx);
      expect(event['event.module']).toBe('rfc5424');
      expect(event['@timestamp']).toMatch(/^2018-03-2\dT\d\d:\d\d:\d\d\.000Z$/);
      expect(event['host.name']).toMatch(/\.jerry\.land$/);
      expect(typeof event.message).toBe('string');
      if (line.includes('@cee:')) {
        cee++;
        expect(event['event.code'], line).toMatch(/^\d+$/);
        expect(event['winlog.channel'], line).toBeTypeOf('string');
        expect(event['event.provider'], line).toBe(event['cee.sourceproc']);
        expect(event.message).toBe(event['cee.msg']);
        if (event['cee.user'] === 'N\\A') expect(event['user.name']).toBeUndefined();
        else expect(event['user.name'], line).toBeTypeOf('string');
      }
    }
    expect(cee).toBe(290);
  });

  it.skipIf(!present)('maps the Windows fields of a known line', () => {
    const line = readFileSync(FIXTURE, 'utf8').split('\n')[0];
    const event = rfc5424.parse(line, { received: Date.UTC(2018, 2, 25) });
    expect(event).toMatchObject({
      '@timestamp': '2018-03-24T15:59:37.000Z',
      'event.code': '7036',
      'event.provider': 'Service Control Manager',
      'winlog.channel': 'System',
      'host.name': 'PC-helen.jerry.land',
      message: 'The Multimedia Class Scheduler service entered the stopped state.',
      'cee.param1': 'Multimedia Class Scheduler',
      'log.syslog.severity.name': 'informational',
    });
    expect(event['user.name']).toBeUndefined();
  });
});
