import { describe, expect, it } from 'vitest';
import { THREAT, TRAFFIC } from './panos-layouts.js';
import { panos } from './panos.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };

/** A CSV line of `layout` with the named columns set (already CSV-encoded) and the rest empty. */
function row(layout: readonly string[], values: Record<string, string>, length = layout.length): string {
  const cols = new Array<string>(length).fill('');
  cols[0] = '1';
  layout.forEach((name, i) => {
    if (i < length && name in values) cols[i] = values[name];
  });
  return cols.join(',');
}

const traffic = (values: Record<string, string>, length?: number) =>
  row(TRAFFIC, { receive_time: '2024/05/01 10:00:01', serial: '0123', type: 'TRAFFIC', subtype: 'end', time_generated: '2024/05/01 10:00:00', ...values }, length);

describe('panos CSV', () => {
  it('reads quoted fields with commas and doubled quotes', () => {
    const line = row(THREAT, { type: 'THREAT', subtype: 'vulnerability', time_generated: '2024/05/01 10:00:00', misc: '"/a,b/""c"""', threatid: '"Bad, Thing(1234)"', user_agent: '"Mozilla/5.0 (X11, Linux)"' });
    const e = panos.parse(line, ctx);
    expect(e['url.original']).toBe('/a,b/"c"');
    expect(e['rule.id']).toBe('1234');
    expect(e['panos.threat.name']).toBe('Bad, Thing');
    expect(e['user_agent.original']).toBe('Mozilla/5.0 (X11, Linux)');
  });

  it('maps shorter lines of older releases as far as they go and keeps extra columns of newer ones', () => {
    const old = panos.parse(traffic({ src: '10.0.0.5', dst: '10.0.0.6', action: 'allow', bytes: '100' }, 40), ctx);
    expect(old).toMatchObject({ 'source.ip': '10.0.0.5', 'network.bytes': 100, 'event.outcome': 'success' });
    const newer = panos.parse(traffic({ src: '10.0.0.5' }) + ',future-a,,future-c', ctx);
    expect(newer[`panos.column_${TRAFFIC.length}`]).toBe('future-a');
    expect(newer[`panos.column_${TRAFFIC.length + 2}`]).toBe('future-c');
  });

  it('reads generated time in the source zone, and prefers the high resolution timestamp', () => {
    const tokyo = { ...ctx, timezone: 'Asia/Tokyo' };
    expect(panos.parse(traffic({}, 40), tokyo)['@timestamp']).toBe('2024-05-01T01:00:00.000Z');
    expect(panos.parse(traffic({}, 40), tokyo)['event.created']).toBe('2024-05-01T01:00:01.000Z');
    expect(panos.parse(traffic({ high_res_timestamp: '2024-05-01T10:00:00.250+09:00' }), tokyo)['@timestamp']).toBe('2024-05-01T01:00:00.250Z');
    expect(panos.parse(traffic({ time_generated: '2024/02/30 10:00:00' }, 40), ctx)['@timestamp']).toBe('2024-05-01T12:00:00.000Z');
  });

  it('splits domain users, skips empty NAT and maps zones, interfaces and session end', () => {
    const e = panos.parse(
      traffic({ srcuser: 'corp\\jdoe', dstuser: 'svc', natsrc: '0.0.0.0', natsport: '0', from: 'trust', to: 'untrust', inbound_if: 'ethernet1/1', session_end_reason: 'aged-out', action: 'reset-both' }, 60),
      ctx,
    );
    expect(e).toMatchObject({
      'user.name': 'jdoe',
      'user.domain': 'corp',
      'destination.user.name': 'svc',
      'observer.ingress.zone': 'trust',
      'observer.egress.zone': 'untrust',
      'observer.ingress.interface.name': 'ethernet1/1',
      'event.reason': 'aged-out',
      'event.type': ['connection', 'end', 'denied'],
      'event.outcome': 'failure',
    });
    expect(e['source.nat.ip']).toBeUndefined();
    expect(e['source.nat.port']).toBeUndefined();
  });

  it('maps every PAN-OS severity', () => {
    const levels = ['informational', 'low', 'medium', 'high', 'critical'];
    levels.forEach((severity, i) => {
      const e = panos.parse(row(THREAT, { type: 'THREAT', subtype: 'spyware', severity }, 40), ctx);
      expect(e['event.severity']).toBe(i + 1);
      expect(e['log.level']).toBe(severity);
    });
  });

  it('reads a header without a host name', () => {
    const e = panos.parse(`May  1 10:00:00 ${traffic({ src: '10.0.0.5' }, 40)}`, ctx);
    expect(e['source.ip']).toBe('10.0.0.5');
    expect(e['observer.serial_number']).toBe('0123');
    expect(e['observer.hostname']).toBeUndefined();
  });

  it('keeps the head columns of log types it has no layout for', () => {
    const e = panos.parse('1,2024/05/01 10:00:01,0123,GLOBALPROTECT,globalprotect,2561,2024/05/01 10:00:00,vsys1,gateway-auth', ctx);
    expect(e['event.dataset']).toBe('panos.globalprotect');
    expect(e['panos.column_7']).toBe('vsys1');
  });

  it('survives an unterminated quote and rejects non-PAN-OS lines', () => {
    const e = panos.parse(row(THREAT, { type: 'THREAT', subtype: 'url', misc: '"never closed' }, 35), ctx);
    expect(e['url.original']).toContain('never closed');
    expect(() => panos.parse('1,2,3', ctx)).toThrow('not a PAN-OS log');
    expect(() => panos.parse('1,2024/05/01 10:00:01,0123,traffic,end,1,2024/05/01 10:00:00', ctx)).toThrow('not a PAN-OS log');
  });

  it('sniffs the log type column', () => {
    expect(panos.sniff?.(traffic({}, 40))).toBe(true);
    expect(panos.sniff?.('<13>May  1 10:00:00 host app: a,TRAFFIC light')).toBe(false);
  });
});
