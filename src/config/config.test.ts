import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText, resolveConfig, serverUrlOf } from './config.js';
import { configTemplate } from './template.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-config-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('configuration', () => {
  it('fills every default when no file is given', () => {
    const c = loadConfig(undefined, {}, {});
    expect(c.http_port).toBe(8080);
    expect(c.bind).toBe('127.0.0.1');
    expect(c.demo).toBe(true);
    expect(c.syslog.listeners).toEqual([
      expect.objectContaining({ name: 'syslog', protocols: ['udp', 'tcp'], port: 5514, tenant: 'demo', format: 'auto', charset: 'utf-8', timezone: 'UTC' }),
    ]);
    expect(c.pipeline.workers).toBeGreaterThanOrEqual(1);
    expect(path.isAbsolute(c.data_dir)).toBe(true);
  });

  it('loads the commented template that `mamori init` writes, unchanged', () => {
    const fromTemplate = loadConfig(write('template.yaml', configTemplate()), {}, {});
    expect(fromTemplate).toEqual(loadConfig(undefined, {}, {}));
  });

  it('names an unknown key, with its path', () => {
    expect(() => loadConfig(write('unknown.yaml', 'http_prot: 9000\n'), {}, {})).toThrow(/http_prot: unknown key/);
    expect(() => resolveConfig({ syslog: { listeners: [{ name: 'a', port: 1, tenant: 't', colour: 'red' }] } })).toThrow(/syslog\.listeners\.0\.colour: unknown key/);
  });

  it('names a value of the wrong type or out of range', () => {
    expect(() => resolveConfig({ http_port: 'eighty' })).toThrow(/http_port: must be integer/);
    expect(() => resolveConfig({ http_port: 70_000 })).toThrow(/http_port: must be <= 65535/);
    expect(() => resolveConfig({ syslog: { listeners: [{ name: 'a', port: 1, tenant: 't', protocols: ['sctp'] }] } })).toThrow(/must be one of udp, tcp/);
    expect(() => resolveConfig({ syslog: { listeners: [{ name: 'a', port: 1, tenant: 't' }, { name: 'a', port: 2, tenant: 't' }] } })).toThrow(/duplicate name "a"/);
  });

  it('refuses invalid YAML, duplicate keys and alias bombs with a clear error', () => {
    expect(() => loadConfig(write('bad.yaml', 'http_port: [1, 2\n'), {}, {})).toThrow(/invalid YAML/);
    expect(() => parseConfigText('bind: a\nbind: b\n')).toThrow(/invalid YAML/);
    // "Billion laughs": each level doubles the aliases.
    let bomb = 'a0: &a0 [x, x]\n';
    for (let i = 1; i < 30; i++) bomb += `a${i}: &a${i} [*a${i - 1}, *a${i - 1}]\n`;
    expect(() => parseConfigText(bomb)).toThrow(/invalid YAML/);
    expect(() => resolveConfig(['not', 'a', 'mapping'])).toThrow(/top level must be a mapping/);
    expect(() => loadConfig(path.join(dir, 'missing.yaml'), {}, {})).toThrow(/cannot read config file/);
  });

  it('applies the environment over the file and the command line over both', () => {
    const file = write('ports.yaml', 'http_port: 9000\nbind: 0.0.0.0\n');
    expect(loadConfig(file, {}, { MAMORI_HTTP_PORT: '9100' }).http_port).toBe(9100);
    expect(loadConfig(file, { httpPort: 9200, syslogPort: 6514 }, { MAMORI_HTTP_PORT: '9100' })).toMatchObject({
      http_port: 9200,
      syslog: { listeners: [expect.objectContaining({ port: 6514 })] },
    });
    expect(() => loadConfig(file, {}, { MAMORI_HTTP_PORT: 'x' })).toThrow(/MAMORI_HTTP_PORT: "x" is not a port/);
    expect(() => resolveConfig({ syslog: { listeners: [] } }, { syslogPort: 1 })).toThrow(/no syslog listener/);
  });

  it('derives the URL the CLI uses', () => {
    expect(serverUrlOf(resolveConfig({ bind: '0.0.0.0', http_port: 8081 }))).toBe('http://127.0.0.1:8081');
    expect(serverUrlOf(resolveConfig({ bind: '::1' }))).toBe('http://[::1]:8080');
    expect(serverUrlOf(resolveConfig({ server_url: 'https://soc.example/' }))).toBe('https://soc.example');
  });
});
