import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../core/raw-record.js';
import { normalise, normaliseBatch, takeParseCounts } from './normalise.js';

const RECEIVED = Date.UTC(2024, 4, 1, 12, 0, 0, 250);

function record(format: string, data: string, extra: Partial<RawRecord> = {}): RawRecord {
  return { id: 'evt-1', tenant: 'acme', source: 'syslog-udp', format, received: RECEIVED, data, ...extra };
}

describe('normalise', () => {
  it('adds the pipeline-owned fields to a parsed event', () => {
    const line = '<38>May  1 10:15:32 web01 sshd[4123]: Failed password for root from 203.0.113.9 port 22 ssh2';
    const event = normalise(record('rfc3164', line, { labels: { import: 'imp-7' } }));
    expect(event).toMatchObject({
      '@timestamp': '2024-05-01T10:15:32.000Z',
      'event.id': 'evt-1',
      'tenant.id': 'acme',
      'mamori.source': 'syslog-udp',
      'event.original': line,
      'event.ingested': '2024-05-01T12:00:00.250Z',
      'labels.import': 'imp-7',
      'host.name': 'web01',
    });
    expect(event['error.message']).toBeUndefined();
  });

  it('turns a parse failure into a pipeline_error event naming parser and reason', () => {
    const event = normalise(record('rfc5424', '<34>Oct 11 22:14:15 host su: failed'));
    expect(event).toEqual({
      '@timestamp': '2024-05-01T12:00:00.250Z',
      'event.kind': 'pipeline_error',
      'event.module': 'rfc5424',
      'error.message': 'rfc5424: missing VERSION after PRI',
      'event.id': 'evt-1',
      'tenant.id': 'acme',
      'mamori.source': 'syslog-udp',
      'event.original': '<34>Oct 11 22:14:15 host su: failed',
      'event.ingested': '2024-05-01T12:00:00.250Z',
    });
  });

  it('reports an unknown format with the known parser names', () => {
    const event = normalise(record('nope', 'x'));
    expect(event['event.kind']).toBe('pipeline_error');
    expect(event['error.message']).toMatch(/^nope: unknown parser "nope"; known parsers: .*rfc5424/);
  });

  it('reports an unknown time zone as a pipeline error, not a crash', () => {
    const event = normalise(record('rfc3164', 'May  1 10:00:00 h t: m', { timezone: 'Mars/Olympus' }));
    expect(event['error.message']).toBe('rfc3164: unknown time zone "Mars/Olympus"');
  });

  it('reads times without an offset in the record time zone', () => {
    const event = normalise(record('rfc3164', 'May  1 10:00:00 h t: m', { timezone: 'Asia/Tokyo' }));
    expect(event['@timestamp']).toBe('2024-05-01T01:00:00.000Z');
  });

  it('keeps parsing a truncated record and marks it', () => {
    const event = normalise(record('json', '{"message":"cut"}', { truncatedFrom: 70000 }));
    expect(event.message).toBe('cut');
    expect(event['event.kind']).toBe('event');
    expect(event['error.message']).toBe('message truncated from 70000 bytes');
    expect(event['labels.truncated']).toBe('true');
  });

  it('combines a parse error with truncation', () => {
    const event = normalise(record('json', '{"message":"cu', { truncatedFrom: 70000 }));
    expect(event['event.kind']).toBe('pipeline_error');
    expect(event['error.message']).toMatch(/^json: invalid JSON.*; message truncated from 70000 bytes$/);
  });

  it('does not let the data override pipeline-owned fields', () => {
    const event = normalise(record('json', '{"tenant":{"id":"other"},"event":{"id":"x","ingested":"y"},"labels":{"import":"z"}}', {
      labels: { import: 'imp-1' },
    }));
    expect(event['tenant.id']).toBe('acme');
    expect(event['event.id']).toBe('evt-1');
    expect(event['event.ingested']).toBe('2024-05-01T12:00:00.250Z');
    expect(event['labels.import']).toBe('imp-1');
  });

  it('keeps U+FFFD from undecodable bytes as it is, and marks the event', () => {
    const data = '<13>May  1 10:00:00 host app: bad \uFFFD\uFFFD bytes';
    const event = normalise(record('rfc3164', data));
    expect(event.message).toBe('bad \uFFFD\uFFFD bytes');
    expect(event['event.original']).toBe(data);
    expect(event['mamori.decode_errors']).toBe(true);
    expect(normalise(record('rfc3164', '<13>May  1 10:00:00 host app: clean'))['mamori.decode_errors']).toBeUndefined();
  });

  it('counts parsed lines and errors per format, and resets on take', () => {
    takeParseCounts();
    normaliseBatch([record('json', '{}'), record('json', 'nope'), record('cef', 'CEF:0|a|b|c|d|e|1|')]);
    expect(takeParseCounts()).toEqual({ json: { parsed: 1, errors: 1 }, cef: { parsed: 1, errors: 0 } });
    expect(takeParseCounts()).toEqual({});
  });
});
