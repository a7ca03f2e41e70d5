import { describe, expect, it } from 'vitest';
import { completeEvent } from './complete.js';

describe('completeEvent', () => {
  it('derives related.*, totals and a fallback timestamp', () => {
    const event = completeEvent(
      {
        'source.ip': '10.0.0.1',
        'destination.ip': '192.0.2.7',
        'source.nat.ip': '10.0.0.1',
        'user.name': 'alice',
        'source.user.name': 'alice',
        'destination.user.name': 'root',
        'file.hash.sha256': 'ab'.repeat(32),
        'url.domain': 'example.com',
        'source.bytes': 100,
        'destination.bytes': 2000,
        'source.packets': 3,
      },
      Date.UTC(2024, 4, 1),
    );
    expect(event['@timestamp']).toBe('2024-05-01T00:00:00.000Z');
    expect(event['related.ip']).toEqual(['10.0.0.1', '192.0.2.7']);
    expect(event['related.user']).toEqual(['alice', 'root']);
    expect(event['related.hash']).toEqual(['ab'.repeat(32)]);
    expect(event['related.hosts']).toEqual(['example.com']);
    expect(event['network.bytes']).toBe(2100);
    expect(event['network.packets']).toBeUndefined();
  });

  it('keeps what the parser set and adds nothing to an event without those fields', () => {
    const event = completeEvent({ '@timestamp': '2024-01-01T00:00:00.000Z', 'related.ip': ['1.1.1.1'], 'source.ip': '2.2.2.2', 'network.bytes': 5, 'source.bytes': 1, 'destination.bytes': 1 }, 0);
    expect(event['related.ip']).toEqual(['1.1.1.1', '2.2.2.2']);
    expect(event['network.bytes']).toBe(5);
    expect(Object.keys(completeEvent({ message: 'x', '@timestamp': 'y' }, 0))).toEqual(['message', '@timestamp']);
  });
});
