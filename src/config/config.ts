import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { MamoriError } from '../core/errors.js';
import { CONFIG_SCHEMA } from './schema.js';

export interface TlsFilesConfig {
  cert_file: string;
  key_file: string;
  ca_file?: string;
  client_auth: 'none' | 'request' | 'require';
}

export interface ListenerConfig {
  name: string;
  protocols: ('udp' | 'tcp' | 'tls')[];
  port: number;
  tenant?: string;
  bind_by: ('certificate' | 'address' | 'token')[];
  rate_limit_eps?: number;
  tls?: TlsFilesConfig;
  format: string;
  charset: string;
  timezone: string;
  max_message_bytes: number;
  max_connections: number;
}

export interface MamoriConfig {
  data_dir: string;
  bind: string;
  http_port: number;
  http_tls?: TlsFilesConfig;
  server_url?: string;
  demo: boolean;
  syslog: { listeners: ListenerConfig[] };
  pipeline: {
    workers: number;
    batch_events: number;
    batch_wait_ms: number;
    store_batch_events: number;
    store_flush_ms: number;
    max_lag_events: number;
  };
  auth: { session_hours: number };
  ingest: { max_body_bytes: number; max_line_bytes: number };
}

const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });
const validate = ajv.compile(CONFIG_SCHEMA);

/** Overrides from the command line or the environment, applied after the file. */
export interface ConfigOverrides {
  dataDir?: string;
  bind?: string;
  httpPort?: number;
  syslogPort?: number;
}

/**
 * Reads and validates a configuration. `file` may be undefined (all defaults).
 * Environment: MAMORI_DATA_DIR, MAMORI_BIND, MAMORI_HTTP_PORT override the file;
 * command-line overrides win over both.
 */
export function loadConfig(file: string | undefined, overrides: ConfigOverrides = {}, env = process.env): MamoriConfig {
  let raw: unknown = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new MamoriError('MAMORI_E_CONFIG', `cannot read config file ${file}: ${(err as Error).message}`);
    }
    raw = parseConfigText(text, file);
  }
  return resolveConfig(raw, overrides, env, file);
}

export function parseConfigText(text: string, file = 'mamori.yaml'): unknown {
  try {
    // maxAliasCount bounds "billion laughs" alias expansion.
    return parseYaml(text, { maxAliasCount: 100, uniqueKeys: true }) ?? {};
  } catch (err) {
    throw new MamoriError('MAMORI_E_CONFIG', `${file}: invalid YAML: ${(err as Error).message}`);
  }
}

