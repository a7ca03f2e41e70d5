import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../core/raw-record.js';
import { PIPELINE_ERROR } from '../core/event.js';
import { normalise } from '../parse/normalise.js';
import { generateTraffic, probeLine, PROBE_APP, Random, TRAFFIC_KINDS, type TrafficKind } from './traffic.js';

const NOW = Date.UTC(2025, 4, 1, 12, 0, 0);

function record(data: string, format = 'auto'): RawRecord {
  return { id: 'e1', tenant: 'bench-t1', source: 'bench-t1', format, received: NOW, data, timezone: 'UTC' };
}

describe('generateTraffic', () => {
  const lines = generateTraffic({ seed: 42, count: 3_000, now: NOW });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateTraffic({ seed: 42, count: 3_000, now: NOW })).toEqual(lines);
    expect(generateTraffic({ seed: 43, count: 50, now: NOW })).not.toEqual(lines.slice(0, 50));
  });

  it('mixes formats within a kind where vendors differ (proxies send RFC 5424 and CEF)', () => {
    const proxyFormats = new Set(lines.filter((l) => l.kind === 'proxy').map((l) => l.format));
    expect([...proxyFormats].sort()).toEqual(['cef', 'rfc5424']);
  });

  it('produces every kind, in roughly the configured mix', () => {
    const counts = new Map<TrafficKind, number>();
    for (const l of lines) counts.set(l.kind, (counts.get(l.kind) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...TRAFFIC_KINDS].sort());
    expect(counts.get('firewall')! / lines.length).toBeGreaterThan(0.3);
    expect(counts.get('ids')! / lines.length).toBeLessThan(0.1);
  });

  it('writes single-line, printable messages (newline framing must not split them)', () => {
    for (const { line } of lines) expect(line).not.toMatch(/[\r\n\u0000]/);
  });

  it('routes every line to the intended parser under auto, and that parser reads it without error', () => {
    for (const { format, line } of lines) {
      const event = normalise(record(line));
      expect(event['event.kind'], line).not.toBe(PIPELINE_ERROR);
      expect(event['error.message'], line).toBeUndefined();
      expect(event['event.module'], line).toBe(format);
      // Event times lie in the 5 s before `now`, so a bench's time window finds them.
      const ts = Date.parse(String(event['@timestamp']));
      expect(ts, line).toBeGreaterThanOrEqual(NOW - 5_000);
      expect(ts, line).toBeLessThanOrEqual(NOW);
    }
  });

  it('fills the ECS fields detection relies on', () => {
    const byKind = (kind: TrafficKind) => lines.filter((l) => l.kind === kind).map((l) => normalise(record(l.line)));
    for (const e of byKind('firewall')) {
      expect(e['source.ip']).toMatch(/^10\./);
      expect(e['destination.port']).toBeTypeOf('number');
      expect(e['event.action']).toMatch(/^(accept|deny|allow|drop)$/);
    }
    for (const e of byKind('ids')) expect(e['rule.id']).toMatch(/\d{7}/);
    for (const e of byKind('windows')) {
      expect(e['event.code']).toMatch(/^46(24|25|34|72)$/);
      expect(e['user.name']).toBeTypeOf('string');
      expect(e['winlog.channel']).toBe('Security');
    }
    for (const e of byKind('dns')) expect(e['process.name']).toBe('named');
    for (const e of byKind('mail')) expect(String(e['event.dataset'])).toMatch(/^postfix\.(smtpd|qmgr|smtp|cleanup)$/);
    const proxies = byKind('proxy');
    expect(proxies.some((e) => e['log.syslog.structured_data.http@32473.method'] !== undefined)).toBe(true);
    expect(proxies.some((e) => e['url.full'] !== undefined && e['http.request.method'] !== undefined)).toBe(true);
  });
});

describe('probeLine', () => {
  it('puts the sequence number in process.pid and the marker in event.provider', () => {
    const event = normalise(record(probeLine(1234, NOW)));
    expect(event['event.provider']).toBe(PROBE_APP);
    expect(event['process.pid']).toBe(1234);
    expect(event['@timestamp']).toBe(new Date(NOW).toISOString());
    expect(event.message).toBe(`${PROBE_APP}-1234`);
  });
});

describe('Random', () => {
  it('stays in range and covers it', () => {
    const rnd = new Random(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1_000; i++) {
      const n = rnd.int(3, 6);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(6);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });
});
