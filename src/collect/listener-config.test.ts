import { describe, expect, it } from 'vitest';
import { MamoriError } from '../core/errors.js';
import { resolveListenerConfig, type ListenerConfigInput } from './listener-config.js';

const base: ListenerConfigInput = {
  name: 'syslog',
  protocol: 'tcp',
  host: '127.0.0.1',
  port: 5514,
  tenant: 'demo',
  source: 'syslog',
  format: 'auto',
};

describe('resolveListenerConfig', () => {
  it('applies the defaults', () => {
    expect(resolveListenerConfig(base)).toEqual({ ...base, charset: 'utf-8', maxMessageBytes: 65_536, maxConnections: 1_000, bindBy: [] });
  });

  it('keeps given values', () => {
    const config = resolveListenerConfig({ ...base, charset: 'shift_jis', maxMessageBytes: 1_024, maxConnections: 5, timezone: 'Asia/Tokyo' });
    expect(config).toMatchObject({ charset: 'shift_jis', maxMessageBytes: 1_024, maxConnections: 5, timezone: 'Asia/Tokyo' });
  });

  it('lists every problem in one MAMORI_E_CONFIG error', () => {
    let caught: unknown;
    try {
      resolveListenerConfig({ ...base, port: 70_000, maxMessageBytes: 10, maxConnections: 0.5 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MamoriError);
    expect((caught as MamoriError).code).toBe('MAMORI_E_CONFIG');
    expect((caught as MamoriError).details?.problems).toHaveLength(3);
    expect((caught as MamoriError).message).toContain("'syslog'");
  });

  it('rejects a protocol or name a caller got wrong at run time', () => {
    expect(() => resolveListenerConfig({ ...base, protocol: 'sctp' as 'tcp' })).toThrow(/protocol/);
    expect(() => resolveListenerConfig({ ...base, name: '' })).toThrow(/name is empty/);
    expect(() => resolveListenerConfig({ ...base, port: Number.NaN })).toThrow(/port/);
  });

  it('checks binding and TLS settings together', () => {
    const { tenant: _tenant, ...untenanted } = base;
    expect(() => resolveListenerConfig(untenanted)).toThrow(/give a tenant, or bind_by/);
    expect(resolveListenerConfig({ ...untenanted, bindBy: ['address'] }).tenant).toBeUndefined();
    expect(() => resolveListenerConfig({ ...base, bindBy: ['certificate'] })).toThrow(/needs protocol tls/);
    expect(() => resolveListenerConfig({ ...base, protocol: 'tls' })).toThrow(/certificate and key/);
    expect(() => resolveListenerConfig({ ...base, protocol: 'tls', tls: { cert: 'c', key: 'k', clientAuth: 'require' } })).toThrow(/ca_file/);
    expect(() => resolveListenerConfig({ ...base, rateLimitEps: 0 })).toThrow(/rate limit/);
  });
});