export function resolveConfig(raw: unknown, overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = {}, file = 'mamori.yaml'): MamoriConfig {
  const doc = structuredClone(raw ?? {}) as Record<string, unknown>;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new MamoriError('MAMORI_E_CONFIG', `${file}: the top level must be a mapping of keys to values`);
  }
  if (!validate(doc)) {
    throw new MamoriError('MAMORI_E_CONFIG', `${file}: ${describeSchemaErrors(validate.errors ?? [])}`);
  }
  const config = doc as unknown as MamoriConfig;
  if (env.MAMORI_DATA_DIR) config.data_dir = env.MAMORI_DATA_DIR;
  if (env.MAMORI_BIND) config.bind = env.MAMORI_BIND;
  if (env.MAMORI_HTTP_PORT) config.http_port = portOf(env.MAMORI_HTTP_PORT, 'MAMORI_HTTP_PORT');
  if (overrides.dataDir) config.data_dir = overrides.dataDir;
  if (overrides.bind) config.bind = overrides.bind;
  if (overrides.httpPort !== undefined) config.http_port = overrides.httpPort;
  if (overrides.syslogPort !== undefined) {
    if (config.syslog.listeners.length === 0) {
      throw new MamoriError('MAMORI_E_CONFIG', '--syslog-port given but the configuration has no syslog listener');
    }
    config.syslog.listeners[0].port = overrides.syslogPort;
  }
  config.pipeline.workers ??= Math.max(1, os.availableParallelism() - 1);
  const names = new Set<string>();
  const base = path.dirname(path.resolve(file));
  for (const l of config.syslog.listeners) {
    if (names.has(l.name)) throw new MamoriError('MAMORI_E_CONFIG', `${file}: syslog.listeners: duplicate name "${l.name}"`);
    names.add(l.name);
    if (l.protocols.includes('tcp') && l.protocols.includes('tls')) {
      throw new MamoriError('MAMORI_E_CONFIG', `${file}: syslog.listeners.${l.name}: tcp and tls need ports of their own: define a second listener for tls`);
    }
    if (l.protocols.includes('tls') && !l.tls) throw new MamoriError('MAMORI_E_CONFIG', `${file}: syslog.listeners.${l.name}: protocol tls needs tls.cert_file and tls.key_file`);
    if (l.tenant === undefined && l.bind_by.length === 0) {
      throw new MamoriError('MAMORI_E_CONFIG', `${file}: syslog.listeners.${l.name}: give a tenant, or bind_by so that senders are recognised as sources`);
    }
    if (l.tls) l.tls = resolveTlsPaths(l.tls, base);
  }
  if (config.http_tls) config.http_tls = resolveTlsPaths(config.http_tls, base);
  config.data_dir = path.resolve(config.data_dir);
  return config;
}

function resolveTlsPaths(tls: TlsFilesConfig, base: string): TlsFilesConfig {
  const at = (p: string) => path.resolve(base, p);
  return { ...tls, cert_file: at(tls.cert_file), key_file: at(tls.key_file), ...(tls.ca_file ? { ca_file: at(tls.ca_file) } : {}) };
}

/** PEM contents of TLS settings; a file that cannot be read is a config error naming it. */
export function readTlsFiles(tls: TlsFilesConfig, where: string): { cert: string; key: string; ca?: string; clientAuth: TlsFilesConfig['client_auth'] } {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new MamoriError('MAMORI_E_CONFIG', `${where}: cannot read ${what} ${file}: ${(err as Error).message}`);
    }
  };
  if (tls.client_auth !== 'none' && !tls.ca_file) throw new MamoriError('MAMORI_E_CONFIG', `${where}: client_auth ${tls.client_auth} needs ca_file`);
  return {
    cert: read(tls.cert_file, 'certificate'),
    key: read(tls.key_file, 'private key'),
    ...(tls.ca_file ? { ca: read(tls.ca_file, 'CA bundle') } : {}),
    clientAuth: tls.client_auth,
  };
}

function portOf(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new MamoriError('MAMORI_E_CONFIG', `${what}: "${text}" is not a port number`);
  return n;
}

/** The URL the CLI uses to reach a server run with this configuration. */
export function serverUrlOf(config: MamoriConfig): string {
  if (config.server_url) return config.server_url.replace(/\/+$/, '');
  const host = config.bind === '0.0.0.0' || config.bind === '::' ? '127.0.0.1' : config.bind;
  return `${config.http_tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${config.http_port}`;
}

/** Schema validation errors as one line naming each key and what is wrong with it. */
export function describeSchemaErrors(errors: ErrorObject[]): string {
  const seen = new Set<string>();
  for (const e of errors) {
    // if/then branches report "must match then schema" next to the real reason.
    if (e.keyword === 'if') continue;
    const where = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : '';
    let message: string;
    if (e.keyword === 'additionalProperties') message = `${where ? where + '.' : ''}${String(e.params.additionalProperty)}: unknown key`;
    else if (e.keyword === 'required') message = `${where ? where + '.' : ''}${String(e.params.missingProperty)}: required`;
    else if (e.keyword === 'enum') message = `${where}: must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
    else message = `${where || '(top level)'}: ${e.message}`;
    seen.add(message);
  }
  return [...seen].join('; ');
}
