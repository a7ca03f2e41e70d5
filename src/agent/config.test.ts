import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/config.js';
import { loadAgentConfig, parseBandwidth, resolveAgentConfig } from './config.js';
import { agentConfigTemplate } from './template.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-agent-config-'));
const file = path.join(dir, 'agent.yaml');
const base = { server: 'https://soc.example.net', token: 'mmi_abcdefghijklmnop', inputs: [{ name: 'app', type: 'file', paths: ['/var/log/app.log'] }] };
const resolve = (doc: unknown) => resolveAgentConfig(doc, file);
const problem = (doc: unknown) => {
  try {
    resolve(doc);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('no error');
};

describe('agent configuration', () => {
  it('loads the template that `mamori agent init` writes, with every default', () => {
    writeFileSync(file, agentConfigTemplate());
    const c = loadAgentConfig(file);
    expect(c.server).toBe('https://soc.example.net');
    expect(c.buffer.max_bytes).toBe(1024 ** 3);
    expect(c.send).toEqual({ batch_events: 1000, batch_wait_ms: 1000, bandwidth: 0, timeout_ms: 30_000 });
    expect(c.data_dir).toBe(path.join(dir, 'mamori-agent-data'));
    expect(c.inputs[0]).toMatchObject({ type: 'file', start_at: 'end', charset: 'utf-8', max_line_bytes: 65_536 });
    expect(c.inputs[1]).toMatchObject({ type: 'syslog', protocols: ['udp', 'tcp'], port: 5514, bind: '127.0.0.1' });
    expect(c.tls.insecure_skip_verify).toBe(false);
  });

  it('resolves relative paths against the config file and reads token_file', () => {
    writeFileSync(path.join(dir, 'token'), 'mmi_fromafile_123456\n');
    const c = resolve({ ...base, token: undefined, token_file: 'token', data_dir: 'state', tls: { ca_file: 'ca.pem' }, send: { bandwidth: '1.5Mbit' } });
    expect(c.token).toBe('mmi_fromafile_123456');
    expect(c.data_dir).toBe(path.join(dir, 'state'));
    expect(c.tls.ca_file).toBe(path.join(dir, 'ca.pem'));
    expect(c.send.bandwidth).toBe(187_500);
  });

  it('names the key in every validation error', () => {
    expect(problem({ ...base, colour: 'red' })).toMatch(/colour: unknown key/);
    expect(problem({ ...base, server: undefined })).toMatch(/server: required/);
    expect(problem({ ...base, server: 'ftp://x' })).toMatch(/server: must match/);
    expect(problem({ ...base, send: { batch_events: 0 } })).toMatch(/send\.batch_events: must be >= 1/);
    expect(problem({ ...base, send: { bandwidth: 'fast' } })).toMatch(/send\.bandwidth: "fast" is not a rate/);
    expect(problem({ ...base, inputs: [{ name: 'a', type: 'file', paths: ['/x'], port: 1 }] })).toMatch(/inputs\.0\.port: unknown key/);
    expect(problem({ ...base, inputs: [{ name: 'a', type: 'syslog' }] })).toMatch(/inputs\.0\.port: required/);
    expect(problem({ ...base, inputs: [{ name: 'a', type: 'kafka' }] })).toMatch(/inputs\.0\.type: must be one of file, syslog/);
    expect(problem({ ...base, inputs: [{ name: 'a', type: 'file', paths: ['rel.log'] }] })).toMatch(/inputs\.0\.paths\.0: "rel.log" must be an absolute path/);
    expect(problem({ ...base, inputs: [{ name: 'a', type: 'file', paths: ['/var/*/x.log'] }] })).toMatch(/inputs\.0\.paths\.0: wildcards are allowed in the file name only/);
    expect(problem({ ...base, inputs: [base.inputs[0], base.inputs[0]] })).toMatch(/inputs\.1\.name: duplicate name "app"/);
    expect(problem({ ...base, token_file: '/t' })).toMatch(/token \/ token_file: give exactly one/);
    expect(problem({ ...base, token: 'secret' })).toMatch(/token: must match/);
    expect(problem({ ...base, tls: { cert_file: 'c.pem' } })).toMatch(/tls: cert_file and key_file go together/);
    expect(problem([1, 2])).toMatch(/top level must be a mapping/);
  });

  it('refuses YAML alias bombs and duplicate keys', () => {
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`).join('\n');
    expect(() => parseConfigText(bomb, file)).toThrow(/invalid YAML/);
    expect(() => parseConfigText('server: a\nserver: b\n', file)).toThrow(/invalid YAML/);
  });

  it('reads bandwidths in bits and bytes per second', () => {
    expect(parseBandwidth('1.5Mbit')).toBe(187_500);
    expect(parseBandwidth('1.5 Mbps')).toBe(187_500);
    expect(parseBandwidth('200KB')).toBe(200_000);
    expect(parseBandwidth('64kbit/s')).toBe(8_000);
    expect(parseBandwidth(0)).toBe(0);
    expect(parseBandwidth('0')).toBe(0);
    expect(parseBandwidth(50_000)).toBe(50_000);
    expect(() => parseBandwidth('-1KB')).toThrow();
    expect(() => parseBandwidth('1bit')).toThrow(/below 1 KB\/s/);
    expect(() => parseBandwidth(Number.NaN)).toThrow();
  });
});
